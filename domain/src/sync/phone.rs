//! The phone's side of sync, for every kind of synced record: how a copy is
//! edited, how a pulled version is merged into it, how a push's answer
//! settles it, and how a conflict is resolved. The app's stored records
//! implement [`PhoneCopy`]; the property tests drive these same functions.

use super::{PushResult, PushStatus};
use crate::input::required;
use crate::validation::FieldError;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Where a record stands between the phone and the server. Stored as a
/// tagged object (`"state"` and its fields); read back through its flat
/// form, [`SyncStateWire`], which costs the phone's download less than
/// serde's derive for a tagged enum.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case", try_from = "SyncStateWire")]
pub enum SyncState {
    /// Saved on the phone, not yet confirmed by the server.
    Pending,
    /// The server confirmed it holds this record as the phone does.
    Synced { at: DateTime<Utc> },
    /// The server refused it; retrying unchanged will not help.
    Rejected { message: String, errors: Vec<FieldError> },
    /// The server holds another version; nothing was overwritten.
    Conflict { message: String },
}

/// A stored [`SyncState`], flat.
#[derive(Deserialize)]
struct SyncStateWire {
    state: SyncStateName,
    at: Option<DateTime<Utc>>,
    message: Option<String>,
    errors: Option<Vec<FieldError>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum SyncStateName {
    Pending,
    Synced,
    Rejected,
    Conflict,
}

impl TryFrom<SyncStateWire> for SyncState {
    type Error = String;

    fn try_from(wire: SyncStateWire) -> Result<Self, String> {
        Ok(match wire.state {
            SyncStateName::Pending => SyncState::Pending,
            SyncStateName::Synced => SyncState::Synced { at: required("at", wire.at)? },
            SyncStateName::Rejected => SyncState::Rejected {
                message: required("message", wire.message)?,
                errors: required("errors", wire.errors)?,
            },
            SyncStateName::Conflict => SyncState::Conflict { message: required("message", wire.message)? },
        })
    }
}

/// A kind of record phones create and the server keeps: households, visits, community sessions.
pub trait SyncedRecord: Clone + PartialEq {
    fn revision(&self) -> u32;
    fn set_revision(&mut self, revision: u32);

    /// `newer` takes away personal data this version holds (a coordinator's
    /// erasure): it wins over anything the phone holds.
    fn erased_by(&self, _newer: &Self) -> bool {
        false
    }

    /// What keeping the phone's version of a conflict stores: `mine` and
    /// `theirs` are two edits of `base`. By default the phone's whole
    /// version; households, visits and sessions merge field by field
    /// ([`field_kept`]): what the phone changed, and the other side's value
    /// of every field it did not.
    fn merged(_base: &Self, mine: &Self, _theirs: &Self) -> Self {
        mine.clone()
    }

    /// What of the phone's pending edit `mine`, made from `base`, goes on
    /// over `erasing`, a version that erased personal data ([`Self::erased_by`]);
    /// `None`: the erasure replaces it whole. By default the merge of the
    /// two ([`Self::merged`], which keeps nothing personal without consent),
    /// unless both sides changed one field (keeping the phone's value would
    /// overwrite the other side's without anyone choosing) or `base` is unknown.
    fn kept_over_erasure(base: Option<&Self>, mine: &Self, erasing: &Self) -> Option<Self> {
        let base = base?;
        let kept = Self::merged(base, mine, erasing);
        kept.same_content(&Self::merged(base, erasing, mine)).then_some(kept)
    }

    /// This phone version without what `erasing` erased, to stay beside it as
    /// any version in conflict does, when the erasure cannot simply take the
    /// phone's edit on ([`Self::kept_over_erasure`] is `None`, or the copy is a
    /// deletion waiting); `None`: the erasure replaces it whole.
    fn stripped_by_erasure(&self, _erasing: &Self) -> Option<Self> {
        None
    }

    /// Takes from `from`, the server's version an edit was made from, what
    /// only the server writes (a form's edit never carries it).
    fn carry_server_fields(&mut self, _from: &Self) {}

    /// The same record whatever the revisions say.
    fn same_content(&self, other: &Self) -> bool {
        let mut this = self.clone();
        this.set_revision(other.revision());
        this == *other
    }
}

/// A phone's copy of one record, as the app stores it.
pub trait PhoneCopy {
    type Record: SyncedRecord;
    fn record(&self) -> &Self::Record;
    fn record_mut(&mut self) -> &mut Self::Record;
    fn sync(&self) -> &SyncState;
    fn set_sync(&mut self, sync: SyncState);
    /// The server's revision this copy was edited from (0: new on this phone).
    /// `None` while synced, and for edits kept before phones recorded it.
    fn base_revision(&self) -> Option<u32>;
    fn set_base_revision(&mut self, base: Option<u32>);
    /// The server's version a pending edit was made from, kept so that
    /// keeping the phone's version of a conflict can also keep what the other
    /// side changed ([`SyncedRecord::merged`]). `None` while synced, for
    /// records new on the phone, and for edits kept before phones recorded it.
    fn base(&self) -> Option<&Self::Record>;
    fn set_base(&mut self, base: Option<Self::Record>);
    /// The server's version, kept beside a pending or conflicting copy.
    fn theirs(&self) -> Option<&Self::Record>;
    fn set_theirs(&mut self, theirs: Option<Self::Record>);
    /// Deleted on the phone, waiting for the server to have the deletion.
    fn is_deleted(&self) -> bool;

    fn is_pending(&self) -> bool {
        *self.sync() == SyncState::Pending
    }
}

/// A phone's copy held as plain fields: for clients that keep records in
/// memory (the property tests, a tool), where the app keeps its own stored types.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordCopy<R> {
    pub record: R,
    pub sync: SyncState,
    pub base_revision: Option<u32>,
    pub base: Option<R>,
    pub theirs: Option<R>,
    pub deleted: bool,
}

impl<R: SyncedRecord> RecordCopy<R> {
    /// A record new on the phone.
    pub fn new(record: R) -> Self {
        RecordCopy {
            record,
            sync: SyncState::Pending,
            base_revision: Some(NEW_ON_PHONE),
            base: None,
            theirs: None,
            deleted: false,
        }
    }

    /// A record as the server holds it.
    pub fn synced(record: R, now: DateTime<Utc>) -> Self {
        RecordCopy { sync: SyncState::Synced { at: now }, base_revision: None, ..RecordCopy::new(record) }
    }
}

impl<R: SyncedRecord> PhoneCopy for RecordCopy<R> {
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

/// The base revision a record new on the phone is pushed with.
pub const NEW_ON_PHONE: u32 = 0;

/// Saves an edit of `copy`: the new version waits for the server as an edit
/// of the server's version the copy was made from, however many times it
/// is saved before it reaches the server. A copy in conflict saved again
/// with the server's version beside it is saved over that version as
/// keeping mine would ([`kept_mine`]): the volunteer's changes, and the
/// other side's where the volunteer changed nothing.
pub fn edit<C: PhoneCopy>(copy: &mut C, mut edited: C::Record) {
    edited.carry_server_fields(copy.record());
    let mut revision = copy.record().revision();
    match copy.sync() {
        SyncState::Synced { .. } => {
            copy.set_base_revision(Some(revision));
            copy.set_base(Some(copy.record().clone()));
        }
        SyncState::Conflict { .. } => {
            if let Some(theirs) = copy.theirs().cloned() {
                revision = revision.max(theirs.revision());
                edited.carry_server_fields(&theirs);
                if let Some(base) = copy.base() {
                    edited = C::Record::merged(base, &edited, &theirs);
                }
                edits_of(copy, theirs);
            }
        }
        SyncState::Pending | SyncState::Rejected { .. } => {}
    }
    edited.set_revision(revision.saturating_add(1));
    *copy.record_mut() = edited;
    copy.set_sync(SyncState::Pending);
}

/// One field of a three-way merge (or fields that rules tie together, taken
/// as one): the phone's value where its edit changed it from `base`, the
/// other side's where it did not.
pub fn field_kept<T: PartialEq + Clone>(base: &T, mine: &T, theirs: &T) -> T {
    if mine == base { theirs } else { mine }.clone()
}

/// What to do with a pulled change of a record the phone holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Merged {
    /// The copy changed: keep it.
    Changed,
    /// Forget the record: the server has deleted it and the phone holds no edit of it.
    Forget,
}

/// Merges the server's current version of a record into the phone's copy.
/// A copy waiting for the server or in conflict keeps the phone's version
/// and holds the server's beside it, to choose between if the push is
/// answered `conflict`; a coordinator's erasure wins over everything. A
/// pending edit the server already has (same content) is settled by it; a
/// pending deletion never is: only the push of the deletion settles it.
pub fn merge_pulled<C: PhoneCopy>(copy: &mut C, pulled: C::Record, now: DateTime<Utc>) -> Merged {
    let keeps_own = copy.is_pending() || matches!(copy.sync(), SyncState::Conflict { .. });
    let settled_elsewhere = !copy.is_deleted() && copy.record().same_content(&pulled);
    let erased = copy.record().erased_by(&pulled);
    if keeps_own && erased {
        // What the phone changed that is not personal (a household's size, its
        // village; a visit's skills, people, outcome) goes on as an edit of the
        // erased version; a deletion waiting is not an edit to go on with.
        let kept = if copy.is_deleted() { None } else { kept_beside_erasure(copy, &pulled) };
        if let Some(kept) = kept {
            pending_over(copy, kept, pulled);
            return Merged::Changed;
        }
        if let Some(stripped) = copy.record().stripped_by_erasure(&pulled) {
            // Someone else's edit came with the erasure, or a deletion waits: the phone's
            // version stays beside the server's as in any conflict, but without the erased text.
            *copy.record_mut() = stripped;
            if let Some(base) = copy.base().and_then(|base| base.stripped_by_erasure(&pulled)) {
                copy.set_base(Some(base));
            }
            copy.set_theirs(Some(pulled));
            return Merged::Changed;
        }
    }
    // A deletion waiting is settled only by its push, erasure or not.
    if keeps_own && (!erased || copy.is_deleted()) && !settled_elsewhere {
        copy.set_theirs(Some(pulled));
    } else {
        *copy.record_mut() = pulled;
        copy.set_sync(SyncState::Synced { at: now });
        settled(copy);
    }
    Merged::Changed
}

/// What of the phone's pending edit goes on as an edit of `erasing`, a
/// version that erased personal data ([`SyncedRecord::kept_over_erasure`]);
/// `None` when nothing of it is left.
fn kept_beside_erasure<C: PhoneCopy>(copy: &C, erasing: &C::Record) -> Option<C::Record> {
    let mut kept = C::Record::kept_over_erasure(copy.base(), copy.record(), erasing)?;
    kept.set_revision(revision_over(copy, erasing));
    (!kept.same_content(erasing)).then_some(kept)
}

/// Merges a pulled deletion: the phone's copy goes, whatever it holds. A
/// deleted record can never be stored again (its push would be a conflict
/// with nothing to choose), and a deletion is a person's decision: its
/// author's on another phone, or a leader's void.
pub fn merge_pulled_deletion<C: PhoneCopy>(_copy: &C) -> Merged {
    Merged::Forget
}

/// What a push's answer did to a copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settled {
    /// The copy changed: keep it.
    Changed,
    /// The server has the deletion: forget the record.
    Forget,
    /// The copy was changed on the phone while the push ran: it stays pending for the next one.
    StillPending,
}

/// Settles `current` with the server's answer about `pushed`, the version
/// that was sent; an answer settles a copy only if it is still that version.
pub fn settle<C: PhoneCopy>(current: &mut C, pushed: &C, result: &PushResult, now: DateTime<Utc>) -> Settled {
    if current.record() != pushed.record() || current.is_deleted() != pushed.is_deleted() {
        return Settled::StillPending;
    }
    match result.status {
        status if status.is_stored() => {
            if current.is_deleted() {
                return Settled::Forget;
            }
            // The server now holds this content, at the revision it says.
            if let Some(revision) = result.revision {
                current.record_mut().set_revision(revision);
            }
            current.set_sync(SyncState::Synced { at: now });
            settled(current);
        }
        PushStatus::Conflict => {
            current.set_sync(SyncState::Conflict { message: result.message.clone().unwrap_or_default() })
        }
        _ => current.set_sync(SyncState::Rejected {
            message: result.message.clone().unwrap_or_default(),
            errors: result.errors.clone(),
        }),
    }
    Settled::Changed
}

/// A copy the server holds as the phone does: nothing of an edit is kept beside it.
fn settled<C: PhoneCopy>(copy: &mut C) {
    copy.set_base_revision(None);
    copy.set_base(None);
    copy.set_theirs(None);
}

/// What keeping the phone's version of a conflict would store: what the
/// volunteer changed, and what the other side changed where she did not
/// ([`SyncedRecord::merged`]); her whole version when the version she
/// edited from is not known. `None` until the server's version is pulled.
pub fn kept_mine<C: PhoneCopy>(copy: &C) -> Option<C::Record> {
    let theirs = copy.theirs()?;
    let mine = copy.record();
    let mut kept = match copy.base() {
        Some(base) => C::Record::merged(base, mine, theirs),
        None => mine.clone(),
    };
    kept.carry_server_fields(theirs);
    kept.set_revision(revision_over(copy, theirs));
    Some(kept)
}

/// The revision of the phone's next version over the server's `server`.
fn revision_over<C: PhoneCopy>(copy: &C, server: &C::Record) -> u32 {
    copy.record().revision().max(server.revision()).saturating_add(1)
}

/// From now on the copy's edits are of the server's version `server`.
fn edits_of<C: PhoneCopy>(copy: &mut C, server: C::Record) {
    copy.set_base_revision(Some(server.revision()));
    copy.set_base(Some(server));
    copy.set_theirs(None);
}

/// `kept` waits for the server as an edit of its version `server`.
fn pending_over<C: PhoneCopy>(copy: &mut C, kept: C::Record, server: C::Record) {
    *copy.record_mut() = kept;
    edits_of(copy, server);
    copy.set_sync(SyncState::Pending);
}

/// Settles a conflict by keeping the phone's version ([`kept_mine`]): it
/// goes to the server as an edit of the server's version. Without the
/// server's version (not pulled yet) nothing changes.
pub fn keep_mine<C: PhoneCopy>(copy: &mut C) {
    let (Some(kept), Some(theirs)) = (kept_mine(copy), copy.theirs().cloned()) else { return };
    pending_over(copy, kept, theirs);
}

/// What a form opens on to edit `copy`: for a copy in conflict whose
/// server version is known, the merge keeping mine would store
/// ([`kept_mine`]), for the volunteer to see before saving; `None` for any
/// other copy (the form shows the copy's own version).
pub fn merged_for_form<C: PhoneCopy>(copy: &C) -> Option<C::Record> {
    matches!(copy.sync(), SyncState::Conflict { .. }).then(|| kept_mine(copy)).flatten()
}

/// Saves `edited`, written in a form that opened on `shown`. A form that
/// showed the merge of a conflict ([`merged_for_form`]) saves exactly what
/// it shows: the merge is kept first, then the edit goes over it — a field
/// set back to how it was before both edits stays so, instead of being
/// merged again and taking the other side's value. If the merge changed
/// while the form was open (a sync brought a newer server version), the
/// edit is merged as any edit of a copy in conflict ([`edit`]).
pub fn edit_from_form<C: PhoneCopy>(copy: &mut C, shown: &C::Record, edited: C::Record) {
    if merged_for_form(copy).as_ref() == Some(shown) {
        keep_mine(copy);
    }
    edit(copy, edited);
}

/// Settles a conflict by taking the server's version.
pub fn take_theirs<C: PhoneCopy>(copy: &mut C, now: DateTime<Utc>) {
    let Some(theirs) = copy.theirs().cloned() else { return };
    *copy.record_mut() = theirs;
    settled(copy);
    copy.set_sync(SyncState::Synced { at: now });
}

/// A pending copy as it is pushed: its fields (`input`) and the server's revision it was edited from.
pub fn to_push<C: PhoneCopy, I>(copy: &C, input: I) -> super::Pushed<I> {
    super::Pushed { record: input, base_revision: copy.base_revision() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::ChangeKind;
    use crate::validation::{Field, Problem};

    #[test]
    fn every_sync_state_reads_back_as_it_was_stored() {
        let states = [
            SyncState::Pending,
            SyncState::Synced { at: now() },
            SyncState::Rejected {
                message: "Thôn không có trong danh sách".into(),
                errors: vec![FieldError::new(Field::Village, Problem::UnknownVillage)],
            },
            SyncState::Conflict { message: "Người khác đã sửa".into() },
        ];
        for state in states {
            let json = serde_json::to_string(&state).unwrap();
            assert_eq!(serde_json::from_str::<SyncState>(&json).unwrap(), state, "{json}");
        }
        assert!(serde_json::from_str::<SyncState>(r#"{"state": "synced"}"#).is_err());
    }

    /// The smallest record: content and revision.
    #[derive(Debug, Clone, PartialEq)]
    struct Note {
        text: &'static str,
        revision: u32,
        private: bool,
        place: &'static str,
    }

    impl SyncedRecord for Note {
        fn revision(&self) -> u32 {
            self.revision
        }
        fn set_revision(&mut self, revision: u32) {
            self.revision = revision;
        }
        fn erased_by(&self, newer: &Self) -> bool {
            self.private && !newer.private
        }
        fn merged(base: &Self, mine: &Self, theirs: &Self) -> Self {
            fn pick<T: PartialEq>(base: T, mine: T, theirs: T) -> T {
                if mine == base {
                    theirs
                } else {
                    mine
                }
            }
            // Like a household: nothing private is kept once it may not be.
            let private = pick(base.private, mine.private, theirs.private);
            Note {
                text: if private { pick(base.text, mine.text, theirs.text) } else { "" },
                place: pick(base.place, mine.place, theirs.place),
                private,
                revision: mine.revision,
            }
        }
    }

    type Copy = RecordCopy<Note>;

    fn now() -> DateTime<Utc> {
        "2026-12-01T03:00:00Z".parse().unwrap()
    }

    fn synced(text: &'static str, revision: u32) -> Copy {
        RecordCopy::synced(Note { text, revision, private: true, place: "" }, now())
    }

    /// The volunteer saves a new text.
    fn save(copy: &mut Copy, text: &'static str) {
        let edited = Note { text, ..copy.record.clone() };
        edit(copy, edited);
    }

    fn answer(status: PushStatus, revision: Option<u32>) -> PushResult {
        PushResult {
            kind: ChangeKind::Household,
            id: String::new(),
            status,
            errors: Vec::new(),
            message: None,
            revision,
        }
    }

    #[test]
    fn edits_between_syncs_stay_edits_of_the_version_the_server_gave() {
        let mut copy = synced("a", 1);
        save(&mut copy, "b");
        save(&mut copy, "c");
        assert_eq!((copy.record.text, copy.record.revision, copy.base_revision), ("c", 3, Some(1)));
        assert!(copy.is_pending());
    }

    #[test]
    fn a_pulled_version_waits_beside_a_pending_edit() {
        let mut copy = synced("a", 1);
        save(&mut copy, "mine");
        merge_pulled(&mut copy, Note { text: "theirs", revision: 2, private: true, place: "" }, now());
        assert_eq!(copy.record.text, "mine");
        assert_eq!(copy.theirs.as_ref().map(|n| n.text), Some("theirs"));
        assert!(copy.is_pending());
    }

    #[test]
    fn a_pulled_version_equal_to_the_pending_edit_settles_it() {
        // The push's answer was lost, but the server has this very edit.
        let mut copy = synced("a", 1);
        save(&mut copy, "mine");
        merge_pulled(&mut copy, Note { text: "mine", revision: 2, private: true, place: "" }, now());
        assert_eq!(copy.sync, SyncState::Synced { at: now() });
        assert_eq!(copy.base_revision, None);
    }

    #[test]
    fn a_pending_deletion_is_not_settled_by_a_pulled_version() {
        let mut copy = synced("a", 1);
        copy.deleted = true;
        copy.sync = SyncState::Pending;
        merge_pulled(&mut copy, Note { text: "a", revision: 1, private: true, place: "" }, now());
        assert!(copy.is_pending() && copy.deleted, "the deletion still waits for its push");
    }

    #[test]
    fn saving_a_copy_in_conflict_saves_it_over_the_servers_version() {
        let mut copy = synced("a", 1);
        save(&mut copy, "mine");
        merge_pulled(&mut copy, Note { text: "theirs", revision: 4, private: true, place: "" }, now());
        copy.sync = SyncState::Conflict { message: String::new() };
        save(&mut copy, "mine again");
        assert_eq!((copy.record.revision, copy.base_revision, copy.theirs.is_none()), (5, Some(4), true));
        assert!(copy.is_pending());
    }

    #[test]
    fn an_erasure_wins_over_a_pending_edit() {
        let mut copy = synced("a", 1);
        save(&mut copy, "mine");
        merge_pulled(&mut copy, Note { text: "", revision: 2, private: false, place: "" }, now());
        assert_eq!(copy.record, Note { text: "", revision: 2, private: false, place: "" });
        assert!(!copy.is_pending());
    }

    #[test]
    fn what_is_not_personal_in_a_pending_edit_outlives_an_erasure() {
        let mut copy = synced("a", 1);
        let edited = Note { place: "Thôn Tây", ..copy.record.clone() };
        edit(&mut copy, edited);
        merge_pulled(&mut copy, Note { text: "", revision: 2, private: false, place: "" }, now());
        assert_eq!(copy.record, Note { text: "", revision: 3, private: false, place: "Thôn Tây" });
        assert_eq!((copy.base_revision, copy.is_pending()), (Some(2), true), "an edit of the erased version");
        // Both sides changed the place: the erasure wins whole, nothing overwritten unseen.
        let mut copy = synced("a", 1);
        let edited = Note { place: "Thôn Tây", ..copy.record.clone() };
        edit(&mut copy, edited);
        merge_pulled(&mut copy, Note { text: "", revision: 2, private: false, place: "Thôn Đông" }, now());
        assert_eq!((copy.record.place, copy.is_pending()), ("Thôn Đông", false));
        // An edit of personal data alone leaves nothing: the erasure is taken as it is.
        let mut copy = synced("a", 1);
        save(&mut copy, "mine");
        merge_pulled(&mut copy, Note { text: "", revision: 2, private: false, place: "" }, now());
        assert_eq!((copy.record.text, copy.is_pending()), ("", false));
    }

    #[test]
    fn an_answer_settles_only_the_version_that_was_pushed() {
        let mut copy = synced("a", 1);
        save(&mut copy, "b");
        let pushed = copy.clone();
        save(&mut copy, "c");
        assert_eq!(settle(&mut copy, &pushed, &answer(PushStatus::Applied, Some(2)), now()), Settled::StillPending);
        assert!(copy.is_pending());
        let mut copy = pushed.clone();
        assert_eq!(settle(&mut copy, &pushed, &answer(PushStatus::Duplicate, Some(4)), now()), Settled::Changed);
        assert_eq!((copy.record.revision, copy.base_revision), (4, None), "the server's revision is adopted");
    }

    #[test]
    fn a_deletion_the_server_has_is_forgotten() {
        let mut copy = Copy { deleted: true, sync: SyncState::Pending, ..synced("a", 1) };
        let pushed = copy.clone();
        assert_eq!(settle(&mut copy, &pushed, &answer(PushStatus::Applied, None), now()), Settled::Forget);
        assert_eq!(merge_pulled_deletion(&synced("a", 1)), Merged::Forget);
        assert_eq!(merge_pulled_deletion(&pushed), Merged::Forget, "a deletion wins over a pending edit");
    }

    #[test]
    fn keeping_mine_makes_it_an_edit_of_theirs_and_taking_theirs_settles() {
        let mut copy = synced("a", 1);
        save(&mut copy, "mine");
        merge_pulled(&mut copy, Note { text: "theirs", revision: 5, private: true, place: "" }, now());
        let pushed = copy.clone();
        settle(&mut copy, &pushed, &answer(PushStatus::Conflict, None), now());
        let mut taking = copy.clone();
        keep_mine(&mut copy);
        assert_eq!((copy.record.text, copy.record.revision, copy.base_revision), ("mine", 6, Some(5)));
        assert!(copy.is_pending());
        take_theirs(&mut taking, now());
        assert_eq!((taking.record.text, taking.record.revision), ("theirs", 5));
        assert_eq!(taking.sync, SyncState::Synced { at: now() });
    }

    /// A conflict as the app shows it: pushed, answered `conflict`, the server's version beside.
    fn in_conflict(copy: &mut Copy, theirs: Note) {
        merge_pulled(copy, theirs, now());
        let pushed = copy.clone();
        settle(copy, &pushed, &answer(PushStatus::Conflict, None), now());
    }

    #[test]
    fn keeping_mine_keeps_what_the_other_side_changed_where_i_did_not() {
        let mut copy = synced("a", 1);
        save(&mut copy, "b");
        save(&mut copy, "c");
        assert_eq!(copy.base.as_ref().map(|n| (n.text, n.revision)), Some(("a", 1)), "the version edited from");
        in_conflict(&mut copy, Note { text: "a", revision: 2, private: true, place: "Thôn Tây" });
        let kept = kept_mine(&copy).unwrap();
        assert_eq!((kept.text, kept.place, kept.revision), ("c", "Thôn Tây", 4));
        keep_mine(&mut copy);
        assert_eq!(copy.record, kept);
        assert_eq!((copy.base_revision, copy.base.as_ref().map(|n| n.place)), (Some(2), Some("Thôn Tây")));
        let pushed = copy.clone();
        settle(&mut copy, &pushed, &answer(PushStatus::Applied, Some(3)), now());
        assert_eq!((copy.base.is_none(), copy.base_revision, copy.theirs.is_none()), (true, None, true));
    }

    #[test]
    fn where_both_changed_a_field_keeping_mine_keeps_mine() {
        let mut copy = synced("a", 1);
        save(&mut copy, "mine");
        in_conflict(&mut copy, Note { text: "theirs", revision: 2, private: true, place: "" });
        assert_eq!(kept_mine(&copy).map(|n| n.text), Some("mine"));
    }

    #[test]
    fn without_the_version_edited_from_keeping_mine_keeps_my_whole_version() {
        // An edit stored by a build that did not keep it.
        let mut copy = synced("a", 1);
        save(&mut copy, "mine");
        copy.base = None;
        in_conflict(&mut copy, Note { text: "a", revision: 2, private: true, place: "Thôn Tây" });
        assert_eq!(kept_mine(&copy).map(|n| (n.text, n.place)), Some(("mine", "")));
    }

    #[test]
    fn editing_a_copy_in_conflict_edits_from_the_servers_version() {
        let mut copy = synced("a", 1);
        save(&mut copy, "mine");
        in_conflict(&mut copy, Note { text: "a", revision: 2, private: true, place: "Thôn Tây" });
        let mut taking = copy.clone();
        take_theirs(&mut taking, now());
        assert!(taking.base.is_none(), "settled: nothing kept beside");
        save(&mut copy, "mine again");
        assert_eq!(copy.base.as_ref().map(|n| (n.place, n.revision)), Some(("Thôn Tây", 2)));
        assert_eq!((copy.record.text, copy.record.place), ("mine again", "Thôn Tây"), "the other side's change kept");
    }
}
