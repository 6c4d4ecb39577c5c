//! Storage, behind one interface the handlers call.
//!
//! Handlers see [`Database`] and the plain records below, never SQL. SQLite
//! (the embedded default) is the one backend today; PostgreSQL becomes a
//! second variant of [`Database`] with its own module, and no handler changes.

mod sqlite;

use chrono::{DateTime, NaiveDate, Utc};
use gocua_domain::api::{
    Account, AuditEntry, DeviceSession, Invite, Profile, Role, StoredVisit, Team, TeamSummary, Village,
};
use gocua_domain::dashboard::{DayFigures, SkillFigures, Totals, VillageFigures, VolunteerFigures};
use gocua_domain::sync::{PulledChange, PushStatus, Pushed};
use gocua_domain::time::start_of_day;
use gocua_domain::validation::FieldError;
use gocua_domain::{Catalogue, CatalogueEntry, CommunitySession, CommunitySessionId, Household, Visit, VisitId};

pub use sqlite::SqliteDatabase;

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
    #[error("unsupported database URL {0:?}: use sqlite://PATH (PostgreSQL is not supported yet)")]
    UnsupportedUrl(String),
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

/// What a bearer token turns out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionCheck {
    Valid {
        actor: Actor,
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

/// An audit-log entry, written in the same transaction as the change it
/// records: the change and its entry are stored together or not at all.
#[derive(Debug, Clone)]
pub struct AuditNote<'a> {
    pub actor: &'a Actor,
    pub action: &'static str,
    /// What it is about (`village:3`); `None` for the record the change
    /// creates, which storage names once it has its id.
    pub subject: Option<String>,
    pub detail: String,
}

impl<'a> AuditNote<'a> {
    /// An entry about the record the change creates.
    pub fn new(actor: &'a Actor, action: &'static str, detail: impl Into<String>) -> Self {
        AuditNote { actor, action, subject: None, detail: detail.into() }
    }

    /// An entry about `subject`, an existing record.
    pub fn about(actor: &'a Actor, action: &'static str, subject: String, detail: impl Into<String>) -> Self {
        AuditNote { actor, action, subject: Some(subject), detail: detail.into() }
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

/// An invite to store; the code itself is never stored.
#[derive(Debug, Clone)]
pub struct NewInvite {
    pub code_hash: Vec<u8>,
    pub commune_id: i64,
    pub team_id: i64,
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
    pub households: Vec<Pushed<Household>>,
    pub visits: Vec<Pushed<Visit>>,
    pub deleted_visits: Vec<VisitId>,
    pub community_sessions: Vec<Pushed<CommunitySession>>,
    pub deleted_community_sessions: Vec<CommunitySessionId>,
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

/// One result per change of a [`ChangeBatch`], list by list, in the batch's order.
#[derive(Debug, Clone, Default)]
pub struct BatchResults {
    pub households: Vec<StoreResult>,
    pub visits: Vec<StoreResult>,
    pub deleted_visits: Vec<StoreResult>,
    pub community_sessions: Vec<StoreResult>,
    pub deleted_community_sessions: Vec<StoreResult>,
}

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

    pub async fn create_session(
        &self,
        user_id: i64,
        token_hash: &[u8],
        device: &str,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> DbResult<()> {
        match self {
            Database::Sqlite(db) => db.create_session(user_id, token_hash, device, now, expires_at).await,
        }
    }

    pub async fn delete_session(&self, token_hash: &[u8]) -> DbResult<()> {
        match self {
            Database::Sqlite(db) => db.delete_session(token_hash).await,
        }
    }

    /// Who holds the token with this hash, if its session is still good.
    pub async fn check_session(&self, token_hash: &[u8], now: DateTime<Utc>) -> DbResult<SessionCheck> {
        match self {
            Database::Sqlite(db) => db.check_session(token_hash, now).await,
        }
    }

    /// The user's sessions in use, most recently used first.
    pub async fn sessions_of(&self, user_id: i64, now: DateTime<Utc>) -> DbResult<Vec<DeviceSession>> {
        match self {
            Database::Sqlite(db) => db.sessions_of(user_id, now).await,
        }
    }

    /// Revokes one session of `user_id` on behalf of `audit`'s actor; false if there is no such session in use.
    pub async fn revoke_session(
        &self,
        user_id: i64,
        session_id: i64,
        now: DateTime<Utc>,
        audit: &AuditNote<'_>,
    ) -> DbResult<bool> {
        match self {
            Database::Sqlite(db) => db.revoke_session(user_id, session_id, now, audit).await,
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

    /// Applies a push's households, visits, deleted visits, community sessions and their deletions,
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

    /// The commune's accounts (only a team's, when given).
    pub async fn accounts(&self, commune_id: i64, team_id: Option<i64>) -> DbResult<Vec<Account>> {
        match self {
            Database::Sqlite(db) => db.accounts(commune_id, team_id).await,
        }
    }

    /// An account of the commune; `None` for another commune's.
    pub async fn account(&self, commune_id: i64, user_id: i64) -> DbResult<Option<Account>> {
        match self {
            Database::Sqlite(db) => db.account(commune_id, user_id).await,
        }
    }

    pub async fn team_in_commune(&self, commune_id: i64, team_id: i64) -> DbResult<Option<Team>> {
        match self {
            Database::Sqlite(db) => db.team_in_commune(commune_id, team_id).await,
        }
    }

    pub async fn create_account(
        &self,
        account: &NewAccount,
        now: DateTime<Utc>,
        audit: Option<&AuditNote<'_>>,
    ) -> DbResult<i64> {
        match self {
            Database::Sqlite(db) => db.create_account(account, now, audit).await,
        }
    }

    /// Changes an account; deactivating it also revokes every session it has, in the same transaction.
    pub async fn update_account(
        &self,
        user_id: i64,
        update: &AccountUpdate,
        now: DateTime<Utc>,
        audit: &AuditNote<'_>,
    ) -> DbResult<()> {
        match self {
            Database::Sqlite(db) => db.update_account(user_id, update, now, audit).await,
        }
    }

    pub async fn create_invite(&self, invite: &NewInvite, audit: &AuditNote<'_>) -> DbResult<i64> {
        match self {
            Database::Sqlite(db) => db.create_invite(invite, audit).await,
        }
    }

    /// Invites neither used, cancelled nor expired.
    pub async fn open_invites(
        &self,
        commune_id: i64,
        team_id: Option<i64>,
        now: DateTime<Utc>,
    ) -> DbResult<Vec<Invite>> {
        match self {
            Database::Sqlite(db) => db.open_invites(commune_id, team_id, now).await,
        }
    }

    pub async fn invite(&self, invite_id: i64) -> DbResult<Option<Invite>> {
        match self {
            Database::Sqlite(db) => db.invite(invite_id).await,
        }
    }

    /// Cancels an open invite; false if there is none in that scope.
    pub async fn cancel_invite(
        &self,
        commune_id: i64,
        team_id: Option<i64>,
        invite_id: i64,
        now: DateTime<Utc>,
        audit: &AuditNote<'_>,
    ) -> DbResult<bool> {
        match self {
            Database::Sqlite(db) => db.cancel_invite(commune_id, team_id, invite_id, now, audit).await,
        }
    }

    /// Creates the invite's account, marks it used and logs `account.joined`, atomically; the new user's id.
    pub async fn redeem_invite(
        &self,
        code_hash: &[u8],
        username: &str,
        display_name: &str,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> DbResult<i64> {
        match self {
            Database::Sqlite(db) => db.redeem_invite(code_hash, username, display_name, password_hash, now).await,
        }
    }

    /// Appends to the audit log: `actor` did `action` to `subject`.
    pub async fn audit(&self, actor: &Actor, action: &str, subject: &str, detail: &str) -> DbResult<()> {
        match self {
            Database::Sqlite(db) => db.audit(actor, action, subject, detail).await,
        }
    }

    /// The commune's audit entries older than `before`, newest first.
    pub async fn audit_log(&self, commune_id: i64, before: Option<i64>, limit: usize) -> DbResult<Vec<AuditEntry>> {
        match self {
            Database::Sqlite(db) => db.audit_log(commune_id, before, limit).await,
        }
    }

    /// A household `actor` may read (their team's; a coordinator: the commune's), as stored.
    pub async fn visible_household(&self, actor: &Actor, id: &str) -> DbResult<Option<Household>> {
        match self {
            Database::Sqlite(db) => db.visible_household(actor, id).await,
        }
    }

    /// Stores a coordinator's correction of a household (validated, at the next revision).
    pub async fn correct_household(&self, actor: &Actor, corrected: &Household, now: DateTime<Utc>) -> DbResult<()> {
        match self {
            Database::Sqlite(db) => db.correct_household(actor, corrected, now).await,
        }
    }

    /// Erases a household's personal data at its request; phones learn it at their next pull.
    pub async fn erase_household(&self, actor: &Actor, id: &str, now: DateTime<Utc>) -> DbResult<()> {
        match self {
            Database::Sqlite(db) => db.erase_household(actor, id, now).await,
        }
    }

    /// The commune's villages with their household counts, in name order.
    pub async fn villages(&self, commune_id: i64) -> DbResult<Vec<Village>> {
        match self {
            Database::Sqlite(db) => db.villages(commune_id).await,
        }
    }

    pub async fn create_village(
        &self,
        commune_id: i64,
        name: &str,
        households: u32,
        audit: Option<&AuditNote<'_>>,
    ) -> DbResult<i64> {
        match self {
            Database::Sqlite(db) => db.create_village(commune_id, name, households, audit).await,
        }
    }

    /// False if the commune has no such village.
    pub async fn update_village(
        &self,
        commune_id: i64,
        village_id: i64,
        name: Option<&str>,
        households: Option<u32>,
        audit: &AuditNote<'_>,
    ) -> DbResult<bool> {
        match self {
            Database::Sqlite(db) => db.update_village(commune_id, village_id, name, households, audit).await,
        }
    }

    /// The commune's teams with their active members, in name order.
    pub async fn teams(&self, commune_id: i64) -> DbResult<Vec<TeamSummary>> {
        match self {
            Database::Sqlite(db) => db.teams(commune_id).await,
        }
    }

    pub async fn create_team(&self, commune_id: i64, name: &str, audit: Option<&AuditNote<'_>>) -> DbResult<i64> {
        match self {
            Database::Sqlite(db) => db.create_team(commune_id, name, audit).await,
        }
    }

    /// False if the commune has no such team.
    pub async fn rename_team(
        &self,
        commune_id: i64,
        team_id: i64,
        name: &str,
        audit: &AuditNote<'_>,
    ) -> DbResult<bool> {
        match self {
            Database::Sqlite(db) => db.rename_team(commune_id, team_id, name, audit).await,
        }
    }

    /// Adds a skill at the end of the commune's catalogue.
    pub async fn create_skill(
        &self,
        commune_id: i64,
        entry: &CatalogueEntry,
        audit: Option<&AuditNote<'_>>,
    ) -> DbResult<()> {
        match self {
            Database::Sqlite(db) => db.create_skill(commune_id, entry, audit).await,
        }
    }

    /// False if the commune has no such skill.
    pub async fn update_skill(
        &self,
        commune_id: i64,
        code: &str,
        change: &gocua_domain::api::SkillChange,
        audit: Option<&AuditNote<'_>>,
    ) -> DbResult<bool> {
        match self {
            Database::Sqlite(db) => db.update_skill(commune_id, code, change, audit).await,
        }
    }

    /// A leader (their team's) or coordinator (their commune's) voids a visit.
    pub async fn void_visit(&self, actor: &Actor, id: &str, now: DateTime<Utc>) -> DbResult<VoidOutcome> {
        match self {
            Database::Sqlite(db) => db.void_visit(actor, id, now).await,
        }
    }

    /// Streams the visit log matching `filter` into `rows`, oldest first; returns how many rows were sent.
    pub async fn stream_visit_log(
        &self,
        filter: &VisitLogFilter,
        rows: tokio::sync::mpsc::Sender<DbResult<gocua_domain::export::VisitLogRow>>,
    ) -> DbResult<u64> {
        match self {
            Database::Sqlite(db) => db.stream_visit_log(filter, rows).await,
        }
    }

    pub async fn dashboard_totals(&self, scope: &DashboardScope) -> DbResult<Totals> {
        match self {
            Database::Sqlite(db) => db.dashboard_totals(scope).await,
        }
    }

    pub async fn dashboard_villages(&self, scope: &DashboardScope) -> DbResult<Vec<VillageFigures>> {
        match self {
            Database::Sqlite(db) => db.dashboard_villages(scope).await,
        }
    }

    pub async fn dashboard_volunteers(&self, scope: &DashboardScope) -> DbResult<Vec<VolunteerFigures>> {
        match self {
            Database::Sqlite(db) => db.dashboard_volunteers(scope).await,
        }
    }

    pub async fn dashboard_days(&self, scope: &DashboardScope) -> DbResult<Vec<DayFigures>> {
        match self {
            Database::Sqlite(db) => db.dashboard_days(scope).await,
        }
    }

    pub async fn dashboard_skills(&self, scope: &DashboardScope) -> DbResult<Vec<SkillFigures>> {
        match self {
            Database::Sqlite(db) => db.dashboard_skills(scope).await,
        }
    }

    /// Recomputes the dashboard's kept figures from the visits (they are
    /// kept up to date by every write; this is for data loaded around the server).
    pub async fn rebuild_aggregates(&self) -> DbResult<()> {
        match self {
            Database::Sqlite(db) => db.rebuild_aggregates().await,
        }
    }

    pub async fn dashboard_community_sessions(
        &self,
        scope: &DashboardScope,
    ) -> DbResult<gocua_domain::dashboard::CommunitySessionFigures> {
        match self {
            Database::Sqlite(db) => db.dashboard_community_sessions(scope).await,
        }
    }

    pub async fn dashboard_teams(&self, scope: &DashboardScope) -> DbResult<Vec<gocua_domain::report::TeamFigures>> {
        match self {
            Database::Sqlite(db) => db.dashboard_teams(scope).await,
        }
    }

    pub async fn dashboard_follow_ups(&self, scope: &DashboardScope, by: chrono::NaiveDate) -> DbResult<FollowUps> {
        match self {
            Database::Sqlite(db) => db.dashboard_follow_ups(scope, by).await,
        }
    }
}
