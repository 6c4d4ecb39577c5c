//! The names of the store's entries, in one place.

pub const SCHEMA: &str = "schema";
pub const SESSION: &str = "session";
pub const VISIT_INDEX: &str = "visits";
pub const LAST_SYNC: &str = "last_sync";

pub fn visit(id: &str) -> String {
    format!("visit.{id}")
}
