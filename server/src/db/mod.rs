//! Storage, behind one interface the handlers call.
//!
//! Handlers see [`Database`] and the plain records below, never SQL. SQLite
//! (the embedded default) is the one backend today; PostgreSQL becomes a
//! second variant of [`Database`] with its own module, and no handler changes.

mod sqlite;

use chrono::{DateTime, Utc};
use gocua_domain::api::{Profile, Role, StoredVisit};
use gocua_domain::sync::{PulledChange, PushStatus};
use gocua_domain::validation::FieldError;
use gocua_domain::{Catalogue, CatalogueEntry, Household, Visit, VisitId};

pub use sqlite::SqliteDatabase;

/// Failures of the storage layer.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("{0} not found")]
    NotFound(String),
    #[error("{0} already exists")]
    AlreadyExists(String),
    #[error("a pull cursor this database never gave")]
    InvalidCursor,
    #[error("unsupported database URL {0:?}: use sqlite://PATH (PostgreSQL is not supported yet)")]
    UnsupportedUrl(String),
    #[error(transparent)]
    Sql(#[from] sqlx::Error),
    #[error(transparent)]
    Migration(#[from] sqlx::migrate::MigrateError),
}

pub type DbResult<T> = Result<T, DbError>;

/// Who is making a request, as the session table says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub user_id: i64,
    pub commune_id: i64,
    pub team_id: Option<i64>,
    pub role: Role,
}

/// What sign-in needs to check a password.
#[derive(Debug, Clone)]
pub struct Credentials {
    pub user_id: i64,
    pub password_hash: String,
    pub active: bool,
}

/// A user to create.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub commune: String,
    pub team: Option<String>,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub password_hash: String,
}

/// The valid changes of one push.
#[derive(Debug, Clone, Default)]
pub struct ChangeBatch {
    pub households: Vec<Household>,
    pub visits: Vec<Visit>,
    pub deleted_visits: Vec<VisitId>,
}

/// What became of each change of a [`ChangeBatch`]: a status, or the field
/// that made it impossible (a visit of a household the commune lacks).
pub type StoreResult = Result<PushStatus, FieldError>;

/// Results for the batch's households, visits and deletions.
pub type BatchResults = (Vec<StoreResult>, Vec<StoreResult>, Vec<StoreResult>);

/// One page of a pull.
#[derive(Debug, Clone)]
pub struct PullPage {
    pub changes: Vec<PulledChange>,
    /// The last change's sequence number: the next pull starts after it.
    pub cursor: i64,
    pub has_more: bool,
}

/// The database, whichever backend holds it.
#[derive(Clone)]
pub enum Database {
    Sqlite(SqliteDatabase),
}

impl Database {
    /// Opens (creating if needed) the database at `url` and brings its schema up to date.
    pub async fn connect(url: &str) -> DbResult<Database> {
        if url.starts_with("sqlite:") {
            Ok(Database::Sqlite(SqliteDatabase::connect(url).await?))
        } else {
            Err(DbError::UnsupportedUrl(url.to_owned()))
        }
    }

    pub async fn add_commune(&self, name: &str) -> DbResult<i64> {
        match self {
            Database::Sqlite(db) => db.add_commune(name).await,
        }
    }

    pub async fn add_village(&self, commune: &str, name: &str, households: u32) -> DbResult<i64> {
        match self {
            Database::Sqlite(db) => db.add_village(commune, name, households).await,
        }
    }

    pub async fn add_team(&self, commune: &str, name: &str) -> DbResult<i64> {
        match self {
            Database::Sqlite(db) => db.add_team(commune, name).await,
        }
    }

    pub async fn add_user(&self, user: &NewUser) -> DbResult<i64> {
        match self {
            Database::Sqlite(db) => db.add_user(user).await,
        }
    }

    pub async fn credentials(&self, username: &str) -> DbResult<Option<Credentials>> {
        match self {
            Database::Sqlite(db) => db.credentials(username).await,
        }
    }

    pub async fn create_session(&self, user_id: i64, token_hash: &[u8], expires_at: DateTime<Utc>) -> DbResult<()> {
        match self {
            Database::Sqlite(db) => db.create_session(user_id, token_hash, expires_at).await,
        }
    }

    pub async fn delete_session(&self, token_hash: &[u8]) -> DbResult<()> {
        match self {
            Database::Sqlite(db) => db.delete_session(token_hash).await,
        }
    }

    /// The active user holding an unexpired session with this token hash.
    pub async fn session_actor(&self, token_hash: &[u8], now: DateTime<Utc>) -> DbResult<Option<Actor>> {
        match self {
            Database::Sqlite(db) => db.session_actor(token_hash, now).await,
        }
    }

    pub async fn profile(&self, user_id: i64) -> DbResult<Profile> {
        match self {
            Database::Sqlite(db) => db.profile(user_id).await,
        }
    }

    pub async fn village_ids(&self, commune_id: i64) -> DbResult<Vec<i64>> {
        match self {
            Database::Sqlite(db) => db.village_ids(commune_id).await,
        }
    }

    /// Applies a push's households, then its visits, then its deletions,
    /// in one transaction; one result per change, in the same order.
    pub async fn store_changes(
        &self,
        actor: &Actor,
        batch: &ChangeBatch,
        now: DateTime<Utc>,
    ) -> DbResult<BatchResults> {
        match self {
            Database::Sqlite(db) => db.store_changes(actor, batch, now).await,
        }
    }

    /// Up to `limit` changes after the cursor `since`, within what `actor` may see.
    pub async fn pull(&self, actor: &Actor, since: i64, limit: usize) -> DbResult<PullPage> {
        match self {
            Database::Sqlite(db) => db.pull(actor, since, limit).await,
        }
    }

    /// The households of `actor`'s team (a coordinator: the commune's).
    pub async fn visible_households(&self, actor: &Actor) -> DbResult<Vec<Household>> {
        match self {
            Database::Sqlite(db) => db.visible_households(actor).await,
        }
    }

    pub async fn catalogue(&self, commune_id: i64) -> DbResult<Catalogue> {
        match self {
            Database::Sqlite(db) => db.catalogue(commune_id).await,
        }
    }

    pub async fn add_skill(&self, commune: &str, entry: &CatalogueEntry) -> DbResult<()> {
        match self {
            Database::Sqlite(db) => db.add_skill(commune, entry).await,
        }
    }

    pub async fn retire_skill(&self, commune: &str, code: &str) -> DbResult<()> {
        match self {
            Database::Sqlite(db) => db.retire_skill(commune, code).await,
        }
    }

    /// The visits `actor` may read: a volunteer's own, a leader's team's, a coordinator's commune's.
    pub async fn visible_visits(&self, actor: &Actor) -> DbResult<Vec<StoredVisit>> {
        match self {
            Database::Sqlite(db) => db.visible_visits(actor).await,
        }
    }
}
