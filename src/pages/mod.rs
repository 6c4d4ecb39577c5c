//! One module per screen.

mod data;
mod home;
mod household_form;
mod households;
mod login;
mod visit_form;

pub use data::DataPage;
pub use home::HomePage;

pub use household_form::HouseholdFormPage;
pub use households::{HouseholdPage, HouseholdsPage};
pub use login::LoginPage;
pub use visit_form::VisitFormPage;
