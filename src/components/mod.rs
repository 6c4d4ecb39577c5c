//! Pieces shared by several screens.

mod chart;
mod form;
mod household_card;
mod in_app_notice;
mod install_offer;
mod people_stepper;
mod print_footer;
mod sync_badge;
mod sync_bar;
mod top_bar;
mod update_offer;
mod visit_card;

pub use chart::{Bar, BarChart, DayLine};
pub use form::{field_errors, storage_failure, FormAlerts};
pub use household_card::HouseholdCard;
pub use in_app_notice::InAppNotice;
pub use install_offer::InstallOffer;
pub use people_stepper::PeopleStepper;
pub use print_footer::PrintFooter;
pub use sync_badge::sync_badge;

pub use sync_bar::SyncBar;
pub use top_bar::TopBar;
pub use update_offer::UpdateOffer;
pub use visit_card::VisitCard;
