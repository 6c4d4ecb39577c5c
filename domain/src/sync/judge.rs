//! What a pushed change means against what the server holds: the one rule
//! of revisions, ownership, deletions and erasures, for every kind of synced
//! record (households, visits, community sessions). The server's storage
//! reads the held version, asks [`judge`], and does what it answers; the
//! property tests drive the same function through the real server.
//!
//! The rule (docs/sync-protocol.md, "Revisions"): an edit counts only if it
//! was made from the version the server holds now. A phone says which
//! version it edited with `base_revision`, the server's revision it last
//! had, however many times it edited the record since. A phone built before
//! `base_revision` existed sends none and is judged by the earlier rule,
//! revision against revision.

use super::PushStatus;
use crate::validation::{Field, FieldError, Problem};

/// The version of a record a phone pushed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PushedVersion {
    /// The phone's count of edits: one more at every save, never lower than a revision it was sent.
    pub revision: u32,
    /// The server's revision the phone's copy was edited from (0: a record new on the phone);
    /// `None` from phones of the earlier protocol.
    pub base_revision: Option<u32>,
    /// The sign-in (device) that pushed it.
    pub device: i64,
    /// It carries personal data: a household's name, address or phone, a visit's note or follow-up reason.
    pub personal_data: bool,
    /// It is the same, after normalisation, as the version the server holds.
    pub same_content: bool,
}

/// What the server holds of a record when a change to it arrives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeldVersion {
    pub revision: u32,
    /// The sign-in (device) whose push wrote this revision; `None` when a
    /// coordinator or leader wrote it on the server, or before devices were recorded.
    pub written_by: Option<i64>,
    /// The revision the pushes of `written_by` that led to this one were made
    /// from ([`written_from`]): every revision after it is that device's own.
    /// 0 when not known (written before it was recorded).
    pub written_from: u32,
    /// The pusher may write this record: its author (visits, community
    /// sessions), or a member of its team or the commune's coordinator (households).
    pub writable_by_pusher: bool,
    /// Deleted by its author or voided by a leader: it stays a tombstone.
    pub deleted: bool,
    /// What a coordinator's erasure of the household's personal data did to it.
    pub erased: Erasure,
}

/// What a coordinator's erasure of a household's personal data, at its
/// request, did to a record the server holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Erasure {
    /// Nothing: never erased.
    None,
    /// A household's name, address and phone, for good.
    ForGood,
    /// A visit's note and follow-up reason, blanked at this revision: text
    /// in an edit of that version or a later one was written since, and stays.
    TextAt(u32),
}

impl Erasure {
    /// The field whose personal data a push edited from `base` may not bring
    /// back (`None`: it may). A push without `base_revision` (a phone of the
    /// earlier protocol) may have been edited from any version.
    fn refusing(self, base: Option<u32>) -> Option<Field> {
        match self {
            Erasure::None => None,
            Erasure::ForGood => Some(Field::Consent),
            Erasure::TextAt(revision) => base.is_none_or(|base| base < revision).then_some(Field::Note),
        }
    }
}

/// What the server does with a pushed change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Judgement {
    /// Store it as a new record, at this revision.
    Create { revision: u32 },
    /// Store it over the held version, at this revision.
    Replace { revision: u32 },
    /// Change nothing, and answer so (`duplicate` or `conflict`).
    Unchanged(PushStatus),
    /// Change nothing: it breaks a rule (answered `rejected`).
    Refused(FieldError),
}

/// Judges a pushed version against the held one (`None`: the server never had this id).
pub fn judge(pushed: &PushedVersion, held: Option<&HeldVersion>) -> Judgement {
    let Some(held) = held else { return Judgement::Create { revision: pushed.revision } };
    if !held.writable_by_pusher {
        return Judgement::Unchanged(PushStatus::Conflict);
    }
    if held.deleted {
        // Nothing revives a deleted record. A replay of the version it was
        // deleted at (a push whose answer was lost) changes nothing:
        // `duplicate`, as for a live record; so is, by the earlier rule, any
        // revision up to it. An edit made since is a `conflict` (the phone
        // then forgets its copy with the pulled deletion).
        let replay = pushed.same_content || (pushed.base_revision.is_none() && pushed.revision <= held.revision);
        return Judgement::Unchanged(if replay { PushStatus::Duplicate } else { PushStatus::Conflict });
    }
    let verdict = match pushed.base_revision {
        Some(base) => by_base(pushed, base, held),
        None => by_revision(pushed, held),
    };
    match (verdict, held.erased.refusing(pushed.base_revision)) {
        (Judgement::Replace { .. }, Some(field)) if pushed.personal_data => {
            Judgement::Refused(FieldError::new(field, Problem::Erased))
        }
        (verdict, _) => verdict,
    }
}

/// What to keep as [`HeldVersion::written_from`] with a version `pushed`
/// stores over `held`: a device's run of its own edits keeps the revision it
/// began from; any other write begins a run at its base (0 without one).
pub fn written_from(pushed: &PushedVersion, held: Option<&HeldVersion>) -> u32 {
    let base = pushed.base_revision.unwrap_or(0);
    match held {
        Some(held) if held.written_by == Some(pushed.device) => held.written_from.min(base),
        _ => base,
    }
}

/// The rule for phones that say what they edited.
fn by_base(pushed: &PushedVersion, base: u32, held: &HeldVersion) -> Judgement {
    // Revisions never go back, whatever a client sends.
    let replace = Judgement::Replace { revision: pushed.revision.max(held.revision.saturating_add(1)) };
    if base == held.revision {
        // An edit of exactly what the server holds.
        return replace;
    }
    if pushed.same_content {
        // A replay, or the same change made elsewhere: nothing to change.
        return Judgement::Unchanged(PushStatus::Duplicate);
    }
    if held.written_by == Some(pushed.device) && base >= held.written_from {
        // This device wrote the held version, from an edit this one follows:
        // its answer was lost and the volunteer edited again. Every revision
        // since `base` is this device's own, so nothing of anyone else's is lost.
        // (An edit from before the device's run began — a version someone else
        // wrote, a coordinator's correction — is a conflict, below.)
        return if pushed.revision > held.revision {
            replace
        } else {
            // An older version of this device's, arriving late: the newer one stays.
            Judgement::Unchanged(PushStatus::Duplicate)
        };
    }
    // Edited from a version someone else has since replaced: both stay, the phone chooses.
    Judgement::Unchanged(PushStatus::Conflict)
}

/// The earlier rule, for phones that send no `base_revision`: a higher
/// revision is an edit; the same or a lower one with the same content a
/// replay, with other content a conflict (a late replay of an older version,
/// or an edit made elsewhere: nothing changes either way, and the phone is
/// shown both). Those phones update themselves at their next open online.
fn by_revision(pushed: &PushedVersion, held: &HeldVersion) -> Judgement {
    if pushed.revision > held.revision {
        Judgement::Replace { revision: pushed.revision }
    } else if pushed.same_content {
        Judgement::Unchanged(PushStatus::Duplicate)
    } else {
        Judgement::Unchanged(PushStatus::Conflict)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PHONE_A: i64 = 1;
    const PHONE_B: i64 = 2;

    fn pushed(revision: u32, base: u32, device: i64) -> PushedVersion {
        PushedVersion { revision, base_revision: Some(base), device, personal_data: true, same_content: false }
    }

    fn held(revision: u32, written_by: i64) -> HeldVersion {
        HeldVersion {
            revision,
            written_by: Some(written_by),
            written_from: 0,
            writable_by_pusher: true,
            deleted: false,
            erased: Erasure::None,
        }
    }

    #[test]
    fn a_record_the_server_never_had_is_created() {
        assert_eq!(judge(&pushed(1, 0, PHONE_A), None), Judgement::Create { revision: 1 });
    }

    #[test]
    fn an_edit_of_what_the_server_holds_replaces_it_however_many_saves_it_took() {
        assert_eq!(judge(&pushed(2, 1, PHONE_A), Some(&held(1, PHONE_B))), Judgement::Replace { revision: 2 });
        assert_eq!(judge(&pushed(5, 1, PHONE_A), Some(&held(1, PHONE_B))), Judgement::Replace { revision: 5 });
        // A client that sends a revision at or below the base still moves the record forward.
        assert_eq!(judge(&pushed(1, 1, PHONE_A), Some(&held(1, PHONE_B))), Judgement::Replace { revision: 2 });
    }

    /// Issue 12's example: A corrects twice offline, B once; B's arrives first.
    #[test]
    fn two_edits_of_one_version_are_a_conflict_whichever_saved_more_often() {
        let after_b = held(2, PHONE_B);
        let a_twice = pushed(3, 1, PHONE_A);
        assert_eq!(judge(&a_twice, Some(&after_b)), Judgement::Unchanged(PushStatus::Conflict));
    }

    #[test]
    fn the_same_change_made_twice_is_a_duplicate() {
        let replay = PushedVersion { same_content: true, ..pushed(2, 1, PHONE_A) };
        assert_eq!(judge(&replay, Some(&held(2, PHONE_A))), Judgement::Unchanged(PushStatus::Duplicate));
    }

    #[test]
    fn an_edit_after_a_lost_answer_follows_the_devices_own_version() {
        // A's first edit (revision 2) was stored but its answer lost; A edited again.
        let again = pushed(3, 1, PHONE_A);
        assert_eq!(judge(&again, Some(&held(2, PHONE_A))), Judgement::Replace { revision: 3 });
        // The first push, arriving late after the second: the newer one stays.
        let late = pushed(2, 1, PHONE_A);
        assert_eq!(judge(&late, Some(&held(3, PHONE_A))), Judgement::Unchanged(PushStatus::Duplicate));
    }

    #[test]
    fn a_record_of_another_author_or_team_is_never_written() {
        let theirs = HeldVersion { writable_by_pusher: false, ..held(1, PHONE_B) };
        assert_eq!(judge(&pushed(2, 1, PHONE_A), Some(&theirs)), Judgement::Unchanged(PushStatus::Conflict));
    }

    #[test]
    fn a_deleted_record_is_never_revived() {
        let deleted = HeldVersion { deleted: true, ..held(2, PHONE_A) };
        assert_eq!(judge(&pushed(3, 2, PHONE_A), Some(&deleted)), Judgement::Unchanged(PushStatus::Conflict));
        assert_eq!(judge(&pushed(2, 1, PHONE_A), Some(&deleted)), Judgement::Unchanged(PushStatus::Conflict));
        let late_replay = PushedVersion { base_revision: None, ..pushed(2, 1, PHONE_A) };
        assert_eq!(judge(&late_replay, Some(&deleted)), Judgement::Unchanged(PushStatus::Duplicate));
        // The version it was deleted at, pushed again (its answer was lost): a replay, not an edit.
        let replayed = PushedVersion { same_content: true, ..pushed(1, 0, PHONE_A) };
        assert_eq!(judge(&replayed, Some(&deleted)), Judgement::Unchanged(PushStatus::Duplicate));
    }

    #[test]
    fn erased_personal_data_cannot_come_back_but_an_anonymous_edit_can() {
        let erased = HeldVersion { erased: Erasure::ForGood, written_by: None, ..held(3, PHONE_B) };
        assert_eq!(
            judge(&pushed(4, 3, PHONE_A), Some(&erased)),
            Judgement::Refused(FieldError::new(Field::Consent, Problem::Erased))
        );
        let anonymous = PushedVersion { personal_data: false, ..pushed(4, 3, PHONE_A) };
        assert_eq!(judge(&anonymous, Some(&erased)), Judgement::Replace { revision: 4 });
        // Edited before the erasure: a conflict, and the erasure stays.
        assert_eq!(judge(&pushed(3, 2, PHONE_A), Some(&erased)), Judgement::Unchanged(PushStatus::Conflict));
    }

    #[test]
    fn text_erased_from_a_visit_comes_back_only_from_an_edit_made_since() {
        // Blanked at revision 3, by no device.
        let blanked = HeldVersion { erased: Erasure::TextAt(3), written_by: None, ..held(3, PHONE_B) };
        let with_text = |revision, base| PushedVersion { base_revision: base, ..pushed(revision, 0, PHONE_A) };
        // Written since the phone had the blank version: new text, kept.
        assert_eq!(judge(&with_text(4, Some(3)), Some(&blanked)), Judgement::Replace { revision: 4 });
        // From a phone that says nothing of what it edited: it may be the erased text.
        assert_eq!(
            judge(&with_text(4, None), Some(&blanked)),
            Judgement::Refused(FieldError::new(Field::Note, Problem::Erased))
        );
        let without_text = PushedVersion { personal_data: false, ..with_text(4, None) };
        assert_eq!(judge(&without_text, Some(&blanked)), Judgement::Replace { revision: 4 });
        // Edited before the blanking: a conflict, as any edit of an older version.
        assert_eq!(judge(&with_text(3, Some(2)), Some(&blanked)), Judgement::Unchanged(PushStatus::Conflict));
        // Text written since, and this device's later edit of it: still its own.
        let rewritten = HeldVersion { written_by: Some(PHONE_A), revision: 4, ..blanked };
        assert_eq!(judge(&with_text(5, Some(3)), Some(&rewritten)), Judgement::Replace { revision: 5 });
    }

    #[test]
    fn a_devices_own_run_counts_only_from_where_it_began() {
        // A coordinator corrected revision 1 into 2; this device edited the correction (3, from 2).
        let after_correction = HeldVersion { written_from: 2, ..held(3, PHONE_A) };
        // A later edit of its own, its first answer lost: still its own run.
        assert_eq!(judge(&pushed(4, 2, PHONE_A), Some(&after_correction)), Judgement::Replace { revision: 4 });
        // An edit made before the correction (a copy restored from an old backup, say): a conflict.
        assert_eq!(judge(&pushed(5, 1, PHONE_A), Some(&after_correction)), Judgement::Unchanged(PushStatus::Conflict));

        // What a stored push keeps: a new run at its base, or the run it continues.
        assert_eq!(written_from(&pushed(3, 2, PHONE_A), Some(&held(2, PHONE_B))), 2);
        assert_eq!(written_from(&pushed(4, 2, PHONE_A), Some(&after_correction)), 2);
        assert_eq!(written_from(&pushed(4, 3, PHONE_A), Some(&after_correction)), 2);
        assert_eq!(written_from(&pushed(1, 0, PHONE_A), None), 0);
        let earlier_rule = PushedVersion { base_revision: None, ..pushed(4, 0, PHONE_A) };
        assert_eq!(written_from(&earlier_rule, Some(&held(3, PHONE_B))), 0);
    }

    #[test]
    fn phones_of_the_earlier_protocol_are_judged_by_revision() {
        let old = |revision, same_content| PushedVersion {
            base_revision: None,
            same_content,
            ..pushed(revision, 0, PHONE_A)
        };
        assert_eq!(judge(&old(3, false), Some(&held(2, PHONE_B))), Judgement::Replace { revision: 3 });
        assert_eq!(judge(&old(2, true), Some(&held(2, PHONE_B))), Judgement::Unchanged(PushStatus::Duplicate));
        assert_eq!(judge(&old(2, false), Some(&held(2, PHONE_B))), Judgement::Unchanged(PushStatus::Conflict));
        assert_eq!(judge(&old(1, true), Some(&held(2, PHONE_B))), Judgement::Unchanged(PushStatus::Duplicate));
        // Issue 12's example with a phone of the previous build: its one edit (revision 2) meets
        // three saved elsewhere (revision 4). Not a silent duplicate: a conflict it is shown.
        assert_eq!(judge(&old(2, false), Some(&held(4, PHONE_B))), Judgement::Unchanged(PushStatus::Conflict));
    }
}
