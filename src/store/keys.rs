//! The names of the store's entries, in one place.

pub const SCHEMA: &str = "schema";
pub const SESSION: &str = "session";
pub const OWNER: &str = "owner";
pub const ENDED_SESSIONS: &str = "ended_sessions";
pub const LAST_SYNC: &str = "last_sync";
pub const PULL_CURSOR: &str = "pull_cursor";
pub const CATALOGUE: &str = "catalogue";
pub const DRAFT: &str = "draft";
pub const DASHBOARD: &str = "dashboard";
pub const PROVINCE_VIEW: &str = "province_view";
/// When the volunteer last said "later" to the offer to install the app.
pub const INSTALL_OFFER_DISMISSED: &str = "install_offer_dismissed";

/// Visits: one entry per visit under `visit.<id>`, their ids in `visits`.
pub const VISITS: Collection = Collection { index: "visits", prefix: "visit." };
/// Households: one entry per household under `household.<id>`, their ids in `households`.
pub const HOUSEHOLDS: Collection = Collection { index: "households", prefix: "household." };

/// Community sessions: one entry per session under `community_session.<id>`, their ids in `community_sessions`.
pub const COMMUNITY_SESSIONS: Collection = Collection { index: "community_sessions", prefix: "community_session." };

/// A kind of record kept one per key, with an index of ids.
#[derive(Debug, Clone, Copy)]
pub struct Collection {
    pub index: &'static str,
    pub prefix: &'static str,
}

impl Collection {
    pub fn entry(&self, id: &str) -> String {
        format!("{}{id}", self.prefix)
    }

    /// The `n`th sealed (full) chunk of the index.
    pub fn sealed(&self, n: usize) -> String {
        format!("{}.sealed.{n}", self.index)
    }

    /// How many sealed chunks there are.
    pub fn sealed_count(&self) -> String {
        format!("{}.sealed", self.index)
    }
}
