//! The columns of `household_progress` that hold when a household first
//! completed each basic skill of the national target (`basic0_at` …
//! `basic4_at`, in the order of [`BasicSkill::ALL`]), and the SQL both
//! engines build from them.

use gocua_domain::catalogue::BasicSkill;

/// The five basic skills of the national target: one `basicN_at` column each.
pub const BASIC_SKILLS: usize = 5;
const _: () = assert!(BasicSkill::ALL.len() == BASIC_SKILLS, "household_progress has a column per basic skill");

/// `basic0_at, …, basic4_at`, each prefixed with `prefix` (a table name and a dot, or nothing).
pub fn basic_columns(prefix: &str) -> String {
    (0..BASIC_SKILLS).map(|k| format!("{prefix}basic{k}_at")).collect::<Vec<_>>().join(", ")
}

/// Whether every basic skill (`joiner` " AND ") or any (" OR ") was completed.
pub fn completed(joiner: &str) -> String {
    (0..BASIC_SKILLS).map(|k| format!("basic{k}_at IS NOT NULL")).collect::<Vec<_>>().join(joiner)
}

/// Each basic skill's earliest completion among rows `c` of `(basic, done_at)`,
/// named as its column.
pub fn earliest_completions() -> String {
    (0..BASIC_SKILLS)
        .map(|k| format!("MIN(CASE WHEN c.basic = {k} THEN c.done_at END) AS basic{k}_at"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Forgets the completions of the progress rows `which` that have any.
pub fn forget_completions(which: &str) -> String {
    format!(
        "UPDATE household_progress SET ({}) = ({}) WHERE {which} AND ({})",
        basic_columns(""),
        ["NULL"; BASIC_SKILLS].join(", "),
        completed(" OR ")
    )
}
