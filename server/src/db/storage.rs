//! The storage interface the handlers call: small traits, one per area,
//! that a backend implements method by method with no rules inside (what a
//! write means is decided above storage — `gocua_domain::sync::judge`, the
//! handlers and `crate::access` — and storage binds the values it is given).
//! SQLite (`super::sqlite`) implements them all; a second backend implements
//! the same traits, and [`super::Database`] holds whichever was opened.

use super::*;
use async_trait::async_trait;
use gocua_domain::report::Quarter;
use gocua_domain::submission::SubmitRefusal;

/// Setting up a server from the command line and the demo: communes, villages, teams, users and skills named as people type them.
#[async_trait]
pub trait Setup {
    async fn add_skill(&self, commune: &str, entry: &CatalogueEntry) -> DbResult<()>;

    async fn retire_skill(&self, commune: &str, code: &str) -> DbResult<()>;

    async fn add_commune(&self, name: &str) -> DbResult<i64>;

    async fn add_village(&self, commune: &str, name: &str, households: u32) -> DbResult<i64>;

    async fn add_team(&self, commune: &str, name: &str) -> DbResult<i64>;

    async fn add_user(&self, user: &NewUser) -> DbResult<i64>;

    /// Recomputes the dashboard's kept figures from the visits (they are
    /// kept up to date by every write; this is for data loaded around the server).
    async fn rebuild_aggregates(&self) -> DbResult<()>;

    /// Folds the visits pushes queued into the kept figures now, instead of
    /// a moment later or at the next read of them (the benchmarks time it).
    async fn fold_queued_figures(&self) -> DbResult<()>;
}

/// Provinces above their communes, and the accounts of their Department of
/// Science and Technology.
#[async_trait]
pub trait Provinces {
    /// A new province, named as people type it (the command line, the demo).
    async fn add_province(&self, name: &str) -> DbResult<i64>;

    /// Puts the commune named `commune` in the province named `province` (the command line, the demo).
    async fn place_commune(&self, commune: &str, province: &str) -> DbResult<()>;

    /// A province account, its province named (the command line, the demo).
    async fn add_province_account(&self, account: &NewProvinceAccount) -> DbResult<i64>;

    /// A new commune of the province (the Department, through the API), with
    /// the starting skill catalogue and a `commune.created` entry in its own
    /// audit log under `by` (the province account), all in one transaction.
    /// The name must be new on the server: [`DbError::AlreadyExists`] otherwise.
    /// The commune counts in its province's quarters from today's on.
    async fn create_province_commune(&self, province_id: i64, name: &str, by: i64) -> DbResult<Commune>;

    /// The province's communes, by name.
    async fn province_communes(&self, province_id: i64) -> DbResult<Vec<Commune>>;

    /// Invites to the coordination of the province's communes neither used, cancelled nor expired, newest first.
    async fn province_invites(&self, province_id: i64, now: DateTime<Utc>) -> DbResult<Vec<Invite>>;

    /// The province.
    async fn province(&self, province_id: i64) -> DbResult<Province>;

    /// Each of the province's communes (in no order) with its figures of
    /// `quarter` ([`quarter_figures::PROVINCE_QUARTER`]): a few kept rows a
    /// commune, whatever its size.
    async fn province_quarter(
        &self,
        province_id: i64,
        quarter: Quarter,
    ) -> DbResult<Vec<quarter_figures::CommuneQuarter>>;

    /// The activity of the days `days.0` to `days.1` of each of the province's communes, by id.
    async fn province_activity(
        &self,
        province_id: i64,
        days: (chrono::NaiveDate, chrono::NaiveDate),
    ) -> DbResult<Vec<(i64, quarter_figures::CommuneActivity)>>;

    /// The skills guided and completed in `quarter` by each commune of the province, per skill group.
    async fn province_skills(
        &self,
        province_id: i64,
        quarter: Quarter,
    ) -> DbResult<Vec<quarter_figures::CommuneSkills>>;
}

/// Accounts and the invites that create them.
#[async_trait]
pub trait Accounts {
    async fn credentials(&self, username: &str) -> DbResult<Option<Credentials>>;

    async fn profile(&self, user_id: i64) -> DbResult<Profile>;

    /// The commune's accounts (only a team's, when given).
    async fn accounts(&self, commune_id: i64, team_id: Option<i64>) -> DbResult<Vec<Account>>;

    /// An account of the commune; `None` for another commune's.
    async fn account(&self, commune_id: i64, user_id: i64) -> DbResult<Option<Account>>;

    async fn team_in_commune(&self, commune_id: i64, team_id: i64) -> DbResult<Option<Team>>;

    async fn create_account(
        &self,
        account: &NewAccount,
        now: DateTime<Utc>,
        audit: Option<&AuditNote>,
    ) -> DbResult<i64>;

    /// Changes an account; deactivating it also revokes every session it has, in the same transaction.
    async fn update_account(
        &self,
        user_id: i64,
        update: &AccountUpdate,
        now: DateTime<Utc>,
        audit: &AuditNote,
    ) -> DbResult<()>;

    async fn create_invite(&self, invite: &NewInvite, audit: &AuditNote) -> DbResult<i64>;

    /// Invites neither used, cancelled nor expired.
    async fn open_invites(&self, commune_id: i64, team_id: Option<i64>, now: DateTime<Utc>) -> DbResult<Vec<Invite>>;

    async fn invite(&self, invite_id: i64) -> DbResult<Option<Invite>>;

    /// Cancels an open invite; false if there is none in that scope.
    async fn cancel_invite(
        &self,
        commune_id: i64,
        team_id: Option<i64>,
        invite_id: i64,
        now: DateTime<Utc>,
        audit: &AuditNote,
    ) -> DbResult<bool>;

    /// Creates the invite's account, marks it used and logs `account.joined`, atomically; the new user's id.
    async fn redeem_invite(
        &self,
        code_hash: &[u8],
        username: &str,
        display_name: &str,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> DbResult<i64>;
}

/// Sign-in sessions, one per device.
#[async_trait]
pub trait Devices {
    async fn create_session(
        &self,
        user_id: i64,
        token_hash: &[u8],
        device: &str,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> DbResult<()>;

    async fn delete_session(&self, token_hash: &[u8]) -> DbResult<()>;

    /// Who holds the token with this hash, if its session is still good.
    async fn check_session(&self, token_hash: &[u8], now: DateTime<Utc>) -> DbResult<SessionCheck>;

    /// The user's sessions in use, most recently used first.
    async fn sessions_of(&self, user_id: i64, now: DateTime<Utc>) -> DbResult<Vec<DeviceSession>>;

    /// Revokes one session of `user_id` on behalf of `revoked_by`, noting it in
    /// the commune's audit log when `audit` is given (a province account's own
    /// devices are no commune's); false if there is no such session in use.
    async fn revoke_session(
        &self,
        user_id: i64,
        session_id: i64,
        now: DateTime<Utc>,
        revoked_by: i64,
        audit: Option<&AuditNote>,
    ) -> DbResult<bool>;
}

/// What a coordinator sets up: villages, teams and the skill catalogue.
#[async_trait]
pub trait Places {
    /// The commune's villages with their household counts, in name order.
    async fn villages(&self, commune_id: i64) -> DbResult<Vec<Village>>;

    async fn village_ids(&self, commune_id: i64) -> DbResult<Vec<i64>>;

    async fn create_village(
        &self,
        commune_id: i64,
        name: &str,
        households: u32,
        audit: Option<&AuditNote>,
    ) -> DbResult<i64>;

    /// False if the commune has no such village.
    async fn update_village(
        &self,
        commune_id: i64,
        village_id: i64,
        name: Option<&str>,
        households: Option<u32>,
        audit: &AuditNote,
    ) -> DbResult<bool>;

    /// The commune's teams with their active members, in name order.
    async fn teams(&self, commune_id: i64) -> DbResult<Vec<TeamSummary>>;

    async fn create_team(&self, commune_id: i64, name: &str, audit: Option<&AuditNote>) -> DbResult<i64>;

    /// False if the commune has no such team.
    async fn rename_team(&self, commune_id: i64, team_id: i64, name: &str, audit: &AuditNote) -> DbResult<bool>;

    async fn catalogue(&self, commune_id: i64) -> DbResult<Catalogue>;

    /// Adds a skill at the end of the commune's catalogue.
    async fn create_skill(&self, commune_id: i64, entry: &CatalogueEntry, audit: Option<&AuditNote>) -> DbResult<()>;

    /// False if the commune has no such skill.
    async fn update_skill(
        &self,
        commune_id: i64,
        code: &str,
        change: &gocua_domain::api::SkillChange,
        audit: Option<&AuditNote>,
    ) -> DbResult<bool>;
}

/// The records phones sync: a push's changes and pages of a pull.
#[async_trait]
pub trait Records {
    /// Applies a push's households, visits, deleted visits, community sessions and their deletions,
    /// in one transaction; one result per change, in the same order.
    async fn store_changes(&self, scope: &Scope, batch: &ChangeBatch, now: DateTime<Utc>)
        -> DbResult<Vec<StoreResult>>;

    /// Up to `limit` changes after the cursor `since`, within what `actor` may see.
    async fn pull(&self, scope: &Scope, since: i64, limit: usize) -> DbResult<PullPage>;

    /// A page of the visits `actor` may read — a volunteer's own, a leader's team's, a
    /// coordinator's commune's — newest first: up to `limit`, those older than `before`.
    async fn visible_visits_page(
        &self,
        scope: &Scope,
        before: Option<&VisitsBefore>,
        limit: u32,
    ) -> DbResult<Vec<StoredVisit>>;

    /// Every visit `actor` may read, newest first.
    async fn visible_visits(&self, scope: &Scope) -> DbResult<Vec<StoredVisit>> {
        self.visible_visits_page(scope, None, u32::MAX).await
    }

    /// The households of `actor`'s team (a coordinator: the commune's).
    async fn visible_households(&self, scope: &Scope) -> DbResult<Vec<Household>>;
}

/// A household's personal data, read, corrected or erased by a coordinator.
#[async_trait]
pub trait PersonalData {
    /// A household `actor` may read (their team's; a coordinator: the commune's), as stored.
    async fn visible_household(&self, scope: &Scope, id: &str) -> DbResult<Option<Household>>;

    /// Stores a coordinator's correction of a household (validated, at the next revision).
    async fn correct_household(&self, scope: &Scope, corrected: &Household, now: DateTime<Utc>) -> DbResult<bool>;

    /// Erases a household's personal data at its request; phones learn it at their next pull.
    async fn erase_household(&self, scope: &Scope, id: &str, now: DateTime<Utc>) -> DbResult<()>;
}

/// A leader voids a visit that should not count.
#[async_trait]
pub trait Voiding {
    /// A leader (their team's) or coordinator (their commune's) voids a visit.
    async fn void_visit(&self, scope: &Scope, id: &str, now: DateTime<Utc>) -> DbResult<VoidOutcome>;
}

/// The visit log, streamed for exports.
#[async_trait]
pub trait VisitLog {
    /// Streams the visit log matching `filter` into `rows`, oldest first; returns how many rows were sent.
    async fn stream_visit_log(
        &self,
        filter: &VisitLogFilter,
        rows: tokio::sync::mpsc::Sender<DbResult<gocua_domain::export::VisitLogRow>>,
    ) -> DbResult<u64>;
}

/// The dashboard's and the quarterly report's figures, from the kept aggregates.
#[async_trait]
pub trait Figures {
    async fn dashboard_totals(&self, scope: &DashboardScope) -> DbResult<Totals>;

    async fn dashboard_villages(&self, scope: &DashboardScope) -> DbResult<Vec<VillageFigures>>;

    async fn dashboard_community_sessions(
        &self,
        scope: &DashboardScope,
    ) -> DbResult<gocua_domain::dashboard::CommunitySessionFigures>;

    async fn dashboard_volunteers(&self, scope: &DashboardScope) -> DbResult<Vec<VolunteerFigures>>;

    async fn dashboard_days(&self, scope: &DashboardScope) -> DbResult<Vec<DayFigures>>;

    async fn dashboard_follow_ups(&self, scope: &DashboardScope, by: chrono::NaiveDate) -> DbResult<FollowUps>;

    async fn dashboard_teams(&self, scope: &DashboardScope) -> DbResult<Vec<gocua_domain::report::TeamFigures>>;

    async fn dashboard_skills(&self, scope: &DashboardScope) -> DbResult<Vec<SkillFigures>>;
}

/// The audit log: appended to, never changed.
#[async_trait]
pub trait AuditLog {
    /// Appends to the audit log: `actor` did `action` to `subject`.
    async fn audit(&self, actor: &Actor, action: &str, subject: &str, detail: &str) -> DbResult<()>;

    /// The commune's audit entries older than `before`, newest first.
    async fn audit_log(&self, commune_id: i64, before: Option<i64>, limit: usize) -> DbResult<Vec<AuditEntry>>;
}

/// Quarterly reports sent upward (issue 15), kept as they were submitted.
#[async_trait]
pub trait ReportSubmissions {
    /// The commune's submission of `quarter`, if any.
    async fn report_submission(&self, commune_id: i64, quarter: Quarter) -> DbResult<Option<StoredSubmission>>;

    /// The submissions of `quarter` of the province's communes, each with its commune's id.
    async fn province_submissions(&self, province_id: i64, quarter: Quarter) -> DbResult<Vec<(i64, StoredSubmission)>>;

    /// Keeps `report` (the report as JSON) as the commune's submission of
    /// `quarter`, replacing an earlier one, when the domain's rule
    /// ([`gocua_domain::submission::may_submit`]) allows it on the day of
    /// `now`; with an audit entry. One transaction: two coordinators
    /// submitting at once are judged one after the other. `now` is when the
    /// report was compiled (taken before compiling it), and is kept as the
    /// submission's time: a report compiled before the one already kept does
    /// not replace it (that one is answered instead).
    async fn submit_report(
        &self,
        actor: &Actor,
        quarter: Quarter,
        report: &str,
        now: chrono::DateTime<chrono::Utc>,
    ) -> DbResult<Result<StoredSubmission, SubmitRefusal>>;
}

/// Sign-in attempts under their counters (an account, an invite code, an
/// address), shared by every server on the database (`crate::rate_limit`).
#[async_trait]
pub trait SignInAttempts {
    /// In one transaction: forgets every attempt started at or before
    /// `expired`; then, if each counter holds fewer attempts than its limit,
    /// records `attempt` at `now` under each counter, and otherwise records
    /// nothing and answers the start times held by each counter at its limit.
    async fn start_attempt(
        &self,
        attempt: &str,
        counters: &[AttemptCounter],
        expired: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> DbResult<AttemptStart>;

    /// Forgets `attempt` under `counters`, and every attempt under `cleared`.
    async fn forget_attempt(&self, attempt: &str, counters: &[String], cleared: Option<&str>) -> DbResult<()>;
}

/// A counter of attempts and how many it allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttemptCounter {
    pub key: String,
    pub limit: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttemptStart {
    Started,
    /// The start times (oldest first) held by each counter at its limit.
    Refused(Vec<(AttemptCounter, Vec<DateTime<Utc>>)>),
}

/// Running the server as a service: whether it can answer (a copy of
/// everything is [`Database::back_up`], which opens no server's database).
#[async_trait]
pub trait Operations {
    /// Whether the database answers and holds the schema this build writes.
    async fn readiness(&self) -> DbResult<Readiness>;
}

/// Whether a server may be sent requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Readiness {
    Ready,
    /// The database's schema is not the one this build writes (another
    /// build migrated it, or a migration failed half-way).
    SchemaMismatch {
        found: i64,
        expected: i64,
    },
}

/// Everything a backend provides.
pub trait Storage:
    Setup
    + Provinces
    + Accounts
    + Devices
    + Places
    + Records
    + PersonalData
    + Voiding
    + VisitLog
    + Figures
    + AuditLog
    + ReportSubmissions
    + SignInAttempts
    + Operations
    + Send
    + Sync
{
}

impl<T> Storage for T where
    T: Setup
        + Provinces
        + Accounts
        + Devices
        + Places
        + Records
        + PersonalData
        + Voiding
        + VisitLog
        + Figures
        + AuditLog
        + ReportSubmissions
        + SignInAttempts
        + Operations
        + Send
        + Sync
{
}
