//! The language of Gõ Cửa, shared by the phone app and the server.
//!
//! Pure Rust, no browser or server dependency: the records volunteers create
//! ([`household`], [`visit`]), how names are searched and sorted ([`search`]), the plan's target groups ([`target_group`]), the skill
//! catalogue ([`catalogue`]), the rules that make a record valid, the JSON
//! messages of the API and of sync ([`api`], [`sync`]), and the one place
//! that knows Vietnam's time zone ([`time`]). Both sides parse raw input into
//! these types with the same rules, so the phone and the server never
//! disagree about what a valid visit is.

pub mod account;
pub mod api;
pub mod catalogue;
pub mod commune;
pub mod community_session;
pub mod dashboard;
pub mod export;
pub mod figures;
pub mod household;
mod id;
pub mod input;
pub mod order;
pub mod province;
pub mod report;
pub mod search;
pub mod stats;
pub mod submission;
pub mod sync;
pub mod target_group;
pub mod text;
pub mod time;
pub mod validation;
pub mod visit;

pub use catalogue::{Catalogue, CatalogueEntry, SkillCode, SkillGroup};
pub use community_session::{CommunitySession, CommunitySessionId, CommunitySessionInput};
pub use household::{Household, HouseholdId, HouseholdInput};
pub use target_group::{PeopleGuided, TargetGroup};
pub use validation::{Field, FieldError, Problem};
pub use visit::{FollowUp, Outcome, SkillTaught, Visit, VisitId, VisitInput};
