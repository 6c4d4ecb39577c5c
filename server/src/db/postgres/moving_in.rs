//! Moving a commune's database up from SQLite: every record, with its id,
//! copied into an empty PostgreSQL database, so phones keep their sign-ins
//! and their pull cursors (the change log keeps its sequence numbers) and
//! sync on without a fresh download.
//!
//! Rows travel as JSON, a page at a time: SQLite writes each page as one
//! JSON array, and PostgreSQL reads it into the table's own types with
//! `json_populate_recordset` (text instants to TIMESTAMPTZ, 0/1 to BOOLEAN,
//! hex to BYTEA). The dashboard's kept figures are not copied but rebuilt
//! from the visits, the one way they are ever made whole (the tests prove a
//! rebuild equals what pushes keep).

use super::{aggregates, PostgresDatabase};
use crate::db::{DbError, DbResult};
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::{Connection, Row};
use std::str::FromStr;

/// The tables copied, parents before the children that refer to them.
const TABLES: [&str; 17] = [
    "provinces",
    "communes",
    "villages",
    "teams",
    "users",
    "sessions",
    "invites",
    "skills",
    "households",
    "visits",
    "deleted_visit_ids",
    "community_sessions",
    "deleted_community_session_ids",
    "changes",
    "audit_log",
    "report_submissions",
    "sign_in_attempts",
];

/// The identity columns whose sequences must move past the copied ids.
const IDENTITIES: [(&str, &str); 10] = [
    ("provinces", "id"),
    ("communes", "id"),
    ("villages", "id"),
    ("teams", "id"),
    ("users", "id"),
    ("sessions", "id"),
    ("invites", "id"),
    ("audit_log", "id"),
    ("changes", "seq"),
    ("visits_to_fold", "seq"),
];

/// Rows a page: a few megabytes of JSON at most.
const PAGE: i64 = 5_000;

/// How many rows of each table were copied.
pub type Copied = Vec<(&'static str, u64)>;

impl PostgresDatabase {
    /// Copies the whole SQLite database at `from` into this one, which must
    /// hold no commune yet; in one transaction, so a copy cut short leaves
    /// nothing behind. The SQLite file is only read.
    pub async fn copy_from_sqlite(&self, from: &str) -> DbResult<Copied> {
        let options = SqliteConnectOptions::from_str(from)?.create_if_missing(false).read_only(true);
        let mut source = SqliteConnection::connect_with(&options).await?;
        self.check_source_schema(&mut source).await?;
        let mut tx = self.begin().await?;
        let communes: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM communes").fetch_one(&mut *tx).await?;
        if communes > 0 {
            return Err(DbError::CopyTarget("the PostgreSQL database already holds communes".into()));
        }
        // The starting catalogue a new commune gets is copied with the rest.
        sqlx::query("DELETE FROM skills").execute(&mut *tx).await?;
        let mut copied = Vec::new();
        // One snapshot of the source for every table.
        sqlx::query("BEGIN").execute(&mut source).await?;
        for table in TABLES {
            copied.push((table, copy_table(&mut source, &mut tx, table).await?));
        }
        sqlx::query("COMMIT").execute(&mut source).await?;
        // A server still writing to the source would leave what it stores
        // now behind, after its phones dropped it from their outboxes.
        let (copied_to, now_at): (Option<i64>, Option<i64>) = (
            sqlx::query_scalar("SELECT MAX(seq) FROM changes").fetch_one(&mut *tx).await?,
            sqlx::query_scalar("SELECT MAX(seq) FROM changes").fetch_one(&mut source).await?,
        );
        if copied_to != now_at {
            return Err(DbError::CopyTarget(
                "the SQLite database changed while it was copied: stop its server, then copy again".into(),
            ));
        }
        for (table, column) in IDENTITIES {
            sqlx::query(&format!(
                "SELECT setval(pg_get_serial_sequence('{table}', '{column}'),
                               GREATEST((SELECT MAX({column}) FROM {table}), 1))"
            ))
            .execute(&mut *tx)
            .await?;
        }
        aggregates::rebuild(&mut tx).await?;
        tx.commit().await?;
        source.close().await?;
        // The planner's statistics at once (as after a pg_restore), not at
        // autovacuum's next round: the first dashboards are planned on the
        // tables' real sizes.
        sqlx::query("ANALYZE").execute(&self.pool).await?;
        Ok(copied)
    }

    /// The source must hold the schema this build writes: a server of this
    /// build started on it once brings an older one up to date.
    async fn check_source_schema(&self, source: &mut SqliteConnection) -> DbResult<()> {
        let found: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success")
            .fetch_one(&mut *source)
            .await?;
        let expected = crate::db::SqliteDatabase::schema_version();
        if found != expected {
            return Err(DbError::CopyTarget(format!(
                "the SQLite database is at schema {found}, this build writes {expected}: \
                 start this build's server on it once, then copy"
            )));
        }
        Ok(())
    }
}

/// Copies one table a page at a time; how many rows.
async fn copy_table(source: &mut SqliteConnection, target: &mut super::Tx, table: &str) -> DbResult<u64> {
    let columns: Vec<(String, String)> = sqlx::query("SELECT name, type FROM pragma_table_info(?1) ORDER BY cid")
        .bind(table)
        .fetch_all(&mut *source)
        .await?
        .iter()
        .map(|row| Ok((row.try_get("name")?, row.try_get("type")?)))
        .collect::<DbResult<_>>()?;
    // Each column as JSON holds it: blobs (hashes) as PostgreSQL's hex form of BYTEA.
    let fields: Vec<String> = columns
        .iter()
        .map(|(name, kind)| {
            let value = if kind.eq_ignore_ascii_case("BLOB") {
                format!("CASE WHEN \"{name}\" IS NOT NULL THEN '\\x' || lower(hex(\"{name}\")) END")
            } else {
                format!("\"{name}\"")
            };
            format!("'{name}', {value}")
        })
        .collect();
    // Tables without a rowid are small (sign-in attempts): read in primary-key order by offset.
    let has_rowid = table != "sign_in_attempts";
    let (order, after) = if has_rowid { ("rowid", "rowid > ?1") } else { ("counter, started_at, attempt", "?1 >= 0") };
    let mut copied = 0;
    let mut last = 0_i64;
    loop {
        let offset = if has_rowid { 0 } else { copied as i64 };
        let (page, rows, next): (String, i64, Option<i64>) = sqlx::query_as(&format!(
            "SELECT COALESCE(json_group_array(json_object({})), '[]'), COUNT(*), MAX(r)
             FROM (SELECT {order_key} AS r, * FROM {table} WHERE {after} ORDER BY {order} LIMIT ?2 OFFSET ?3)",
            fields.join(", "),
            order_key = if has_rowid { "rowid" } else { "0" },
        ))
        .bind(last)
        .bind(PAGE)
        .bind(offset)
        .fetch_one(&mut *source)
        .await?;
        if rows == 0 {
            break;
        }
        sqlx::query(&format!("INSERT INTO {table} SELECT * FROM json_populate_recordset(NULL::{table}, $1::json)"))
            .bind(&page)
            .execute(&mut **target)
            .await?;
        copied += rows as u64;
        last = next.unwrap_or(last);
        if rows < PAGE {
            break;
        }
    }
    Ok(copied)
}
