//! Storage, behind one interface the handlers call.
//!
//! Handlers see [`Database`] and the plain records below, never SQL. SQLite
//! is the embedded default; PostgreSQL serves a deployment of several
//! servers. Each backend implements the same [`storage`] traits.

mod audit;
mod basic_skill_columns;
mod erasure;
mod lifetimes;
mod period_households;
mod postgres;
mod pushes;
pub mod quarter_figures;
mod sqlite;
pub mod storage;
mod stored;
mod submissions;
mod visit_pages;

use chrono::{DateTime, NaiveDate, Utc};
use gocua_domain::api::{
    Account, AuditEntry, Commune, DeviceSession, Invite, Profile, Province, Role, StoredVisit, Team, TeamSummary,
    Village,
};
use gocua_domain::dashboard::{DayFigures, SkillFigures, Totals, VillageFigures, VolunteerFigures};
use gocua_domain::sync::{ChangeKind, PulledChange, PushStatus, Pushed};
use gocua_domain::time::start_of_day;
use gocua_domain::validation::FieldError;
use gocua_domain::{Catalogue, CatalogueEntry, CommunitySession, CommunitySessionId, Household, Visit, VisitId};

pub use postgres::{Copied, PostgresDatabase, APPLICATION_NAME};
pub use sqlite::SqliteDatabase;
use std::sync::Arc;
pub use storage::*;
pub use visit_pages::VisitsBefore;

/// Failures of the storage layer.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("{0} not found")]
    NotFound(String),
    #[error("{0} already exists")]
    AlreadyExists(String),
    #[error("invite: {0:?}")]
    Invite(InviteProblem),
    #[error("a pull cursor this database never gave")]
    InvalidCursor,
    #[error("unsupported database URL {0:?}: use sqlite://PATH or postgres://…")]
    UnsupportedUrl(String),
    #[error("cannot back up to {0}")]
    BackupTarget(String),
    #[error(
        "gocua-server backs up SQLite databases: back a PostgreSQL one up with pg_dump --format=custom \
         (consistent while servers run) and restore it with pg_restore"
    )]
    BackupOfPostgres,
    #[error("cannot copy: {0}")]
    CopyTarget(String),
    /// A stored value that does not read back as this server writes it.
    #[error("the database holds what this server never writes: {0}")]
    Inconsistent(String),
    #[error(transparent)]
    Sql(#[from] sqlx::Error),
    #[error(transparent)]
    Migration(#[from] sqlx::migrate::MigrateError),
}

/// Why an invite code cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InviteProblem {
    /// No such code, or it was cancelled.
    Unknown,
    Expired,
    Used,
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

/// Whose records a signed-in user reaches, worked out once from their role
/// by [`crate::access::scope`]. Storage binds it as it is and never looks at
/// a role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scope {
    /// The user: the author of what they log and of their audit entries.
    pub user_id: i64,
    pub commune_id: i64,
    /// The user's team: what they log belongs to it.
    pub team_id: Option<i64>,
    /// The households they read and write, and may log visits to.
    pub households: Reach,
    /// The visits and community sessions they read (and, for a leader or coordinator, may void).
    pub logged: Reach,
}

/// How far a [`Scope`] reaches within its commune.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// All of the commune's.
    Commune,
    /// One team's; nothing at all for a user without a team.
    Team(Option<i64>),
    /// The user's own.
    Own,
}

impl Reach {
    /// Whether a record of the scope's commune, of `team_id` and by `author_id`, is within reach of `user_id`.
    pub fn covers(self, team_id: Option<i64>, author_id: i64, user_id: i64) -> bool {
        match self {
            Reach::Commune => true,
            Reach::Team(team) => team.is_some() && team == team_id,
            Reach::Own => author_id == user_id,
        }
    }

    /// The reach as SQL binds it: `commune`, `team` or `own`.
    pub fn as_str(self) -> &'static str {
        match self {
            Reach::Commune => "commune",
            Reach::Team(_) => "team",
            Reach::Own => "own",
        }
    }

    /// The team it reaches, when it is a team's.
    pub fn team(self) -> Option<i64> {
        match self {
            Reach::Team(team) => team,
            Reach::Commune | Reach::Own => None,
        }
    }
}

/// A province account (the Department of Science and Technology), as the
/// session table says. Kept apart from [`Actor`], so no handler of a
/// commune's records can ever be handed one: those answer it 403.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProvinceActor {
    pub user_id: i64,
    pub province_id: i64,
}

/// Who a session belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Principal {
    /// One of a commune's people.
    Commune(Actor),
    Province(ProvinceActor),
}

impl Principal {
    pub fn user_id(&self) -> i64 {
        match self {
            Principal::Commune(actor) => actor.user_id,
            Principal::Province(official) => official.user_id,
        }
    }
}

/// What a bearer token turns out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionCheck {
    Valid {
        principal: Principal,
        session_id: i64,
    },
    /// The user or a leader revoked this device: it is told so, not just "signed out".
    Revoked,
    /// Unknown, expired, signed out, or the account is deactivated.
    Invalid,
}

/// Which visits an export holds; the scope (commune, team) is set from the user, never from the request.
#[derive(Debug, Clone, Default)]
pub struct VisitLogFilter {
    pub commune_id: i64,
    pub team_id: Option<i64>,
    /// Visits at or after this instant (the start of a local day).
    pub from: Option<DateTime<Utc>>,
    /// Visits before this instant (the start of the local day after the last one).
    pub until: Option<DateTime<Utc>>,
    pub village_id: Option<i64>,
    pub author_id: Option<i64>,
}

/// The records a dashboard counts: a commune (or one team of it) over a period of whole days.
#[derive(Debug, Clone)]
pub struct DashboardScope {
    pub commune_id: i64,
    pub team_id: Option<i64>,
    /// The first and last days, in Vietnam's time (what community sessions are dated by).
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    /// The start of the first day, in Vietnam's time (what visits are timed against).
    pub from: DateTime<Utc>,
    /// The start of the day after the last.
    pub until: DateTime<Utc>,
}

impl DashboardScope {
    /// The days `first_day..=last_day` of a commune, or of one team of it.
    pub fn of_days(commune_id: i64, team_id: Option<i64>, first_day: NaiveDate, last_day: NaiveDate) -> Self {
        let until = start_of_day(last_day.succ_opt().expect("a day after a report's last day exists"));
        DashboardScope { commune_id, team_id, first_day, last_day, from: start_of_day(first_day), until }
    }
}

/// The returns owed in a dashboard's scope: the soonest, and how many in all.
#[derive(Debug, Clone)]
pub struct FollowUps {
    pub listed: Vec<gocua_domain::dashboard::FollowUpOwed>,
    pub total: u32,
}

/// A quarterly report as a commune submitted it ([`storage::ReportSubmissions`]).
#[derive(Debug, Clone)]
pub struct StoredSubmission {
    pub submitted_at: DateTime<Utc>,
    /// The display name of the coordinator who submitted it last.
    pub submitted_by: String,
    /// 1, then one more each time it was replaced.
    pub times: u32,
    /// The report as JSON, as it was submitted.
    pub report: String,
}

/// What became of a request to void a visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VoidOutcome {
    Voided,
    /// Deleted or voided before: nothing to do.
    AlreadyGone,
    /// No such visit within the actor's reach.
    NotFound,
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

/// A province account to create, from the command line.
#[derive(Debug, Clone)]
pub struct NewProvinceAccount {
    pub province: String,
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
}

/// An account to create, by ids (the API) rather than names (the CLI's [`NewUser`]).
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub commune_id: i64,
    pub team_id: Option<i64>,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub password_hash: String,
}

/// Who an audit-log entry names: a user, in the commune whose log holds it.
/// A commune's people act in their own; the province's Department in the
/// commune it acted on (an invite to its coordination).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuditedBy {
    pub commune_id: i64,
    pub user_id: i64,
}

impl From<&Actor> for AuditedBy {
    fn from(actor: &Actor) -> Self {
        AuditedBy { commune_id: actor.commune_id, user_id: actor.user_id }
    }
}

/// An audit-log entry, written in the same transaction as the change it
/// records: the change and its entry are stored together or not at all.
#[derive(Debug, Clone)]
pub struct AuditNote {
    pub by: AuditedBy,
    pub action: &'static str,
    /// What it is about (`village:3`); `None` for the record the change
    /// creates, which storage names once it has its id.
    pub subject: Option<String>,
    pub detail: String,
}

impl AuditNote {
    /// An entry about the record the change creates.
    pub fn new(by: impl Into<AuditedBy>, action: &'static str, detail: impl Into<String>) -> Self {
        AuditNote { by: by.into(), action, subject: None, detail: detail.into() }
    }

    /// An entry about `subject`, an existing record.
    pub fn about(by: impl Into<AuditedBy>, action: &'static str, subject: String, detail: impl Into<String>) -> Self {
        AuditNote { by: by.into(), action, subject: Some(subject), detail: detail.into() }
    }
}

/// Changes to an account; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct AccountUpdate {
    pub display_name: Option<String>,
    pub role: Option<Role>,
    /// `Some(None)` takes the account out of its team.
    pub team_id: Option<Option<i64>>,
    pub active: Option<bool>,
    pub password_hash: Option<String>,
}

impl AccountUpdate {
    /// Whether the account's open invites are cancelled: an invite stands for
    /// its maker's place in a team, so one left by an account deactivated,
    /// given another role or moved to another team would let someone in on a
    /// place the account no longer has.
    pub fn cancels_invites(&self) -> bool {
        self.active == Some(false) || self.role.is_some() || self.team_id.is_some()
    }
}

impl NewAccount {
    /// The CLI's user, its commune and team found by name.
    pub fn of(user: &NewUser, commune_id: i64, team_id: Option<i64>) -> Self {
        NewAccount {
            commune_id,
            team_id,
            username: user.username.clone(),
            display_name: user.display_name.clone(),
            role: user.role,
            password_hash: user.password_hash.clone(),
        }
    }
}

/// An invite to store; the code itself is never stored.
#[derive(Debug, Clone)]
pub struct NewInvite {
    pub code_hash: Vec<u8>,
    pub commune_id: i64,
    /// `None` for a coordinator's invite (a province's).
    pub team_id: Option<i64>,
    pub role: Role,
    pub created_by: i64,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// The valid changes of one push.
#[derive(Debug, Clone, Default)]
pub struct ChangeBatch {
    /// The sign-in (device) that pushed it: the revision rules recognise a device's own versions.
    pub device: i64,
    /// Answered one by one, in this order. Stored households first, so a
    /// visit may name a household of the same push; then the visits,
    /// together; then the rest in this order.
    pub changes: Vec<Change>,
}

/// One valid change of a push.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    Household(Pushed<Household>),
    Visit(Pushed<Visit>),
    VisitDeleted(VisitId),
    CommunitySession(Pushed<CommunitySession>),
    CommunitySessionDeleted(CommunitySessionId),
}

impl Change {
    pub fn kind(&self) -> ChangeKind {
        match self {
            Change::Household(_) => ChangeKind::Household,
            Change::Visit(_) => ChangeKind::Visit,
            Change::VisitDeleted(_) => ChangeKind::VisitDeleted,
            Change::CommunitySession(_) => ChangeKind::CommunitySession,
            Change::CommunitySessionDeleted(_) => ChangeKind::CommunitySessionDeleted,
        }
    }
}

/// What storage did with one change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stored {
    pub status: PushStatus,
    /// The record's revision on the server after the change, when it is stored (not for deletions).
    pub revision: Option<u32>,
}

impl Stored {
    /// An answer that says no revision: deletions, conflicts.
    pub fn status(status: PushStatus) -> Self {
        Stored { status, revision: None }
    }
}

/// What became of each change of a [`ChangeBatch`], or the field that made
/// it impossible (a visit of a household the commune lacks).
pub type StoreResult = Result<Stored, FieldError>;

/// One page of a pull.
#[derive(Debug, Clone)]
pub struct PullPage {
    pub changes: Vec<PulledChange>,
    /// The last change's sequence number: the next pull starts after it.
    pub cursor: i64,
    pub has_more: bool,
}

/// A visit of a pull's page, as it stands now.
#[derive(Debug, Clone)]
pub(crate) struct PulledVisit {
    pub deleted: bool,
    pub author_id: i64,
    pub team_id: Option<i64>,
    pub visit: Visit,
}

impl PulledVisit {
    /// The visits of a pull page, by id, from the one JSON row each engine
    /// builds: `[[id, deleted, author_id, team_id, <visit>], …]`.
    pub(crate) fn page_from_json(json: &str) -> DbResult<std::collections::HashMap<String, PulledVisit>> {
        let rows: Vec<(String, bool, i64, Option<i64>, Visit)> = serde_json::from_str(json)
            .map_err(|error| DbError::Inconsistent(format!("visits of a pull page: {error}")))?;
        Ok(rows
            .into_iter()
            .map(|(id, deleted, author_id, team_id, visit)| (id, PulledVisit { deleted, author_id, team_id, visit }))
            .collect())
    }

    /// What `actor` is sent of it: the visit, or its deletion if it is deleted or
    /// has left their reach since it was logged for them (moved to another team's
    /// household), so their phone drops its copy. Their own always comes back.
    pub(crate) fn change_for(self, actor: &Scope) -> PulledChange {
        let in_reach =
            self.author_id == actor.user_id || actor.logged.covers(self.team_id, self.author_id, actor.user_id);
        if self.deleted || !in_reach {
            PulledChange::VisitDeleted { id: self.visit.id }
        } else {
            PulledChange::Visit { visit: self.visit, author_id: self.author_id }
        }
    }
}

/// The engines a database URL may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    /// The engine of `url` (`sqlite:…`, `postgres:…` or `postgresql:…`).
    pub fn of(url: &str) -> DbResult<Engine> {
        if url.starts_with("sqlite:") {
            Ok(Engine::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Ok(Engine::Postgres)
        } else {
            Err(DbError::UnsupportedUrl(url.to_owned()))
        }
    }

    /// The engine's name, as people write it.
    pub fn name(self) -> &'static str {
        match self {
            Engine::Sqlite => "SQLite",
            Engine::Postgres => "PostgreSQL",
        }
    }
}

/// The database, whichever backend holds it: handlers call the [`Storage`]
/// traits through it (`state.db.pull(…)`).
#[derive(Clone)]
pub struct Database(Arc<dyn Storage>);

impl Database {
    /// Opens (creating if needed) the database at `url` and brings its schema up to date.
    pub async fn connect(url: &str) -> DbResult<Database> {
        match Engine::of(url)? {
            Engine::Sqlite => Ok(Database(Arc::new(SqliteDatabase::connect(url).await?))),
            Engine::Postgres => Ok(Database(Arc::new(PostgresDatabase::connect(url).await?))),
        }
    }

    /// Copies the whole SQLite database `from` into the PostgreSQL database
    /// `to` (migrated first, and holding no commune yet): how many rows of
    /// each table. `from` is only read; stop the servers using it first, or
    /// what they store afterwards stays behind.
    pub async fn copy(from: &str, to: &str) -> DbResult<Copied> {
        match (Engine::of(from)?, Engine::of(to)?) {
            (Engine::Sqlite, Engine::Postgres) => PostgresDatabase::connect(to).await?.copy_from_sqlite(from).await,
            _ => Err(DbError::CopyTarget(format!("from sqlite://… to postgres://…, not {from} to {to}"))),
        }
    }

    /// Copies the whole database at `url`, consistent as of one moment, to a
    /// new file at `to`, while servers go on using it. Unlike [`Self::connect`]
    /// it changes nothing: a database that does not exist is an error (a
    /// mistyped path never creates one), and no migration or set-up runs.
    pub async fn back_up(url: &str, to: &std::path::Path) -> DbResult<()> {
        match Engine::of(url)? {
            Engine::Sqlite => SqliteDatabase::back_up(url, to).await,
            Engine::Postgres => Err(DbError::BackupOfPostgres),
        }
    }
}

impl std::ops::Deref for Database {
    type Target = dyn Storage;

    fn deref(&self) -> &Self::Target {
        &*self.0
    }
}
