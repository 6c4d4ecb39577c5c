//! How values are kept in any backend's tables: the text a role or a skill
//! group is stored as, read back fallibly.

use super::{Actor, DbError, DbResult, Principal, ProvinceActor};
use gocua_domain::api::Role;
use gocua_domain::visit::Outcome;
use gocua_domain::SkillGroup;

/// A skill group as stored: the name serde gives it.
pub(super) fn group_str(group: SkillGroup) -> String {
    match serde_json::to_value(group) {
        Ok(serde_json::Value::String(name)) => name,
        _ => unreachable!("skill groups serialise as strings"),
    }
}

/// A stored skill group, read back from [`group_str`]'s name.
pub(super) fn parse_group(raw: &str) -> DbResult<SkillGroup> {
    serde_json::from_value(serde_json::Value::String(raw.to_owned()))
        .map_err(|_| DbError::Inconsistent(format!("skill group {raw:?}")))
}

/// A stored role (the CHECK constraints on `role` admit only known ones).
pub(super) fn parse_role(raw: String) -> DbResult<Role> {
    Role::parse(&raw).ok_or_else(|| DbError::Inconsistent(format!("role {raw:?}")))
}

/// Who a stored account is: a province's (no commune, a province) or a
/// commune's (a commune, no province), as the CHECK constraints on `users` keep it.
pub(super) fn principal(
    user_id: i64,
    role: Role,
    commune_id: Option<i64>,
    province_id: Option<i64>,
    team_id: Option<i64>,
) -> DbResult<Principal> {
    match (role, commune_id, province_id) {
        (Role::Province, None, Some(province_id)) => Ok(Principal::Province(ProvinceActor { user_id, province_id })),
        (role, Some(commune_id), None) if role.of_commune() => {
            Ok(Principal::Commune(Actor { user_id, commune_id, team_id, role }))
        }
        _ => Err(DbError::Inconsistent(format!(
            "user {user_id}: a {} of commune {commune_id:?}, province {province_id:?}",
            role.as_str()
        ))),
    }
}

/// A count kept as a signed integer, read back as the unsigned one the API speaks.
pub(super) fn count_from(raw: i64, what: &str) -> DbResult<u32> {
    u32::try_from(raw).map_err(|_| DbError::Inconsistent(format!("{what}: {raw}")))
}

/// A stored id, parsed back into the domain's type.
pub(super) fn parse_id<T>(raw: &str, parse: impl Fn(&str) -> Option<T>) -> DbResult<T> {
    parse(raw).ok_or_else(|| sqlx::Error::Decode(format!("stored id {raw:?} is not a UUID").into()).into())
}

/// A visit's outcome as stored.
pub(super) fn outcome_str(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Guided => "guided",
        Outcome::NobodyHome => "nobody_home",
        Outcome::Declined => "declined",
        Outcome::ComeBack => "come_back",
    }
}

/// A stored outcome.
pub(super) fn parse_outcome(raw: String) -> DbResult<Outcome> {
    Outcome::ALL
        .into_iter()
        .find(|outcome| outcome_str(*outcome) == raw)
        .ok_or_else(|| sqlx::Error::Decode(format!("stored outcome {raw:?}").into()).into())
}
