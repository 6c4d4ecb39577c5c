//! How values are kept in any backend's tables: the text a role or a skill
//! group is stored as, read back fallibly.

use super::{DbError, DbResult};
use gocua_domain::api::Role;
use gocua_domain::SkillGroup;

/// A skill group as stored: the name serde gives it.
pub(super) fn group_str(group: SkillGroup) -> String {
    match serde_json::to_value(group) {
        Ok(serde_json::Value::String(name)) => name,
        _ => unreachable!("skill groups serialise as strings"),
    }
}

/// A stored role (the CHECK constraints on `role` admit only known ones).
pub(super) fn parse_role(raw: String) -> DbResult<Role> {
    Role::parse(&raw).ok_or_else(|| DbError::Inconsistent(format!("role {raw:?}")))
}

/// A count kept as a signed integer, read back as the unsigned one the API speaks.
pub(super) fn count_from(raw: i64, what: &str) -> DbResult<u32> {
    u32::try_from(raw).map_err(|_| DbError::Inconsistent(format!("{what}: {raw}")))
}
