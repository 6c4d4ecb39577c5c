//! The app's shared state: the phone's store, the signed-in session, the
//! households and visits on this phone, and the commune's catalogue,
//! provided once at the top as a context.
//!
//! Every change goes to local storage first and to the signals after, so
//! the screen never shows something the phone has not kept.

use crate::session::Session;
use crate::store::keys::{COMMUNITY_SESSIONS, HOUSEHOLDS, VISITS};
use crate::store::{
    Local, LocalCommunitySession, LocalHousehold, LocalStore, LocalVisit, Logged, LoggedId, Owner, StoreError,
    SyncState,
};
use chrono::{DateTime, Utc};
use gocua_domain::order::sort_stable_by;
use gocua_domain::sync::phone::{self, Merged};
use gocua_domain::sync::PulledChange;
use gocua_domain::{Catalogue, CommunitySession, HouseholdId, Visit, VisitId};
use leptos::prelude::*;
use std::collections::HashSet;

/// The namespace of every key the app writes to local storage.
pub const STORE_NAMESPACE: &str = "gocua";

/// Visits the server confirmed are kept this long on a phone whose storage
/// fills up; the server keeps them all, and households are always kept.
pub const RETENTION_DAYS: i64 = 90;

/// Older visits read per step in the background: a few milliseconds of work on a slow phone.
const LOAD_SLICE: usize = 200;

/// Visits read before home shows: more than the recent list and a few days' figures need.
const READ_AT_START: usize = 200;

/// Why a sign-in was not kept on this phone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInRefused {
    /// Another user's records are still waiting for the server on this phone.
    OtherUsersRecords {
        name: String,
        unsynced: usize,
    },
    Store(StoreError),
}

#[derive(Clone, Copy)]
pub struct Notebook {
    store: StoredValue<Option<LocalStore>>,
    pub session: RwSignal<Option<Session>>,
    /// Newest first; deleted visits waiting to reach the server are kept but not shown.
    pub visits: RwSignal<Vec<LocalVisit>>,
    pub households: RwSignal<Vec<LocalHousehold>>,
    /// Newest first; like visits, deleted ones waiting for the server are kept but not shown.
    pub community_sessions: RwSignal<Vec<LocalCommunitySession>>,
    pub catalogue: RwSignal<Catalogue>,
    /// A problem with the phone's storage, for the volunteer to read.
    pub storage_problem: RwSignal<Option<StoreError>>,
    /// Entries that could not be read and were set aside.
    pub corrupt_entries: RwSignal<usize>,
    /// Every visit on the phone has been read (see [`Notebook::finish_loading`]).
    pub fully_loaded: RwSignal<bool>,
    /// Why the phone was signed out without asking (a revoked device), for the sign-in page.
    pub signed_out_reason: RwSignal<Option<String>>,
    /// Index chunks of older visits not read yet.
    unread: StoredValue<Vec<Vec<String>>>,
}

fn newest_first(visits: &mut [LocalVisit]) {
    sort_stable_by(visits, |a, b| b.record.visited_at.cmp(&a.record.visited_at).then(b.record.id.cmp(&a.record.id)));
}

fn latest_held_first(sessions: &mut [LocalCommunitySession]) {
    sort_stable_by(sessions, |a, b| b.record.held_on.cmp(&a.record.held_on).then(b.record.id.cmp(&a.record.id)));
}

/// Another user's records waiting on this phone to be pushed, as the
/// refusal to show to `user_id` (`None`: an account not made yet).
fn waiting_for_another(store: &LocalStore, user_id: Option<i64>) -> Option<SignInRefused> {
    let owner = store.owner().filter(|owner| Some(owner.user_id) != user_id)?;
    let unsynced = store.unsynced_count();
    (unsynced > 0).then_some(SignInRefused::OtherUsersRecords { name: owner.display_name, unsynced })
}

impl Notebook {
    /// Opens the store (upgrading it if needed) and loads the households and
    /// the newest visits, so home can show at once; [`Self::finish_loading`]
    /// reads the older visits afterwards.
    pub fn open() -> Notebook {
        let (store, problem) = match LocalStore::open(STORE_NAMESPACE) {
            Ok(store) => (Some(store), None),
            Err(error) => (None, Some(error)),
        };
        // A team logs a few sessions a month: they are all read at once.
        let mut community_sessions =
            store.as_ref().map_or_else(Vec::new, |store| store.load_community_sessions().records);
        latest_held_first(&mut community_sessions);
        let (mut visits, households, catalogue, session, corrupt, older) = match &store {
            Some(store) => {
                let mut chunks = store.visit_id_chunks().into_iter();
                // The open chunk ends with the newest visits: read those now, the rest later.
                let mut open = chunks.next().unwrap_or_default();
                let newest_ids = open.split_off(open.len().saturating_sub(READ_AT_START));
                let newest = store.load_visits_with_ids(&newest_ids);
                let households = store.load_households();
                let corrupt = newest.corrupt.len() + households.corrupt.len();
                let older: Vec<Vec<String>> =
                    std::iter::once(open).chain(chunks).filter(|ids| !ids.is_empty()).collect();
                (newest.records, households.records, store.catalogue(), store.load_session(), corrupt, older)
            }
            None => (Vec::new(), Vec::new(), Catalogue::starting(), None, 0, Vec::new()),
        };
        newest_first(&mut visits);
        Notebook {
            session: RwSignal::new(session),
            visits: RwSignal::new(visits),
            households: RwSignal::new(households),
            community_sessions: RwSignal::new(community_sessions),
            catalogue: RwSignal::new(catalogue),
            storage_problem: RwSignal::new(problem),
            corrupt_entries: RwSignal::new(corrupt),
            fully_loaded: RwSignal::new(older.is_empty()),
            signed_out_reason: RwSignal::new(None),
            unread: StoredValue::new(older),
            store: StoredValue::new(store),
        }
    }

    /// Reads the older visits, a slice at a time, yielding to the browser
    /// between slices so the phone stays responsive while they load.
    pub async fn finish_loading(self) {
        let chunks = self.unread.get_value();
        self.unread.set_value(Vec::new());
        let Ok(store) = self.store() else { return };
        for slice in chunks.iter().flat_map(|ids| ids.chunks(LOAD_SLICE)) {
            gloo_timers::future::TimeoutFuture::new(0).await;
            let loaded = store.load_visits_with_ids(slice);
            self.corrupt_entries.update(|count| *count += loaded.corrupt.len());
            self.visits.update(|visits| {
                // A visit written since start (an edit, a pull) is already here, newer.
                let known: HashSet<VisitId> = visits.iter().map(|v| v.record.id).collect();
                visits.extend(loaded.records.into_iter().filter(|v| !known.contains(&v.record.id)));
                newest_first(visits);
            });
        }
        self.fully_loaded.set(true);
        crate::perf::mark("gocua:all-loaded");
    }

    pub fn store(&self) -> Result<LocalStore, StoreError> {
        self.store.get_value().ok_or_else(|| StoreError::Unavailable("local storage could not be opened".into()))
    }

    /// Runs a write against the store. When storage is full it frees room by
    /// forgetting visits the server confirmed long ago, and tries once more;
    /// a failure is noted for the sync bar.
    fn write<T>(&self, write: impl Fn(&LocalStore) -> Result<T, StoreError>) -> Result<T, StoreError> {
        let store = self.store()?;
        let mut result = write(&store);
        if result.as_ref().is_err_and(|error| *error == StoreError::QuotaExceeded) && self.prune(&store) > 0 {
            result = write(&store);
        }
        match &result {
            Ok(_) => self.storage_problem.set(None),
            Err(error) => self.storage_problem.set(Some(error.clone())),
        }
        result
    }

    /// Forgets synced visits older than the retention window, on the phone and on screen.
    fn prune(&self, store: &LocalStore) -> usize {
        let cutoff = Utc::now() - chrono::Duration::days(RETENTION_DAYS);
        let pruned = store.prune_synced_visits(cutoff);
        if pruned > 0 {
            self.visits.update(|visits| {
                visits.retain(|v| !(matches!(v.sync, SyncState::Synced { .. }) && v.record.visited_at < cutoff))
            });
        }
        pruned
    }

    /// Keeps a new sign-in on this phone. Another user's records waiting to
    /// be pushed refuse it (pushed with this token they would be stored under
    /// the wrong name); another user's synced records are forgotten first.
    pub fn sign_in(&self, session: Session) -> Result<(), SignInRefused> {
        let store = self.store().map_err(SignInRefused::Store)?;
        let user = &session.profile;
        if store.owner().is_some_and(|owner| owner.user_id != user.user_id) {
            if let Some(refused) = waiting_for_another(&store, Some(user.user_id)) {
                return Err(refused);
            }
            self.forget_synced(&store);
        }
        let owner = Owner { user_id: user.user_id, display_name: user.display_name.clone() };
        self.write(|store| store.save_owner(&owner)).map_err(SignInRefused::Store)?;
        self.signed_out_reason.set(None);
        self.update_session(session).map_err(SignInRefused::Store)
    }

    /// Whether a new account (joining by invite) would be refused this phone:
    /// checked before the invite is used, since a used invite cannot be used again.
    pub fn refuses_a_new_account(&self) -> Result<Option<SignInRefused>, StoreError> {
        Ok(waiting_for_another(&self.store()?, None))
    }

    /// Keeps the session as the server now describes it (a new profile, villages).
    pub fn update_session(&self, session: Session) -> Result<(), StoreError> {
        self.write(|store| store.save_session(&session))?;
        self.session.set(Some(session));
        Ok(())
    }

    /// Signing out, as on a shared phone: the session goes, and with it every
    /// record the server already has, households' personal data included.
    /// What is not synced stays for this user's next sign-in.
    pub fn sign_out(&self) {
        let Ok(store) = self.store() else { return };
        store.clear_session();
        self.session.set(None);
        if self.forget_synced(&store) == 0 {
            store.clear_owner();
        }
    }

    /// The server turned this phone's session away (revoked, expired): the
    /// phone keeps everything, and asks for a sign-in, saying why.
    pub fn session_ended(&self, reason: String) {
        if let Ok(store) = self.store() {
            store.clear_session();
        }
        self.session.set(None);
        self.signed_out_reason.set(Some(reason));
    }

    /// Forgets what the server has, on the phone and on screen; returns how many records stay.
    fn forget_synced(&self, store: &LocalStore) -> usize {
        let kept = store.forget_synced();
        // Reload rather than filter: visits not read yet at start are covered too.
        let visits = store.load_visits().records;
        let households = store.load_households().records;
        self.visits.update(|shown| {
            *shown = visits;
            newest_first(shown);
        });
        self.households.set(households);
        self.community_sessions.set(store.load_community_sessions().records);
        self.unread.set_value(Vec::new());
        self.fully_loaded.set(true);
        kept
    }

    /// Keeps a visit or community session written in a form: a new one, or
    /// an edit of the copy this phone holds now (`opened`: the version the
    /// form showed, the merge of a conflict included), judged against the
    /// revision it last had from the server ([`phone::edit_from_form`]).
    pub fn keep_written<R: Listed>(
        &self,
        opened: Option<&R>,
        mut written: R,
        now: DateTime<Utc>,
    ) -> Result<Written, StoreError> {
        let local = match opened {
            Some(opened) => {
                // Gone while its form was open: a sync brought its deletion (a leader
                // voided it, or its author deleted it elsewhere). Saved under its id, it
                // would be a conflict with a deletion the phone has already taken, which
                // nothing could settle; the form asks whether to keep it as a new record.
                let Some(mut local) = self.logged(Logged::id(opened)) else { return Ok(Written::EditedRecordGone) };
                // Erased while its form was open (a coordinator's erasure, pulled
                // meanwhile): what the form still shows of the erased text goes, as it
                // goes from an edit waiting on the phone ([`phone::merge_pulled`]).
                if opened.erased_by(&local.record) {
                    if let Some(stripped) = written.stripped_by_erasure(&local.record) {
                        written = stripped;
                    }
                }
                phone::edit_from_form(&mut local, opened, written);
                local
            }
            None => {
                // A new record never replaces one the phone keeps under its id: a draft
                // two tabs opened at once, or one that outlived its saved visit, carries
                // the id of a visit already saved. It is saved under an id of its own.
                if self.store()?.holds_logged(Logged::id(&written)) {
                    written.take_new_id();
                }
                Local::new(written, now)
            }
        };
        self.keep(local).map(|()| Written::Kept)
    }

    /// Keeps what a visit or session form wrote ([`Self::keep_written`]). If
    /// the record it edited left the phone while the form was open, what was
    /// typed is kept as a new record, under an id of its own, when
    /// `keep_as_new` (the volunteer, asked) says so; else nothing is kept
    /// ([`Written::EditedRecordGone`]).
    pub fn keep_from_form<R: Listed + Clone>(
        &self,
        opened: Option<&R>,
        written: R,
        now: DateTime<Utc>,
        keep_as_new: impl FnOnce() -> bool,
    ) -> Result<Written, StoreError> {
        match self.keep_written(opened, written.clone(), now)? {
            Written::EditedRecordGone if keep_as_new() => {
                let mut written = written;
                written.take_new_id();
                self.keep_written(None, written, now)
            }
            answer => Ok(answer),
        }
    }

    /// Keeps a visit or community session (new, changed or deleted): on the
    /// phone first, then in its list on screen.
    pub fn keep<R: Listed>(&self, local: Local<R>) -> Result<(), StoreError> {
        self.write(|store| store.save_logged(&local))?;
        let id = Logged::id(&local.record);
        R::list(self).update(|list| {
            match list.iter_mut().find(|kept| Logged::id(&kept.record) == id) {
                Some(kept) => *kept = local,
                None => list.push(local),
            }
            R::order(list);
        });
        Ok(())
    }

    /// Forgets a visit or community session entirely (the server never had it, or has its deletion).
    pub fn forget<I: LoggedId>(&self, id: I)
    where
        I::Record: Listed,
    {
        if let Ok(store) = self.store() {
            store.remove_logged(id);
        }
        I::Record::list(self).update(|list| list.retain(|kept| Logged::id(&kept.record) != id));
    }

    /// Deletes a visit or community session by its author. The phone cannot
    /// know whether an earlier push reached the server before its answer was
    /// lost, so it always keeps a tombstone until the server confirms the
    /// deletion (deleting an id the server never had is harmless).
    pub fn delete<I: LoggedId>(&self, id: I) -> Result<(), StoreError>
    where
        I::Record: Listed,
    {
        let Some(mut local) = self.logged(id) else { return Ok(()) };
        local.deleted = true;
        local.sync = SyncState::Pending;
        self.keep(local)
    }

    /// The visit or community session with this id, if the phone holds it.
    pub fn logged<I: LoggedId>(&self, id: I) -> Option<Local<I::Record>>
    where
        I::Record: Listed,
    {
        I::Record::list(self).with_untracked(|list| list.iter().find(|kept| Logged::id(&kept.record) == id).cloned())
    }

    /// Visits or community sessions waiting for the server.
    pub fn pending<R: Listed>(&self) -> Vec<Local<R>> {
        R::list(self).with_untracked(|list| list.iter().filter(|kept| kept.is_pending()).cloned().collect())
    }

    pub fn keep_household(&self, household: LocalHousehold) -> Result<(), StoreError> {
        self.write(|store| store.save_household(&household))?;
        self.households.update(|households| {
            match households.iter_mut().find(|kept| kept.household.id == household.household.id) {
                Some(kept) => *kept = household,
                None => households.push(household),
            }
        });
        Ok(())
    }

    /// The name of the signed-in user's village `id`, or nothing (signed out, or not the commune's).
    pub fn village_name(&self, id: i64) -> String {
        self.session
            .with_untracked(|s| s.as_ref().and_then(|s| s.village_name(id)).map(str::to_owned))
            .unwrap_or_default()
    }

    pub fn household(&self, id: HouseholdId) -> Option<LocalHousehold> {
        self.households.with_untracked(|households| households.iter().find(|h| h.household.id == id).cloned())
    }

    pub fn pending_households(&self) -> Vec<LocalHousehold> {
        self.households.with_untracked(|households| households.iter().filter(|h| h.is_pending()).cloned().collect())
    }

    /// Everything waiting for the server, outside any reactive scope.
    pub fn pending_count_untracked(&self) -> usize {
        untrack(|| self.pending_count())
    }

    /// Everything waiting for the server.
    pub fn pending_count(&self) -> usize {
        self.count_in_state(|sync| *sync == SyncState::Pending)
    }

    /// Records the volunteer must look at: in conflict with another
    /// device's edit, or refused by the server. Sync cannot settle them alone.
    pub fn needs_attention_count(&self) -> usize {
        self.count_in_state(|sync| matches!(sync, SyncState::Conflict { .. } | SyncState::Rejected { .. }))
    }

    /// Visits, households and community sessions whose sync state is `wanted` (tracked).
    fn count_in_state(&self, wanted: impl Fn(&SyncState) -> bool) -> usize {
        self.visits.with(|visits| visits.iter().filter(|v| wanted(&v.sync)).count())
            + self.households.with(|households| households.iter().filter(|h| wanted(&h.sync)).count())
            + self.community_sessions.with(|sessions| sessions.iter().filter(|s| wanted(&s.sync)).count())
    }

    /// Applies what the server sent, as the domain's merge rules say
    /// ([`phone::merge_pulled`]): a copy with an edit waiting keeps it, with
    /// the server's version beside it.
    pub fn apply_pulled(&self, change: PulledChange, now: DateTime<Utc>) -> Result<(), StoreError> {
        match change {
            PulledChange::Household { household, visits } => match self.household(household.id) {
                Some(mut local) => {
                    phone::merge_pulled(&mut local, household, now);
                    local.visits = visits;
                    self.keep_household(local)
                }
                None => self.keep_household(LocalHousehold::synced(household, visits, now)),
            },
            PulledChange::Visit { visit, author_id } => self.apply_pulled_logged(visit, author_id, now),
            PulledChange::VisitDeleted { id } => {
                self.apply_pulled_deletion(id);
                Ok(())
            }
            PulledChange::CommunitySession { community_session, author_id } => {
                self.apply_pulled_logged(community_session, author_id, now)
            }
            PulledChange::CommunitySessionDeleted { id } => {
                self.apply_pulled_deletion(id);
                Ok(())
            }
        }
    }

    /// A pulled visit or community session, merged into the phone's copy or kept as the server's.
    fn apply_pulled_logged<R: Listed>(&self, record: R, author_id: i64, now: DateTime<Utc>) -> Result<(), StoreError>
    where
        R::Id: LoggedId<Record = R>,
    {
        match self.logged(Logged::id(&record)) {
            Some(mut local) => {
                phone::merge_pulled(&mut local, record, now);
                self.keep(local)
            }
            None => {
                let mine = self.user_id() == Some(author_id);
                self.keep(Local::synced(record, (!mine).then_some(author_id), now))
            }
        }
    }

    /// A pulled deletion, merged as the domain says (the copy goes).
    fn apply_pulled_deletion<I: LoggedId>(&self, id: I)
    where
        I::Record: Listed,
    {
        if self.logged(id).is_some_and(|local| phone::merge_pulled_deletion(&local) == Merged::Forget) {
            self.forget(id);
        }
    }

    /// Another tab of the app wrote `key` in local storage: this tab takes
    /// that record as stored, so a tab left open never shows, edits or
    /// pushes a copy older than the store's (two tabs share one sign-in, and
    /// the server trusts a device's own versions).
    pub fn take_from_other_tab(&self, key: &str) {
        let Ok(store) = self.store() else { return };
        let Some(name) = key.strip_prefix(&store.key("")) else { return };
        if let Some(id) = name.strip_prefix(VISITS.prefix) {
            self.take_logged::<Visit>(&store, id);
        } else if let Some(id) = name.strip_prefix(COMMUNITY_SESSIONS.prefix) {
            self.take_logged::<CommunitySession>(&store, id);
        } else if let Some(id) = name.strip_prefix(HOUSEHOLDS.prefix) {
            let stored = store.load_ids::<LocalHousehold>(HOUSEHOLDS, &[id.to_owned()]).records;
            self.households.update(|list| {
                list.retain(|kept| kept.household.id.to_string() != id);
                list.extend(stored);
            });
        }
    }

    /// Takes the visit or community session `id` as the store holds it (or forgets it, if it is gone).
    fn take_logged<R: Listed>(&self, store: &LocalStore, id: &str) {
        let stored = store.load_ids::<Local<R>>(R::COLLECTION, &[id.to_owned()]).records;
        R::list(self).update(|list| {
            list.retain(|kept| Logged::id(&kept.record).to_string() != id);
            list.extend(stored);
            R::order(list);
        });
    }

    /// The signed-in user, outside any reactive scope.
    fn user_id(&self) -> Option<i64> {
        self.session.with_untracked(|s| s.as_ref().map(|s| s.profile.user_id))
    }

    pub fn set_catalogue(&self, catalogue: Catalogue) -> Result<(), StoreError> {
        // Every sync reads it; the same one changes nothing, so the forms
        // that list its skills are not built again under a volunteer's thumb.
        if self.catalogue.with_untracked(|kept| *kept == catalogue) {
            return Ok(());
        }
        self.write(|store| store.save_catalogue(&catalogue))?;
        self.catalogue.set(catalogue);
        Ok(())
    }
}

/// What became of a record written in a form ([`Notebook::keep_written`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use]
pub enum Written {
    Kept,
    /// The record the form edited left the phone while the form was open; nothing was kept.
    EditedRecordGone,
}

/// A logged kind's list in the notebook, and the order it shows in.
pub trait Listed: Logged {
    fn list(notebook: &Notebook) -> RwSignal<Vec<Local<Self>>>;
    fn order(list: &mut [Local<Self>]);
}

impl Listed for Visit {
    fn list(notebook: &Notebook) -> RwSignal<Vec<LocalVisit>> {
        notebook.visits
    }

    fn order(list: &mut [LocalVisit]) {
        newest_first(list);
    }
}

impl Listed for CommunitySession {
    fn list(notebook: &Notebook) -> RwSignal<Vec<LocalCommunitySession>> {
        notebook.community_sessions
    }

    fn order(list: &mut [LocalCommunitySession]) {
        latest_held_first(list);
    }
}
