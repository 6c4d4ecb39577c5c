//! What storage does with a pushed change, whichever backend holds it: the
//! domain's one rule ([`judge`]) applied to the version a backend read, and
//! who may write what. Backends read and write; they decide nothing here.

use super::{Scope, StoreResult, Stored};
use gocua_domain::sync::judge::{judge, written_from, HeldVersion, Judgement, PushedVersion};
use gocua_domain::sync::phone::SyncedRecord;
use gocua_domain::sync::{PushStatus, Pushed};

/// How a pushed record is stored: at this revision, and with this
/// [`HeldVersion::written_from`] beside the device that wrote it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Storing {
    pub revision: u32,
    pub written_from: u32,
}

/// Judges a pushed record against the version held (`None`: never stored)
/// by the domain's one rule: how to store it, or the answer to send without
/// storing anything.
pub(super) fn judge_pushed<R: SyncedRecord>(
    pushed: &Pushed<R>,
    device: i64,
    personal_data: bool,
    held: Option<&(HeldVersion, R)>,
) -> Result<Storing, StoreResult> {
    let version = PushedVersion {
        revision: pushed.record.revision(),
        base_revision: pushed.base_revision,
        device,
        personal_data,
        same_content: held.is_some_and(|(_, stored)| stored.same_content(&pushed.record)),
    };
    let held_version = held.map(|(version, _)| version);
    match judge(&version, held_version) {
        Judgement::Create { revision } | Judgement::Replace { revision } => {
            Ok(Storing { revision, written_from: written_from(&version, held_version) })
        }
        Judgement::Refused(error) => Err(Err(error)),
        Judgement::Unchanged(status) => {
            let held = held.expect("only a held record is left unchanged").0;
            // A deleted record is on the server only as a tombstone: no revision to keep.
            let stored = status == PushStatus::Duplicate && !held.deleted;
            Err(Ok(Stored { status, revision: stored.then_some(held.revision) }))
        }
    }
}

/// The households a push may visit, by id, each with its team. A visit is
/// kept under its household's team, not its author's: the team that holds
/// the household's personal data is the one that sees its visits (a
/// coordinator who is also in a team may visit a household of another).
pub(super) type VisitableHouseholds = std::collections::HashMap<String, Option<i64>>;

/// The team a visit to `household_id` is kept under (see [`VisitableHouseholds`]);
/// called only for households the push found visitable (none: no team).
pub(super) fn team_of(households: &VisitableHouseholds, household_id: &gocua_domain::HouseholdId) -> Option<i64> {
    households.get(&household_id.to_string()).copied().flatten()
}

/// Each visit's id with the team it is kept under, `[["<id>", 3], …]` as
/// JSON: the change log's rows for a push's new visits, without a join.
pub(super) fn visits_with_teams(
    households: &VisitableHouseholds,
    visits: &[&gocua_domain::Visit],
) -> Vec<(String, Option<i64>)> {
    visits.iter().map(|visit| (visit.id.to_string(), team_of(households, &visit.household_id))).collect()
}

/// Whether `actor` may record a visit to a household of `commune_id` and
/// `team_id`: one of their team's (a coordinator: any of the commune's).
pub(super) fn may_visit(actor: &Scope, commune_id: i64, team_id: Option<i64>, created_by: i64) -> bool {
    commune_id == actor.commune_id && actor.households.covers(team_id, created_by, actor.user_id)
}

/// Whether `actor` may change a stored household of `commune_id` and
/// `team_id`, recorded by `created_by`: as [`may_visit`], and a household of
/// no team (its creator had none) stays its creator's to edit.
pub(super) fn may_write_household(actor: &Scope, commune_id: i64, team_id: Option<i64>, created_by: i64) -> bool {
    let own_teamless = team_id.is_none() && created_by == actor.user_id;
    commune_id == actor.commune_id && (actor.households.covers(team_id, created_by, actor.user_id) || own_teamless)
}

/// What a deletion pushed by a phone does, or did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Deletion {
    /// The stored record is now a tombstone: the caller logs the change.
    Deleted,
    /// Never stored here: the id is remembered.
    Remembered,
    /// Nothing changed: already deleted (`duplicate`) or another author's (`conflict`).
    Unchanged(PushStatus),
}

impl Deletion {
    /// What deleting a record does: `held` is its author and whether it is
    /// deleted already (`None`: never stored). Only its author deletes it.
    pub fn of(held: Option<(i64, bool)>, actor: &Scope) -> Deletion {
        match held {
            None => Deletion::Remembered,
            Some((author_id, _)) if author_id != actor.user_id => Deletion::Unchanged(PushStatus::Conflict),
            Some((_, true)) => Deletion::Unchanged(PushStatus::Duplicate),
            Some((_, false)) => Deletion::Deleted,
        }
    }

    pub fn status(self) -> PushStatus {
        match self {
            Deletion::Deleted | Deletion::Remembered => PushStatus::Applied,
            Deletion::Unchanged(status) => status,
        }
    }
}

/// The answer to a push of a record its author (`deleted_by`) deleted before it ever arrived.
pub(super) fn deleted_before_arrival(deleted_by: i64, actor: &Scope) -> PushStatus {
    if deleted_by == actor.user_id {
        PushStatus::Duplicate
    } else {
        PushStatus::Conflict
    }
}
