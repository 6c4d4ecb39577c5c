//! Two-way sync: the phone's pending records go up, what the team knows comes down.
//!
//! The outbox is every household, visit and community session whose state
//! is `Pending` (deleted visits and sessions travel as tombstones). A record becomes `Synced` only when
//! the server's answer names it `applied` or `duplicate`, so a push cut
//! halfway is simply repeated and the server's idempotency makes the repeat
//! harmless. Then the phone pulls the team's households, its own visits and
//! the commune's catalogue and villages.

pub mod lock;
mod scheduler;
pub mod sign_out;

pub use scheduler::start;

use crate::api::{self, ApiError};
use crate::components::storage_failure;
use crate::i18n;
use crate::notebook::Notebook;
use crate::session::Session;
use crate::store::{LocalCommunitySession, LocalHousehold, LocalVisit, StoreError};
use chrono::{DateTime, Utc};
use gocua_domain::sync::phone::{self, PhoneCopy, Settled};
use gocua_domain::sync::{ChangeKind, PushRequest, PushResult, MAX_PUSH_CHANGES};
use gocua_domain::{CommunitySession, Visit};
use leptos::prelude::*;

/// Records per push: the server's limit; each is small.
pub const BATCH_SIZE: usize = MAX_PUSH_CHANGES;

/// Why a sync stopped: the server or the network, or the phone could not keep what the server said.
enum SyncFailure {
    Api(ApiError),
    Storage(StoreError),
}

impl From<ApiError> for SyncFailure {
    fn from(error: ApiError) -> Self {
        SyncFailure::Api(error)
    }
}
/// Changes per pull page.
pub const PULL_PAGE: usize = 500;

/// What the sync bar shows.
#[derive(Clone, Copy)]
pub struct SyncStatus {
    pub running: RwSignal<bool>,
    pub online: RwSignal<bool>,
    pub last_synced: RwSignal<Option<DateTime<Utc>>>,
    /// The last failure, in Vietnamese; cleared by the next successful sync.
    pub last_error: RwSignal<Option<String>>,
    /// Records answered so far and records to push, while a push runs.
    pub progress: RwSignal<Option<(usize, usize)>>,
    /// The app has not yet tried its first sync since it opened: until it
    /// has, what teammates changed meanwhile is not on the phone, and "all
    /// synced" would be said too soon.
    pub first_sync_due: RwSignal<bool>,
}

impl SyncStatus {
    pub fn new(last_synced: Option<DateTime<Utc>>) -> Self {
        SyncStatus {
            running: RwSignal::new(false),
            online: RwSignal::new(window().navigator().on_line()),
            last_synced: RwSignal::new(last_synced),
            last_error: RwSignal::new(None),
            progress: RwSignal::new(None),
            first_sync_due: RwSignal::new(true),
        }
    }
}

/// Whether a call to [`push_pending`] synced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncRun {
    /// It ran (successfully or not: see `SyncStatus::last_error`).
    Ran,
    /// Another sync was running, in this tab or another; try again shortly.
    Busy,
    /// Nothing to do now: not signed in, or the phone's records are still being read.
    NotNow,
}

/// How long to keep asking while another sync holds the phone.
#[derive(Debug, Clone, Copy)]
pub struct BusyWait {
    /// How many times to ask again after the first.
    pub retries: u32,
    /// The pause between two asks.
    pub pause_ms: u32,
}

/// Syncs once no other sync runs: asks, and while it is turned away as busy
/// waits and asks again, as long as `still_wanted` says so and `wait` allows.
/// Returns the last answer (`Busy` when the other sync outlasted the wait).
pub async fn push_when_free(
    notebook: Notebook,
    status: SyncStatus,
    wait: BusyWait,
    still_wanted: impl Fn() -> bool,
) -> SyncRun {
    let mut outcome = SyncRun::Busy;
    for attempt in 0..=wait.retries {
        if attempt > 0 {
            gloo_timers::future::TimeoutFuture::new(wait.pause_ms).await;
        }
        if !still_wanted() {
            break;
        }
        outcome = push_pending(notebook, status).await;
        if outcome != SyncRun::Busy {
            break;
        }
    }
    outcome
}

/// Pushes every pending record and pulls what changed, unless a sync is
/// already running (in this tab, or in another tab of the app).
pub async fn push_pending(notebook: Notebook, status: SyncStatus) -> SyncRun {
    // Until every record is read, the outbox is not known whole; the schedule syncs once it is.
    if !notebook.fully_loaded.get_untracked() {
        return SyncRun::NotNow;
    }
    if status.running.get_untracked() {
        return SyncRun::Busy;
    }
    let Some((token, role)) =
        notebook.session.with_untracked(|session| session.as_ref().map(|s| (s.token.clone(), s.profile.role)))
    else {
        return SyncRun::NotNow;
    };
    // A province account logs nothing and holds no commune's records: nothing to sync.
    if !role.of_commune() {
        return SyncRun::NotNow;
    }
    status.running.set(true);
    if lock::exclusively(sync_once(notebook, status, token)).await {
        SyncRun::Ran
    } else {
        status.running.set(false);
        SyncRun::Busy
    }
}

/// Starts a sync in the background (after a save, a sign-in, a choice).
pub fn sync_soon(notebook: Notebook, status: SyncStatus) {
    leptos::task::spawn_local(async move {
        push_pending(notebook, status).await;
    });
}

async fn sync_once(notebook: Notebook, status: SyncStatus, token: String) {
    sign_out::end_waiting_sessions(notebook).await;
    let pushed = push_all(&notebook, &status, &token).await;
    // What failed after this, if anything, is bringing the team's changes down.
    let pushed_all = pushed.is_ok();
    let outcome = match pushed {
        Ok(()) => pull_all(&notebook, &token).await,
        Err(error) => Err(error),
    };
    status.running.set(false);
    status.progress.set(None);
    match outcome {
        Ok(()) => {
            let now = Utc::now();
            status.last_synced.set(Some(now));
            status.last_error.set(None);
            if let Ok(store) = notebook.store() {
                let _ = store.save_last_sync(now);
            }
        }
        // The server no longer accepts this phone's session: everything stays, and the volunteer signs in again.
        Err(SyncFailure::Api(ApiError::Unauthorized { message, .. })) => notebook.session_ended(message),
        // What was waiting went up: the bar must not say it will be sent later
        // (anything saved since is counted as waiting by the bar itself).
        Err(SyncFailure::Api(ApiError::Network(_))) if pushed_all => {
            status.last_error.set(Some(i18n::ERROR_NETWORK_ON_PULL.to_owned()))
        }
        Err(SyncFailure::Api(error)) => status.last_error.set(Some(describe(&error))),
        Err(SyncFailure::Storage(error)) => {
            let said = if error == StoreError::QuotaExceeded {
                i18n::ERROR_STORAGE_FULL_ON_SYNC
            } else {
                storage_failure(&error)
            };
            status.last_error.set(Some(said.to_owned()));
            // Said once, for the sync: the failed write's own line speaks of a save.
            notebook.storage_problem.set(None);
        }
    }
}

async fn push_all(notebook: &Notebook, status: &SyncStatus, token: &str) -> Result<(), SyncFailure> {
    let total = notebook.pending_count_untracked();
    let mut done = 0;
    loop {
        status.progress.set((total > 0).then_some((done.min(total), total)));
        let Some(batch) = Outbox::next(notebook) else { return Ok(()) };
        let response = api::push(token, &batch.request()).await?;
        let settled = batch.settle(notebook, &response.results, Utc::now())?;
        done += settled;
        if settled == 0 {
            return Err(ApiError::Decode("the server answered for none of the changes pushed".into()).into());
        }
    }
}

/// One push's worth of the outbox: the copies pushed, kept to settle each
/// with the server's answer about it. Built and settled outside the async
/// push loop, so the loop's state machine stays small (the app's size,
/// docs/benchmarks.md).
struct Outbox {
    households: Vec<LocalHousehold>,
    visits: Vec<LocalVisit>,
    deleted_visits: Vec<LocalVisit>,
    sessions: Vec<LocalCommunitySession>,
    deleted_sessions: Vec<LocalCommunitySession>,
}

impl Outbox {
    /// The next batch of pending records, households first; `None` when nothing is pending.
    fn next(notebook: &Notebook) -> Option<Outbox> {
        let mut room = BATCH_SIZE;
        let households: Vec<_> = notebook.pending_households().into_iter().take(room).collect();
        room -= households.len();
        let (deleted_visits, visits): (Vec<_>, Vec<_>) =
            notebook.pending::<Visit>().into_iter().take(room).partition(|local| local.deleted);
        room -= deleted_visits.len() + visits.len();
        let (deleted_sessions, sessions): (Vec<_>, Vec<_>) =
            notebook.pending::<CommunitySession>().into_iter().take(room).partition(|local| local.deleted);
        let batch = Outbox { households, visits, deleted_visits, sessions, deleted_sessions };
        (!batch.is_empty()).then_some(batch)
    }

    fn is_empty(&self) -> bool {
        self.households.is_empty()
            && self.visits.is_empty()
            && self.deleted_visits.is_empty()
            && self.sessions.is_empty()
            && self.deleted_sessions.is_empty()
    }

    fn request(&self) -> PushRequest {
        PushRequest {
            households: self.households.iter().map(|local| phone::to_push(local, local.household.to_input())).collect(),
            visits: self.visits.iter().map(|local| phone::to_push(local, local.record.to_input())).collect(),
            deleted_visits: self.deleted_visits.iter().map(|local| local.record.id.to_string()).collect(),
            community_sessions: self
                .sessions
                .iter()
                .map(|local| phone::to_push(local, local.record.to_input()))
                .collect(),
            deleted_community_sessions: self.deleted_sessions.iter().map(|local| local.record.id.to_string()).collect(),
        }
    }

    /// Settles each pushed copy with the server's answer about it; how many were answered.
    /// The answer is about what was pushed: the domain's rule settles a copy
    /// only if it is still that version (see `phone::settle`).
    fn settle(&self, notebook: &Notebook, results: &[PushResult], now: DateTime<Utc>) -> Result<usize, SyncFailure> {
        let mut settled = 0;
        for result in results {
            let named = |id: String| id == result.id;
            let answered = match result.kind {
                ChangeKind::Household => {
                    self.households.iter().find(|h| named(h.household.id.to_string())).map(|pushed| {
                        let current = notebook.household(pushed.household.id);
                        settle_copy(pushed, current, result, now, |copy| notebook.keep_household(copy), |_| ())
                    })
                }
                ChangeKind::Visit | ChangeKind::VisitDeleted => {
                    let pushed_list =
                        if result.kind == ChangeKind::Visit { &self.visits } else { &self.deleted_visits };
                    pushed_list.iter().find(|v| named(v.record.id.to_string())).map(|pushed| {
                        let current = notebook.logged(pushed.record.id);
                        let forget = |copy: LocalVisit| notebook.forget(copy.record.id);
                        settle_copy(pushed, current, result, now, |copy| notebook.keep(copy), forget)
                    })
                }
                ChangeKind::CommunitySession | ChangeKind::CommunitySessionDeleted => {
                    let pushed_list = if result.kind == ChangeKind::CommunitySession {
                        &self.sessions
                    } else {
                        &self.deleted_sessions
                    };
                    pushed_list.iter().find(|s| named(s.record.id.to_string())).map(|pushed| {
                        let current = notebook.logged(pushed.record.id);
                        let forget = |copy: LocalCommunitySession| notebook.forget(copy.record.id);
                        let keep = |copy| notebook.keep(copy);
                        settle_copy(pushed, current, result, now, keep, forget)
                    })
                }
            };
            if let Some(answered) = answered {
                answered?;
                settled += 1;
            }
        }
        Ok(settled)
    }
}

/// A failed local write after the server stored a change leaves the record
/// pending: the next push is answered `duplicate`. Stop here and say so.
fn keep_or_stop(result: Result<(), StoreError>) -> Result<(), SyncFailure> {
    result.map_err(SyncFailure::Storage)
}

/// Pulls every page of changes after the phone's cursor, then the catalogue and villages.
async fn pull_all(notebook: &Notebook, token: &str) -> Result<(), SyncFailure> {
    let store = notebook.store().map_err(SyncFailure::Storage)?;
    let mut cursor = store.pull_cursor();
    loop {
        let page = match api::pull(token, cursor.as_deref(), PULL_PAGE).await {
            // A cursor the server does not know (a restored server): start again from the beginning.
            Err(ApiError::Server { code, .. }) if code == "invalid_cursor" && cursor.is_some() => {
                cursor = None;
                continue;
            }
            other => other?,
        };
        let now = Utc::now();
        for change in page.changes {
            keep_or_stop(notebook.apply_pulled(change, now))?;
        }
        // The cursor moves only after the page is kept: a cut pull resumes where it stopped.
        keep_or_stop(store.save_pull_cursor(&page.cursor))?;
        cursor = Some(page.cursor);
        if !page.has_more {
            break;
        }
    }
    keep_or_stop(notebook.set_catalogue(api::catalogue(token).await?))?;
    let profile = api::profile(token).await?;
    // Kept only when it changed: every screen that reads the session follows it.
    if let Some(session) = notebook.session.get_untracked().filter(|session| session.profile != profile) {
        keep_or_stop(notebook.update_session(Session { profile, ..session }))?;
    }
    Ok(())
}

/// Settles the phone's copy of one pushed record with the server's answer
/// about it: `keep` stores the settled copy, `forget` drops a deletion the server has.
fn settle_copy<C: PhoneCopy>(
    pushed: &C,
    current: Option<C>,
    result: &PushResult,
    now: DateTime<Utc>,
    keep: impl FnOnce(C) -> Result<(), StoreError>,
    forget: impl FnOnce(C),
) -> Result<(), SyncFailure> {
    let Some(mut current) = current else { return Ok(()) };
    match phone::settle(&mut current, pushed, result, now) {
        Settled::Changed => keep_or_stop(keep(current)),
        Settled::Forget => {
            forget(current);
            Ok(())
        }
        Settled::StillPending => Ok(()),
    }
}

/// The Vietnamese sentence for a failed sync.
pub fn describe(error: &ApiError) -> String {
    match error {
        ApiError::Network(_) => i18n::ERROR_NETWORK.to_owned(),
        ApiError::Unauthorized { .. } => i18n::ERROR_SESSION_EXPIRED.to_owned(),
        ApiError::Server { message, .. } => i18n::server_error(message),
        ApiError::Decode(_) => i18n::ERROR_UNEXPECTED_ANSWER.to_owned(),
    }
}
