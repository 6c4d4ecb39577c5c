//! Every statement the server sends about a commune's data names the commune
//! (docs/scaling.md, "Distributed by commune"): so a national deployment can
//! spread the communes over several database nodes (PostgreSQL with Citus,
//! tables distributed by `commune_id`) and each statement goes to one node.
//!
//! It reads what the server really sent during a whole run of the suite on
//! PostgreSQL: `scripts/test.sh` starts that cluster with
//! `postgres_start --log-statements`, which logs every statement with the
//! name of the connection that sent it (the server's are `gocua-server`, the
//! tests' own SQL is not), then runs this test after the suite, by name.

use std::collections::BTreeSet;
use std::path::Path;

/// The tables of a commune's data: on a distributed deployment, sharded by
/// `commune_id`. The others are small and copied to every node (communes,
/// their villages and teams, accounts and their sessions, invites redeemed
/// by code alone) or the server's own bookkeeping (the fold queue, sign-in
/// attempts).
const COMMUNE_DATA: &[&str] = &[
    "skills",
    "households",
    "visits",
    "deleted_visit_ids",
    "community_sessions",
    "deleted_community_session_ids",
    "changes",
    "audit_log",
    "visit_days",
    "skill_days",
    "household_progress",
    "household_months",
    "report_submissions",
    "commune_quarters",
    "commune_quarter_skills",
    "commune_author_days",
];

/// How an exception below names its statements (whitespace folded).
enum Named {
    Is(&'static str),
    StartsWith(&'static str),
    Contains(&'static str),
}

impl Named {
    fn names(&self, statement: &str) -> bool {
        match self {
            Named::Is(text) => statement == *text,
            Named::StartsWith(text) => statement.starts_with(text),
            Named::Contains(text) => statement.contains(text),
        }
    }
}

/// Statements that read or write every commune at once, by design, and why.
const EVERY_COMMUNE: &[(Named, &str)] = &[
    (
        Named::Contains("SELECT * FROM json_populate_recordset(NULL::"),
        "moving a whole SQLite database up (`gocua-server copy`): every table of every commune, once",
    ),
    (Named::StartsWith("SELECT setval(pg_get_serial_sequence("), "the same move: sequences past the copied ids"),
    (Named::Is("SELECT MAX(seq) FROM changes"), "the same move: the source's change log did not grow meanwhile"),
    (Named::Is("DELETE FROM skills"), "the same move: the copied catalogues replace the empty target's"),
    (
        Named::Is("SELECT id FROM communes WHERE id NOT IN (SELECT DISTINCT commune_id FROM skills)"),
        "at start-up: communes still without a catalogue get the starting one",
    ),
];

/// The level above the commune reads every commune of one province side by side, by design
/// (issue 15): one statement for them all, not one per commune; on a distributed database each
/// asks the nodes holding that province's communes.
const OF_ONE_PROVINCE: &[(Named, &str)] = &[
    (
        Named::Contains("commune_id IN (SELECT id FROM communes_of)"),
        "a province's quarter and recent activity, commune by commune",
    ),
    (
        Named::Contains("s.commune_id IN (SELECT id FROM communes WHERE province_id = $1) AND s.quarter = $2"),
        "a province's skills and submitted reports of a quarter",
    ),
];

/// A record a phone pushes (or deletes), looked up by its id in every commune, by design
/// (docs/scaling.md, "Ids across communes"): ids are unique across communes, and a phone of
/// another commune may not write, delete or shadow one of ours under its id (scope.rs). On one
/// database the primary key keeps them unique; on a distributed one each of these asks every
/// node (an index probe each, side by side), and every write that follows names the commune.
const BY_ID_IN_EVERY_COMMUNE: &[(Named, &str)] = &[
    (Named::Is("SELECT id, commune_id, team_id, village_id, head_name, address, phone, members, consent, revision, erased_at, written_by_session, written_from, created_by FROM households WHERE id = $1"), "a pushed household"),
    (Named::Is("SELECT id, author_id, household_id, outcome, come_back_on, officials, pupils, adults, elderly, workers, skills, note, visited_at, follow_up_on, follow_up_reason, revision, text_erased_revision, received_at, deleted_at, written_by_session, written_from FROM visits WHERE id = $1"), "a pushed visit held"),
    (Named::Is("SELECT author_id, deleted_at FROM visits WHERE id = $1"), "a deleted visit's author"),
    (Named::Is("SELECT id, author_id, village_id, place, held_on, skills, officials, pupils, adults, elderly, workers, note, revision, deleted_at, written_by_session, written_from FROM community_sessions WHERE id = $1"), "a pushed community session"),
    (Named::Is("SELECT author_id, deleted_at FROM community_sessions WHERE id = $1"), "a deleted session's author"),
];

#[test]
#[ignore = "reads what the PostgreSQL suite sent: scripts/test.sh runs it after that suite"]
fn every_statement_on_commune_data_names_the_commune() {
    let dir = std::env::var("GOCUA_TEST_POSTGRES_STATEMENTS")
        .expect("GOCUA_TEST_POSTGRES_STATEMENTS: the statement log of `postgres_start --log-statements`");
    let statements = server_statements(Path::new(&dir));
    assert!(
        statements.iter().filter(|statement| touches_commune_data(statement)).count() > 100,
        "the suite's statements on commune data were logged ({} statements in all)",
        statements.len()
    );
    let unfiltered: Vec<&String> = statements
        .iter()
        .filter(|statement| touches_commune_data(statement) && !filters_by_commune(statement))
        .collect();
    // A fixed statement leaves its exception behind: the lists say only what is still true.
    for (named, why) in EVERY_COMMUNE.iter().chain(BY_ID_IN_EVERY_COMMUNE).chain(OF_ONE_PROVINCE) {
        assert!(
            unfiltered.iter().any(|statement| named.names(statement)),
            "no unfiltered statement sent matches the exception \"{why}\" any more: remove it"
        );
    }
    let unexplained: Vec<&str> = unfiltered
        .iter()
        .filter(|statement| {
            !EVERY_COMMUNE
                .iter()
                .chain(BY_ID_IN_EVERY_COMMUNE)
                .chain(OF_ONE_PROVINCE)
                .any(|(named, _)| named.names(statement))
        })
        .map(|statement| statement.as_str())
        .collect();
    assert!(
        unexplained.is_empty(),
        "{} statements on commune data do not filter by commune_id:\n\n{}",
        unexplained.len(),
        unexplained.join("\n\n")
    );
}

/// The distinct statements (whitespace folded) the server's connections
/// sent, from the JSON lines PostgreSQL's `jsonlog` wrote in `dir`.
fn server_statements(dir: &Path) -> BTreeSet<String> {
    let mut statements = BTreeSet::new();
    for file in std::fs::read_dir(dir).expect("the statement log's directory") {
        let path = file.unwrap().path();
        if path.extension().is_none_or(|extension| extension != "json") {
            continue;
        }
        for line in std::fs::read_to_string(&path).unwrap().lines() {
            let entry: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
            if entry["application_name"] != gocua_server::db::APPLICATION_NAME {
                continue;
            }
            if let Some(statement) = entry["message"].as_str().and_then(statement_of) {
                statements.insert(statement.split_whitespace().collect::<Vec<_>>().join(" "));
            }
        }
    }
    statements
}

/// The SQL of a logged message: `statement: …` (simple protocol) or
/// `execute <name>: …` (a prepared statement); other messages are not statements.
fn statement_of(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("statement: ").or_else(|| {
        let named = message.strip_prefix("execute ")?;
        Some(&named[named.find(": ")? + 2..])
    })?;
    Some(rest)
}

/// The statement's words, lower-cased, comments dropped.
fn words(statement: &str) -> Vec<String> {
    let without_comments: String =
        statement.lines().map(|line| line.split("--").next().unwrap_or("")).collect::<Vec<_>>().join(" ");
    without_comments
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Whether it reads or writes a table of commune data (schema changes are
/// the migrations', run once for all).
fn touches_commune_data(statement: &str) -> bool {
    let words = words(statement);
    let reads_or_writes =
        matches!(words.first().map(String::as_str), Some("select" | "insert" | "update" | "delete" | "with"));
    reads_or_writes && words.iter().any(|word| COMMUNE_DATA.contains(&word.as_str()))
}

/// Whether it says which commune: a `commune_id` compared with a value
/// (`commune_id = $1`, `v.commune_id = $2`, `commune_id = ANY($1)`,
/// `commune_id IN ($1, $2)`), or an insert giving it as a value. A
/// comparison with another table's `commune_id` is a join, not a filter: it
/// does not count on its own, nor does an insert copying a row's commune.
fn filters_by_commune(statement: &str) -> bool {
    let lower = statement.to_lowercase();
    let compared = lower.match_indices("commune_id").any(|(at, name)| {
        let after = lower[at + name.len()..].trim_start();
        let value = if let Some(rest) = after.strip_prefix('=') {
            let rest = rest.trim_start();
            rest.strip_prefix("any").map(|any| any.trim_start().trim_start_matches('(').trim_start()).unwrap_or(rest)
        } else if let Some(rest) = after.strip_prefix("in") {
            rest.trim_start().strip_prefix('(').map(str::trim_start).unwrap_or("")
        } else {
            ""
        };
        value.starts_with('$') || value.starts_with(|c: char| c.is_ascii_digit())
    });
    compared || inserts_commune_value(&lower)
}

/// Whether `INSERT INTO t (…, commune_id, …)` gives the commune as a value:
/// in `VALUES`, or as a parameter in its place in `SELECT …, $n, … FROM`.
/// (Commas inside an earlier item would shift the place: then it says no.)
fn inserts_commune_value(lower: &str) -> bool {
    let Some(rest) = lower.trim_start().strip_prefix("insert into") else { return false };
    let (Some(open), Some(close)) = (rest.find('('), rest.find(')')) else { return false };
    let columns: Vec<&str> = rest[open + 1..close].split(',').map(str::trim).collect();
    let Some(place) = columns.iter().position(|column| *column == "commune_id") else { return false };
    let after = rest[close + 1..].trim_start();
    if after.starts_with("values") {
        return true;
    }
    let Some(select) = after.strip_prefix("select") else { return false };
    let items = &select[..select.find(" from ").unwrap_or(select.len())];
    items.split(',').nth(place).is_some_and(|item| item.trim().starts_with('$'))
}

#[test]
fn a_statement_is_read_from_either_protocol() {
    assert_eq!(statement_of("statement: SELECT 1"), Some("SELECT 1"));
    assert_eq!(
        statement_of("execute sqlx_s_3: SELECT * FROM visits WHERE id = $1"),
        Some("SELECT * FROM visits WHERE id = $1")
    );
    assert_eq!(statement_of("execute <unnamed>: SELECT 1"), Some("SELECT 1"));
    assert_eq!(statement_of("duration: 0.1 ms"), None);
}

#[test]
fn commune_data_is_told_by_its_tables() {
    assert!(touches_commune_data("SELECT id FROM visits WHERE id = $1"));
    assert!(touches_commune_data("UPDATE households SET revision = $1"));
    assert!(!touches_commune_data("SELECT id FROM visits_to_fold"), "another table");
    assert!(!touches_commune_data("SELECT id FROM users WHERE username = $1"));
    assert!(!touches_commune_data("-- visits\nCREATE TABLE visits (id TEXT)"), "a migration");
}

#[test]
fn a_filter_names_the_commune_with_a_value() {
    assert!(filters_by_commune("SELECT id FROM visits WHERE commune_id = $1 AND id = $2"));
    assert!(filters_by_commune("SELECT v.id FROM visits v WHERE v.commune_id IN ($1, $2)"));
    assert!(filters_by_commune("SELECT code FROM skills WHERE commune_id = ANY($1)"));
    assert!(filters_by_commune("SELECT id FROM visits WHERE commune_id=1"));
    assert!(filters_by_commune("INSERT INTO visits (id, commune_id) VALUES ($1, $2)"));
    assert!(!filters_by_commune("SELECT commune_id FROM visits WHERE id = $1"), "read, not filtered");
    assert!(!filters_by_commune("UPDATE visits SET deleted_at = $1 WHERE id = $2"));
    assert!(
        !filters_by_commune(
            "SELECT v.id FROM visits v JOIN households h ON h.commune_id = v.commune_id WHERE v.id = $1"
        ),
        "a join on the commune is not a filter"
    );
    assert!(
        !filters_by_commune(
            "INSERT INTO changes (commune_id, record_id) SELECT commune_id, id FROM visits WHERE id = $1"
        ),
        "an insert copying a row's commune is filtered by its select"
    );
    assert!(filters_by_commune(
        "INSERT INTO changes (team_id, commune_id, record_id) SELECT $2, $1, value FROM json_array_elements_text($3::json)"
    ));
}
