//! One module per screen.

mod home;
mod household_form;
mod households;
mod login;
mod visit_form;

pub use home::HomePage;
pub use household_form::HouseholdFormPage;
pub use households::{HouseholdPage, HouseholdsPage};
pub use login::LoginPage;
pub use visit_form::VisitFormPage;
