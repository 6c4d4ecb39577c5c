//! One module per screen.

pub(crate) mod account;
mod commune;
mod community_session_form;
mod community_sessions;
mod dashboard;
mod data;
mod home;
mod household_form;
mod households;
mod join;
mod login;
mod not_found;
mod province;
mod province_report;
mod quarterly;
pub(crate) mod remote;
mod reports;
mod visit_form;

pub use account::AccountPage;
pub use commune::CommunePage;
pub use community_session_form::CommunitySessionFormPage;
pub use community_sessions::CommunitySessionsPage;
pub use data::DataPage;
pub use home::HomePage;

pub use household_form::HouseholdFormPage;
pub use households::{HouseholdPage, HouseholdsPage};
pub use join::JoinPage;
pub use login::LoginPage;
pub use not_found::{Existing, Named, NotFound, NotFoundPage, OnlyFor};
pub use province::ProvincePage;
pub use reports::ReportsPage;
pub use visit_form::VisitFormPage;
