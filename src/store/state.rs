//! What the phone keeps: households and visits with where each stands in
//! sync, the session, the cached catalogue, the pull cursor and the draft.

use super::keys::{self, Collection, COMMUNITY_SESSIONS, HOUSEHOLDS, VISITS};
use super::records::Loaded;
use super::{LocalStore, StoreError};
use crate::session::Session;
use chrono::{DateTime, Utc};
use gocua_domain::sync::HouseholdVisits;
use gocua_domain::{Catalogue, CommunitySession, CommunitySessionId, Household, Visit, VisitId, VisitInput};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

pub use gocua_domain::sync::phone::SyncState;
use gocua_domain::sync::phone::{PhoneCopy, SyncedRecord, NEW_ON_PHONE};

/// A record this phone logged or pulled — a visit (under `visit.<id>`) or a
/// community session (under `community_session.<id>`) — and where it stands
/// in sync. Deleted, it stays as a tombstone until the server has the deletion.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(bound(serialize = "R: Serialize", deserialize = "R: Deserialize<'de>"))]
pub struct Local<R> {
    /// Earlier builds stored it under the kind's name.
    #[serde(alias = "visit", alias = "session")]
    pub record: R,
    pub sync: SyncState,
    pub saved_at: DateTime<Utc>,
    #[serde(default)]
    pub deleted: bool,
    /// Who recorded it, when someone else did (a leader's phone holds the
    /// team's); `None` for the phone's own user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author_id: Option<i64>,
    /// The server's revision this pending copy was edited from (see [`PhoneCopy::base_revision`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_revision: Option<u32>,
    /// The server's version this pending copy was edited from (see [`PhoneCopy::base`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<R>,
    /// In a conflict, the server's version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub theirs: Option<R>,
}

pub type LocalVisit = Local<Visit>;
pub type LocalCommunitySession = Local<CommunitySession>;

/// A kind of record kept as a [`Local`]: where it is stored, and its id.
pub trait Logged: SyncedRecord + Serialize + DeserializeOwned + Send + Sync + 'static {
    type Id: LoggedId<Record = Self>;
    const COLLECTION: Collection;
    fn id(&self) -> Self::Id;
    /// Gives the record a new id of its own (one it was written under is taken).
    fn take_new_id(&mut self);
}

/// The id of a logged record, naming its kind (so `notebook.logged(id)` needs no type).
pub trait LoggedId: Copy + PartialEq + std::fmt::Display {
    type Record: Logged<Id = Self>;
}

impl Logged for Visit {
    type Id = VisitId;
    const COLLECTION: Collection = VISITS;
    fn id(&self) -> VisitId {
        self.id
    }
    fn take_new_id(&mut self) {
        self.id = VisitId::new();
    }
}

impl LoggedId for VisitId {
    type Record = Visit;
}

impl Logged for CommunitySession {
    type Id = CommunitySessionId;
    const COLLECTION: Collection = COMMUNITY_SESSIONS;
    fn id(&self) -> CommunitySessionId {
        self.id
    }
    fn take_new_id(&mut self) {
        self.id = CommunitySessionId::new();
    }
}

impl LoggedId for CommunitySessionId {
    type Record = CommunitySession;
}

impl<R: SyncedRecord> Local<R> {
    /// A record new on this phone.
    pub fn new(record: R, saved_at: DateTime<Utc>) -> Self {
        Local {
            record,
            sync: SyncState::Pending,
            saved_at,
            deleted: false,
            author_id: None,
            base_revision: Some(NEW_ON_PHONE),
            base: None,
            theirs: None,
        }
    }

    /// A record as the server holds it.
    pub fn synced(record: R, author_id: Option<i64>, now: DateTime<Utc>) -> Self {
        Local { sync: SyncState::Synced { at: now }, author_id, base_revision: None, ..Local::new(record, now) }
    }

    pub fn is_pending(&self) -> bool {
        self.sync == SyncState::Pending
    }

    /// Recorded by this phone's user.
    pub fn is_mine(&self) -> bool {
        self.author_id.is_none()
    }
}

impl<R: SyncedRecord> PhoneCopy for Local<R> {
    type Record = R;
    fn record(&self) -> &R {
        &self.record
    }
    fn record_mut(&mut self) -> &mut R {
        &mut self.record
    }
    fn sync(&self) -> &SyncState {
        &self.sync
    }
    fn set_sync(&mut self, sync: SyncState) {
        self.sync = sync;
    }
    fn base_revision(&self) -> Option<u32> {
        self.base_revision
    }
    fn set_base_revision(&mut self, base: Option<u32>) {
        self.base_revision = base;
    }
    fn base(&self) -> Option<&R> {
        self.base.as_ref()
    }
    fn set_base(&mut self, base: Option<R>) {
        self.base = base;
    }
    fn theirs(&self) -> Option<&R> {
        self.theirs.as_ref()
    }
    fn set_theirs(&mut self, theirs: Option<R>) {
        self.theirs = theirs;
    }
    fn is_deleted(&self) -> bool {
        self.deleted
    }
}

/// A household, its sync state, and what the team knows of visits to it, under `household.<id>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalHousehold {
    pub household: Household,
    pub sync: SyncState,
    /// The server's summary of every visit of the team to this door, as of the last pull.
    #[serde(default)]
    pub visits: HouseholdVisits,
    /// In a conflict, the server's version, for the volunteer to choose between the two.
    #[serde(default)]
    pub theirs: Option<Household>,
    /// The server's revision this pending copy was edited from (see [`PhoneCopy::base_revision`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_revision: Option<u32>,
    /// The server's version this pending copy was edited from (see [`PhoneCopy::base`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base: Option<Household>,
}

impl LocalHousehold {
    /// A household new on this phone.
    pub fn new(household: Household) -> Self {
        LocalHousehold {
            household,
            sync: SyncState::Pending,
            visits: HouseholdVisits::default(),
            theirs: None,
            base_revision: Some(NEW_ON_PHONE),
            base: None,
        }
    }

    /// A household as the server holds it.
    pub fn synced(household: Household, visits: HouseholdVisits, now: DateTime<Utc>) -> Self {
        LocalHousehold {
            sync: SyncState::Synced { at: now },
            visits,
            base_revision: None,
            ..LocalHousehold::new(household)
        }
    }

    pub fn is_pending(&self) -> bool {
        self.sync == SyncState::Pending
    }
}

impl PhoneCopy for LocalHousehold {
    type Record = Household;
    fn record(&self) -> &Household {
        &self.household
    }
    fn record_mut(&mut self) -> &mut Household {
        &mut self.household
    }
    fn sync(&self) -> &SyncState {
        &self.sync
    }
    fn set_sync(&mut self, sync: SyncState) {
        self.sync = sync;
    }
    fn base_revision(&self) -> Option<u32> {
        self.base_revision
    }
    fn set_base_revision(&mut self, base: Option<u32>) {
        self.base_revision = base;
    }
    fn base(&self) -> Option<&Household> {
        self.base.as_ref()
    }
    fn set_base(&mut self, base: Option<Household>) {
        self.base = base;
    }
    fn theirs(&self) -> Option<&Household> {
        self.theirs.as_ref()
    }
    fn set_theirs(&mut self, theirs: Option<Household>) {
        self.theirs = theirs;
    }
    /// Households are never deleted on a phone.
    fn is_deleted(&self) -> bool {
        false
    }
}

impl LocalStore {
    pub fn load_session(&self) -> Option<Session> {
        self.read(keys::SESSION).unwrap_or(None)
    }

    pub fn save_session(&self, session: &Session) -> Result<(), StoreError> {
        self.write(keys::SESSION, session)
    }

    /// Forgets the session; records stay, to be pushed after the next sign-in.
    pub fn clear_session(&self) {
        self.remove(keys::SESSION);
    }

    /// Whose records are on this phone (see [`Owner`]).
    pub fn owner(&self) -> Option<Owner> {
        self.read(keys::OWNER).unwrap_or(None)
    }

    pub fn save_owner(&self, owner: &Owner) -> Result<(), StoreError> {
        self.write(keys::OWNER, owner)
    }

    pub fn clear_owner(&self) {
        self.remove(keys::OWNER);
    }

    /// Tokens of sessions signed out of while offline: the server is told at the next chance.
    pub fn ended_sessions(&self) -> Vec<String> {
        self.read(keys::ENDED_SESSIONS).unwrap_or(None).unwrap_or_default()
    }

    pub fn save_ended_sessions(&self, tokens: &[String]) -> Result<(), StoreError> {
        if tokens.is_empty() {
            self.remove(keys::ENDED_SESSIONS);
            Ok(())
        } else {
            self.write(keys::ENDED_SESSIONS, &tokens)
        }
    }

    /// Forgets where pulling stopped and when the phone last synced: the next sync pulls everything again.
    pub fn clear_sync_marks(&self) {
        self.remove(keys::PULL_CURSOR);
        self.remove(keys::LAST_SYNC);
    }

    pub fn last_sync(&self) -> Option<DateTime<Utc>> {
        self.read(keys::LAST_SYNC).unwrap_or(None)
    }

    pub fn save_last_sync(&self, at: DateTime<Utc>) -> Result<(), StoreError> {
        self.write(keys::LAST_SYNC, &at)
    }

    pub fn pull_cursor(&self) -> Option<String> {
        self.read(keys::PULL_CURSOR).unwrap_or(None)
    }

    pub fn save_pull_cursor(&self, cursor: &str) -> Result<(), StoreError> {
        self.write(keys::PULL_CURSOR, &cursor)
    }

    /// The commune's catalogue as last synced; the starting one before the first sync.
    pub fn catalogue(&self) -> Catalogue {
        self.read(keys::CATALOGUE).unwrap_or(None).unwrap_or_else(Catalogue::starting)
    }

    pub fn save_catalogue(&self, catalogue: &Catalogue) -> Result<(), StoreError> {
        self.write(keys::CATALOGUE, catalogue)
    }

    /// The last dashboard loaded, for reading offline.
    pub fn dashboard(&self) -> Option<gocua_domain::dashboard::Dashboard> {
        self.read(keys::DASHBOARD).unwrap_or(None)
    }

    pub fn save_dashboard(&self, dashboard: &gocua_domain::dashboard::Dashboard) -> Result<(), StoreError> {
        self.write(keys::DASHBOARD, dashboard)
    }

    /// The last province view loaded (a province account), for reading offline.
    pub fn province_view(&self) -> Option<gocua_domain::province::ProvinceView> {
        self.read(keys::PROVINCE_VIEW).unwrap_or(None)
    }

    pub fn save_province_view(&self, view: &gocua_domain::province::ProvinceView) -> Result<(), StoreError> {
        self.write(keys::PROVINCE_VIEW, view)
    }

    /// When the volunteer last put off installing the app (`None`: never).
    pub fn install_offer_dismissed(&self) -> Option<DateTime<Utc>> {
        self.read(keys::INSTALL_OFFER_DISMISSED).unwrap_or(None)
    }

    pub fn save_install_offer_dismissed(&self, at: DateTime<Utc>) -> Result<(), StoreError> {
        self.write(keys::INSTALL_OFFER_DISMISSED, &at)
    }

    /// The half-filled visit form, kept across reloads and phone calls.
    pub fn draft(&self) -> Option<VisitDraft> {
        self.read(keys::DRAFT).unwrap_or(None)
    }

    pub fn save_draft(&self, draft: &VisitDraft) -> Result<(), StoreError> {
        self.write(keys::DRAFT, draft)
    }

    pub fn clear_draft(&self) {
        self.remove(keys::DRAFT);
    }

    pub fn load_visits(&self) -> Loaded<LocalVisit> {
        self.load_all(VISITS)
    }

    /// Visit ids chunk by chunk, newest chunk first (see [`Self::load_visits_with_ids`]).
    pub fn visit_id_chunks(&self) -> Vec<Vec<String>> {
        self.id_chunks_newest_first(VISITS)
    }

    pub fn load_visits_with_ids(&self, ids: &[String]) -> Loaded<LocalVisit> {
        self.load_ids(VISITS, ids)
    }

    /// Keeps a visit or community session under its id.
    pub fn save_logged<R: Logged>(&self, local: &Local<R>) -> Result<(), StoreError> {
        self.save_record(R::COLLECTION, &Logged::id(&local.record).to_string(), local)
    }

    /// Whether the phone keeps the visit or community session `id` (written by any tab).
    pub fn holds_logged<I: LoggedId>(&self, id: I) -> bool {
        self.holds_record(<I::Record as Logged>::COLLECTION, &id.to_string())
    }

    pub fn remove_logged<I: LoggedId>(&self, id: I) {
        self.remove_record(<I::Record as Logged>::COLLECTION, &id.to_string());
    }

    /// Frees room: forgets visits the server confirmed that were made before
    /// `cutoff`. Pending, rejected and conflicting visits are never touched.
    /// Returns how many were forgotten.
    pub fn prune_synced_visits(&self, cutoff: DateTime<Utc>) -> usize {
        let old: Vec<LocalVisit> = self
            .load_visits()
            .records
            .into_iter()
            .filter(|local| matches!(local.sync, SyncState::Synced { .. }) && local.record.visited_at < cutoff)
            .collect();
        for local in &old {
            self.remove_logged(local.record.id);
        }
        old.len()
    }

    /// Records not settled with the server: pending, rejected or in conflict.
    pub fn unsynced_count(&self) -> usize {
        let unsynced = |sync: &SyncState| !matches!(sync, SyncState::Synced { .. });
        self.load_visits().records.iter().filter(|local| unsynced(&local.sync)).count()
            + self.load_households().records.iter().filter(|local| unsynced(&local.sync)).count()
            + self.load_community_sessions().records.iter().filter(|local| unsynced(&local.sync)).count()
    }

    /// Forgets every record the server has (households with their personal
    /// data, visits, community sessions, the figures kept for reading
    /// offline), keeping what is not settled yet and the households
    /// those visits are of. Returns how many records are kept.
    pub fn forget_synced(&self) -> usize {
        let synced = |sync: &SyncState| matches!(sync, SyncState::Synced { .. });
        let mut kept_households = std::collections::HashSet::new();
        let mut kept = 0;
        for local in self.load_visits().records {
            if synced(&local.sync) {
                self.remove_logged(local.record.id);
            } else {
                kept_households.insert(local.record.household_id);
                kept += 1;
            }
        }
        for local in self.load_households().records {
            if synced(&local.sync) && !kept_households.contains(&local.household.id) {
                self.remove_household(&local.household);
            } else {
                kept += 1;
            }
        }
        for local in self.load_community_sessions().records {
            if synced(&local.sync) {
                self.remove_logged(local.record.id);
            } else {
                kept += 1;
            }
        }
        self.clear_draft();
        self.clear_sync_marks();
        // Figures kept for offline reading are the server's too (a dashboard names households owed a return).
        self.remove(keys::DASHBOARD);
        self.remove(keys::PROVINCE_VIEW);
        kept
    }

    /// Bytes this app's entries take in local storage (it counts UTF-16 code units, two bytes each).
    pub fn bytes_used(&self) -> usize {
        let storage = <gloo_storage::LocalStorage as gloo_storage::Storage>::raw();
        let prefix = self.key("");
        self.keys()
            .into_iter()
            .filter(|key| key.starts_with(&prefix))
            .map(|key| {
                let value = storage.get_item(&key).ok().flatten().unwrap_or_default();
                2 * (key.encode_utf16().count() + value.encode_utf16().count())
            })
            .sum()
    }

    pub fn load_households(&self) -> Loaded<LocalHousehold> {
        self.load_all(HOUSEHOLDS)
    }

    pub fn save_household(&self, household: &LocalHousehold) -> Result<(), StoreError> {
        self.save_record(HOUSEHOLDS, &household.household.id.to_string(), household)
    }

    pub fn remove_household(&self, household: &Household) {
        self.remove_record(HOUSEHOLDS, &household.id.to_string());
    }

    pub fn load_community_sessions(&self) -> Loaded<LocalCommunitySession> {
        self.load_all(COMMUNITY_SESSIONS)
    }
}

/// The user whose records are on the phone. On a shared phone another user
/// may sign in only once none of them are waiting to be pushed: pushed with
/// the other's token they would be stored under the wrong name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Owner {
    pub user_id: i64,
    pub display_name: String,
}

/// The visit form as the volunteer left it: its raw input and, for a new
/// household typed in the form, that household.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitDraft {
    pub visit: VisitInput,
    /// Editing an existing visit (its revision is then raised on save).
    #[serde(default)]
    pub editing: bool,
}

impl VisitDraft {
    /// Whether it holds something the volunteer did (an edit under way, a
    /// household chosen, people counted, a skill, a date, a note), not only
    /// a form opened and left.
    pub fn has_work(&self) -> bool {
        let visit = &self.visit;
        self.editing
            || !visit.household_id.is_empty()
            || visit.people != Default::default()
            || !visit.skills.is_empty()
            || visit.come_back_on.is_some()
            || visit.follow_up.is_some()
            || !visit.note.trim().is_empty()
    }
}
