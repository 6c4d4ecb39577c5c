//! One module per screen.

mod home;
mod login;
mod visit_form;

pub use home::HomePage;
pub use login::LoginPage;
pub use visit_form::VisitFormPage;
