//! The PostgreSQL backend, for a deployment that outgrows one machine:
//! several server processes on one database (issue 14). It implements the
//! same storage traits as [`super::SqliteDatabase`], method by method, with
//! its own migrations (`server/migrations/postgres`).
//!
//! Every area runs here, tested by the same suite as SQLite
//! (`GOCUA_TEST_BACKEND=postgres`).
//!
//! Where SQLite lets one writer in at a time, PostgreSQL runs writers side by
//! side: a write whose meaning depends on what it read first takes a row lock
//! (`FOR UPDATE`) or a transaction-scoped advisory lock ([`Lock`]) instead.

use super::{DbError, DbResult, NewAccount, NewUser};
use crate::db::storage::*;
use async_trait::async_trait;
use gocua_domain::api::SkillChange;
use gocua_domain::{Catalogue, CatalogueEntry};
pub use moving_in::Copied;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::{Postgres, Transaction};
use std::str::FromStr;
use std::time::Duration;

mod aggregates;
mod audit;
mod community_sessions;
mod dashboard;
mod folded_rows;
mod folding;
mod moving_in;
mod operations;
mod people;
mod personal_data;
mod places;
mod provinces;
mod pushed_visits;
mod records;
mod sessions;
mod sign_in_attempts;
mod submissions;
mod tombstones;
mod turns;
mod visit_log;
mod voiding;

/// The `application_name` of the server's connections.
pub const APPLICATION_NAME: &str = "gocua-server";

static MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

pub(super) type Tx = Transaction<'static, Postgres>;

#[derive(Clone)]
pub struct PostgresDatabase {
    pool: PgPool,
    /// Folds the visits pushes queue into the figures ([`aggregates`]).
    folding: folding::Folding,
    /// Each commune's writers, waiting their turn in this process ([`turns`]).
    turns: turns::Turns,
}

/// Writes that must not run side by side, each serialised by a
/// transaction-scoped advisory lock of its own key.
#[derive(Debug, Clone, Copy)]
enum Lock {
    /// Counting sign-in attempts: two servers must not both let the last one in.
    SignInAttempts,
    /// Building the figures the first time: one server builds, the others
    /// wait and find them built.
    FirstBuild,
    /// Folding a commune's queue of pushed visits into its figures, or
    /// otherwise changing them: one fold at a time, each taking exactly the
    /// queue entries it read under the lock. Communes fold side by side.
    Fold(i64),
    /// A commune's households, visits, community sessions and change log.
    /// Its writers (pushes, corrections, erasures, voids) take turns, as
    /// SQLite's one writer does: what a write reads (the version held, the
    /// figures) stays true until it commits, and the commune's changes
    /// commit in the order of their sequence numbers, so a pull never skips
    /// one that commits late. Communes write side by side.
    Commune(i64),
}

impl Lock {
    fn key(self) -> i64 {
        match self {
            Lock::SignInAttempts => 1,
            Lock::FirstBuild => 2,
            // Ids are positive and below 2⁴⁰: these keys never meet each other or the ones above.
            Lock::Commune(commune_id) => (1 << 40) | commune_id,
            Lock::Fold(commune_id) => (2 << 40) | commune_id,
        }
    }
}

impl PostgresDatabase {
    pub async fn connect(url: &str) -> DbResult<Self> {
        // Named, unless the URL names it: the server's sessions tell
        // themselves apart in pg_stat_activity and the server's log (the
        // commune-filter test reads the statements by this name).
        let mut options = PgConnectOptions::from_str(url)?;
        if options.get_application_name().is_none() {
            options = options.application_name(APPLICATION_NAME);
        }
        // The server sends many short statements: PostgreSQL's JIT compiled a
        // dashboard figure that looked costly for 30 ms before running it for
        // less (docs/benchmarks.md), so the server's sessions go without.
        options = options.options([("jit", "off")]);
        let pool = PgPoolOptions::new()
            .max_connections(16)
            // A busy database is a wait, never an error: long enough for a
            // burst of pushes, short enough to tell a stuck one.
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options)
            .await?;
        // Several servers starting at once: sqlx's migrator holds an advisory
        // lock, so one migrates and the others wait and find it done.
        MIGRATIONS.run(&pool).await?;
        let folding = folding::Folding::start(pool.clone());
        let db = PostgresDatabase { pool, folding, turns: turns::Turns::default() };
        db.ensure_catalogues().await?;
        db.build_aggregates_once().await?;
        // What a server stopped before folding left queued. A commune that
        // cannot be folded now keeps its queue for its readers, who fold
        // first: it does not keep the server from starting.
        if let Err(error) = db.folding.fold_all_queued().await {
            tracing::warn!(%error, "folding what was left queued at start-up failed");
        }
        Ok(db)
    }

    async fn begin(&self) -> DbResult<Tx> {
        Ok(self.pool.begin().await?)
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
                    // Another server starting at the same moment added it.
                    Ok(()) | Err(DbError::AlreadyExists(_)) => {}
                    Err(error) => return Err(error),
                }
            }
        }
        Ok(())
    }

    async fn commune_id(&self, name: &str) -> DbResult<i64> {
        sqlx::query_scalar("SELECT id FROM communes WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| DbError::NotFound(format!("commune {name:?}")))
    }
}

/// Holds `lock` until `tx` ends.
async fn hold(tx: &mut Tx, lock: Lock) -> DbResult<()> {
    sqlx::query("SELECT pg_advisory_xact_lock($1)").bind(lock.key()).execute(&mut **tx).await?;
    Ok(())
}

/// Runs an INSERT … RETURNING id, turning a unique violation into [`DbError::AlreadyExists`].
pub(super) async fn insert_unique<'q, 'e>(
    query: sqlx::query::QueryScalar<'q, Postgres, i64, sqlx::postgres::PgArguments>,
    executor: impl sqlx::Executor<'e, Database = Postgres>,
    what: impl FnOnce() -> String,
) -> DbResult<i64> {
    match query.fetch_one(executor).await {
        Ok(id) => Ok(id),
        Err(sqlx::Error::Database(error)) if error.is_unique_violation() => Err(DbError::AlreadyExists(what())),
        Err(error) => Err(error.into()),
    }
}

#[async_trait]
impl Setup for PostgresDatabase {
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
        let insert = sqlx::query_scalar("INSERT INTO communes (name) VALUES ($1) RETURNING id").bind(name);
        let id = insert_unique(insert, &self.pool, || format!("commune {name:?}")).await?;
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
                sqlx::query_scalar("SELECT id FROM teams WHERE commune_id = $1 AND name = $2")
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
        let mut tx = self.begin().await?;
        aggregates::rebuild(&mut tx).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn fold_queued_figures(&self) -> DbResult<()> {
        self.folding.fold_all_queued().await
    }
}
