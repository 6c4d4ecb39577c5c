//! The SQLite backend: one file, WAL journal, every commit synced to disk
//! before the phone is told its visit is stored. Accounts and places here;
//! households, visits and the change log in [`records`].

use super::stored::{group_str, parse_role};
use super::{quarter_figures, DbError, DbResult, Engine, NewAccount, NewUser};
use crate::db::storage::*;
use async_trait::async_trait;
use folding::Folding;
use gocua_domain::api::SkillChange;
use gocua_domain::{Catalogue, CatalogueEntry};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Connection, SqliteConnection, SqlitePool};
use std::str::FromStr;
use std::time::Duration;

mod aggregates;
mod audit;
mod community_sessions;
mod dashboard;
mod folded_rows;
mod folding;
mod operations;
mod people;
mod period_households;
mod personal_data;
mod places;
mod provinces;
mod pushed_visits;
mod records;
mod sessions;
mod sign_in_attempts;
mod submissions;
mod tombstones;
mod visit_log;
mod voiding;

static MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

/// How much of the database file reads may map (256 MiB).
const MMAP_BYTES: u64 = 256 * 1024 * 1024;

#[derive(Clone)]
pub struct SqliteDatabase {
    pool: SqlitePool,
    /// Folds the visits pushes queue into the figures ([`aggregates`]).
    folding: Folding,
}

/// Brings the schema up to date on a connection of its own with foreign keys
/// off: SQLite changes a table's constraints by rebuilding it, which its own
/// procedure does with them off (0023). When a migration ran, every
/// reference is checked after; a broken one stops the server. (Not at every
/// start: the check reads every table.)
async fn migrate(options: &SqliteConnectOptions) -> DbResult<()> {
    let mut connection = SqliteConnection::connect_with(&options.clone().foreign_keys(false)).await?;
    // `None` for a new database, which has no migrations table yet.
    let before: Option<i64> =
        sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations").fetch_one(&mut connection).await.ok().flatten();
    MIGRATIONS.run(&mut connection).await?;
    if before == Some(SqliteDatabase::schema_version()) {
        connection.close().await?;
        return Ok(());
    }
    let broken: Vec<(String, i64)> =
        sqlx::query_as("SELECT \"table\", rowid FROM pragma_foreign_key_check").fetch_all(&mut connection).await?;
    connection.close().await?;
    match broken.first() {
        None => Ok(()),
        Some((table, rowid)) => Err(DbError::Inconsistent(format!(
            "{} rows refer to missing records after migrating, the first in {table} (rowid {rowid})",
            broken.len()
        ))),
    }
}

impl SqliteDatabase {
    pub async fn connect(url: &str) -> DbResult<Self> {
        let options = Self::connect_options(url)?;
        migrate(&options).await?;
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            // A file's connection cannot drop like a network one: pinging it
            // before each use would only add a round trip to its thread.
            .test_before_acquire(false)
            .connect_with(options)
            .await?;
        let folding = Folding::start(pool.clone());
        let db = SqliteDatabase { pool, folding };
        db.ensure_catalogues().await?;
        db.build_aggregates_once().await?;
        // What a server stopped before folding left queued.
        db.folding.fold_queued().await?;
        Ok(db)
    }

    /// How the server opens the database at `url` (also the sync bench's
    /// ceiling, so that it inserts into the database as the server does).
    pub fn connect_options(url: &str) -> DbResult<SqliteConnectOptions> {
        Ok(SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: a visit acknowledged to a phone survives a power cut.
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            // Reads through a memory map instead of a read call per page: the
            // dashboard's figures over a year of a big commune walk tens of
            // thousands of rows at random (docs/benchmarks.md). Shared by the
            // pool's connections through the OS page cache.
            .pragma("mmap_size", MMAP_BYTES.to_string())
            // Content a write replaces is overwritten with zeros, not left in
            // the file's free space: an erased household's name is gone from
            // the database file once the log is checkpointed into it.
            .pragma("secure_delete", "ON"))
    }

    /// The newest migration of this build's schema.
    pub fn schema_version() -> i64 {
        MIGRATIONS.iter().map(|migration| migration.version).max().unwrap_or(0)
    }

    /// Starts a write transaction that holds SQLite's write lock from its
    /// first statement. A transaction that reads before it writes would
    /// otherwise fail at once with "database is locked" when another writer
    /// commits in between; this one waits its turn (`busy_timeout`) instead.
    async fn begin_write(&self) -> DbResult<records::Tx<'static>> {
        begin_write(&self.pool).await
    }

    /// Gives every commune without a catalogue the starting one.
    async fn ensure_catalogues(&self) -> DbResult<()> {
        let communes: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM communes WHERE id NOT IN (SELECT DISTINCT commune_id FROM skills)")
                .fetch_all(&self.pool)
                .await?;
        for commune_id in communes {
            for entry in &Catalogue::starting().skills {
                match self.create_skill(commune_id, entry, None).await {
                    // Another server starting on the same file at the same moment added it.
                    Ok(()) | Err(DbError::AlreadyExists(_)) => {}
                    Err(error) => return Err(error),
                }
            }
        }
        Ok(())
    }

    async fn commune_id(&self, name: &str) -> DbResult<i64> {
        sqlx::query_scalar("SELECT id FROM communes WHERE name = ?")
            .bind(name)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| DbError::NotFound(format!("commune {name:?}")))
    }
}

/// See [`SqliteDatabase::begin_write`].
pub(super) async fn begin_write(pool: &SqlitePool) -> DbResult<records::Tx<'static>> {
    Ok(pool.begin_with("BEGIN IMMEDIATE").await?)
}

pub(super) async fn insert_unique<'q, 'e>(
    query: sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>>,
    executor: impl sqlx::Executor<'e, Database = sqlx::Sqlite>,
    what: impl FnOnce() -> String,
) -> DbResult<i64> {
    match query.execute(executor).await {
        Ok(done) => Ok(done.last_insert_rowid()),
        Err(sqlx::Error::Database(error)) if error.is_unique_violation() => Err(DbError::AlreadyExists(what())),
        Err(error) => Err(error.into()),
    }
}

#[async_trait]
impl Setup for SqliteDatabase {
    async fn add_skill(&self, commune: &str, entry: &CatalogueEntry) -> DbResult<()> {
        let commune_id = self.commune_id(commune).await?;
        self.create_skill(commune_id, entry, None).await
    }

    async fn retire_skill(&self, commune: &str, code: &str) -> DbResult<()> {
        let commune_id = self.commune_id(commune).await?;
        let retire = SkillChange { retired: Some(true), ..Default::default() };
        if !self.update_skill(commune_id, code, &retire, None).await? {
            return Err(DbError::NotFound(format!("skill {code:?}")));
        }
        Ok(())
    }

    async fn add_commune(&self, name: &str) -> DbResult<i64> {
        let id = insert_unique(sqlx::query("INSERT INTO communes (name) VALUES (?)").bind(name), &self.pool, || {
            format!("commune {name:?}")
        })
        .await?;
        self.ensure_catalogues().await?;
        Ok(id)
    }

    async fn add_village(&self, commune: &str, name: &str, households: u32) -> DbResult<i64> {
        let commune_id = self.commune_id(commune).await?;
        self.create_village(commune_id, name, households, None).await
    }

    async fn add_team(&self, commune: &str, name: &str) -> DbResult<i64> {
        let commune_id = self.commune_id(commune).await?;
        self.create_team(commune_id, name, None).await
    }

    async fn add_user(&self, user: &NewUser) -> DbResult<i64> {
        let commune_id = self.commune_id(&user.commune).await?;
        let team_id: Option<i64> = match &user.team {
            None => None,
            Some(team) => Some(
                sqlx::query_scalar("SELECT id FROM teams WHERE commune_id = ? AND name = ?")
                    .bind(commune_id)
                    .bind(team)
                    .fetch_optional(&self.pool)
                    .await?
                    .ok_or_else(|| DbError::NotFound(format!("team {team:?}")))?,
            ),
        };
        let account = NewAccount::of(user, commune_id, team_id);
        self.create_account(&account, crate::clock::now(), None).await
    }

    /// Recomputes every figure from the visits, in one transaction.
    async fn rebuild_aggregates(&self) -> DbResult<()> {
        let mut tx = self.begin_write().await?;
        // The quarter rows' triggers stand aside until the end, which fills those rows in one go.
        sqlx::query("UPDATE aggregates SET built = 0").execute(&mut *tx).await?;
        for table in ["visit_days", "skill_days", "household_progress", "household_months", "visits_to_fold"] {
            sqlx::query(&format!("DELETE FROM {table}")).execute(&mut *tx).await?;
        }
        let communes: Vec<i64> = sqlx::query_scalar("SELECT id FROM communes").fetch_all(&mut *tx).await?;
        for commune_id in communes {
            aggregates::count(&mut tx, aggregates::Visits::OfCommune(commune_id), 1).await?;
            aggregates::refresh_progress(&mut tx, aggregates::Households::OfCommune(commune_id)).await?;
        }
        for statement in quarter_figures::fill(Engine::Sqlite, false) {
            sqlx::query(&statement).execute(&mut *tx).await?;
        }
        sqlx::query("UPDATE aggregates SET built = 1").execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn fold_queued_figures(&self) -> DbResult<()> {
        self.folding.fold_queued().await
    }
}
