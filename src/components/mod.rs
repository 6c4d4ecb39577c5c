//! Pieces shared by several screens.

mod household_card;
mod people_stepper;
mod sync_bar;
mod top_bar;
mod visit_card;

pub use household_card::HouseholdCard;
pub use people_stepper::PeopleStepper;

pub use sync_bar::SyncBar;
pub use top_bar::TopBar;
pub use visit_card::VisitCard;
