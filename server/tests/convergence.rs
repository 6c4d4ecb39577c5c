//! A property of the whole sync design, proven on the code both sides run:
//! three phones (one volunteer with two, and a teammate) edit households and
//! visits offline in random order — several edits between syncs, two phones
//! editing one household, deletions — while a leader voids visits and a
//! coordinator erases households; syncs lose answers, are sent twice, or
//! arrive late after newer ones. The phones keep their records with the
//! app's own rules (`gocua_domain::sync::phone`: edit, merge, settle, keep
//! mine or take theirs) and the server judges with its own
//! (`gocua_domain::sync::judge`, through the real storage layer in a
//! temporary SQLite file). After the network returns for good:
//!
//! - every phone and the server agree, and no visit is lost or doubled;
//! - **no update is lost silently**: every edit the server ever stored is
//!   still in the record, unless a volunteer chose the other version of a
//!   conflict or a coordinator erased the household's data (its visits'
//!   notes with it). Each edit adds a
//!   tag to the record (a household's address, a visit's note), so the
//!   record's text is the history of the edits it holds.
//!
//! `GOCUA_SOAK_CASES=10000 cargo test --release -p gocua-server --test server convergence::`
//! runs the soak (docs/benchmarks.md).

use chrono::{DateTime, Utc};
use gocua_domain::api::Role;
use gocua_domain::sync::phone::{self, Merged, PhoneCopy, RecordCopy, Settled, SyncState, SyncedRecord};
use gocua_domain::sync::{PulledChange, PushResult, PushStatus};
use gocua_domain::{
    Catalogue, Household, HouseholdId, HouseholdInput, Outcome, PeopleGuided, Visit, VisitId, VisitInput,
};
use gocua_server::access;
use gocua_server::db::{Actor, Change, ChangeBatch, Database, Scope, StoreResult};
use gocua_server::demo;
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

type Copy<R> = RecordCopy<R>;

struct Phone {
    actor: Scope,
    /// The sign-in this phone pushes with.
    device: i64,
    households: BTreeMap<HouseholdId, Copy<Household>>,
    visits: BTreeMap<VisitId, Copy<Visit>>,
    cursor: i64,
}

#[derive(Debug, Clone)]
enum Op {
    AddHousehold {
        phone: usize,
    },
    /// Corrects a household's address, or (`head_name`) its head's name:
    /// two phones correcting different fields must both be kept.
    EditHousehold {
        phone: usize,
        pick: usize,
        head_name: bool,
        /// Only a household in conflict (left for later), to edit while it is.
        in_conflict: bool,
    },
    AddVisit {
        phone: usize,
        pick: usize,
    },
    EditVisit {
        phone: usize,
        pick: usize,
    },
    DeleteVisit {
        phone: usize,
        pick: usize,
    },
    Sync {
        phone: usize,
        network: Network,
        /// How the volunteer settles conflicts: keeps hers, takes the server's,
        /// or (`None`) leaves them for later and may edit the record meanwhile.
        keep_mine: Option<bool>,
    },
    /// A push sent earlier with [`Network::Late`] reaches the server now.
    DeliverLate,
    /// The team's leader voids a visit.
    Void {
        pick: usize,
    },
    /// The commune's coordinator erases a household's personal data.
    Erase {
        pick: usize,
    },
}

#[derive(Debug, Clone, Copy)]
enum Network {
    Fine,
    /// The server stores the push; its answer never reaches the phone (also: a reload mid-sync).
    AnswerLost,
    /// The push is sent twice; the phone reads the second answer.
    SentTwice,
    /// The push is held up on the way: the phone gives up, and it arrives after later ones.
    Late,
}

fn op() -> impl Strategy<Value = Op> {
    let phone = 0..3usize;
    let network =
        prop_oneof![Just(Network::Fine), Just(Network::AnswerLost), Just(Network::SentTwice), Just(Network::Late)];
    prop_oneof![
        2 => phone.clone().prop_map(|phone| Op::AddHousehold { phone }),
        4 => (phone.clone(), any::<usize>(), any::<bool>())
            .prop_map(|(phone, pick, head_name)| Op::EditHousehold { phone, pick, head_name, in_conflict: false }),
        2 => (phone.clone(), any::<usize>(), any::<bool>())
            .prop_map(|(phone, pick, head_name)| Op::EditHousehold { phone, pick, head_name, in_conflict: true }),
        2 => (phone.clone(), any::<usize>()).prop_map(|(phone, pick)| Op::AddVisit { phone, pick }),
        3 => (phone.clone(), any::<usize>()).prop_map(|(phone, pick)| Op::EditVisit { phone, pick }),
        1 => (phone.clone(), any::<usize>()).prop_map(|(phone, pick)| Op::DeleteVisit { phone, pick }),
        5 => (phone, network, prop::option::of(any::<bool>()))
            .prop_map(|(phone, network, keep_mine)| Op::Sync { phone, network, keep_mine }),
        1 => Just(Op::DeliverLate),
        1 => any::<usize>().prop_map(|pick| Op::Void { pick }),
        1 => any::<usize>().prop_map(|pick| Op::Erase { pick }),
    ]
}

fn now() -> DateTime<Utc> {
    Utc::now()
}

fn pick<K: Clone + Ord, V>(map: &BTreeMap<K, V>, pick: usize, usable: impl Fn(&V) -> bool) -> Option<K> {
    let keys: Vec<&K> = map.iter().filter(|(_, v)| usable(v)).map(|(k, _)| k).collect();
    (!keys.is_empty()).then(|| keys[pick % keys.len()].clone())
}

/// The edits a record's text holds: one tag per edit, `;`-separated.
fn tags(text: &str) -> BTreeSet<String> {
    text.split(';').filter(|tag| tag.starts_with('e')).map(str::to_owned).collect()
}

/// The fields of a household the phones edit.
const HOUSEHOLD_FIELDS: [fn(&Household) -> &String; 2] = [|h| &h.address, |h| &h.head_name];

/// The edits a household holds, in all the fields the phones edit.
fn household_tags(household: &Household) -> BTreeSet<String> {
    HOUSEHOLD_FIELDS.iter().flat_map(|field| tags(field(household))).collect()
}

/// What the whole run knows, to judge the outcome by.
#[derive(Default)]
struct Ledger {
    next_tag: usize,
    visits_created: BTreeSet<VisitId>,
    visits_deleted: BTreeSet<VisitId>,
    households_erased: BTreeSet<HouseholdId>,
    /// Edits the server stored at some point, per record.
    stored_household_tags: BTreeMap<HouseholdId, BTreeSet<String>>,
    stored_visit_tags: BTreeMap<VisitId, BTreeSet<String>>,
    /// Edits a volunteer set aside by choosing the other version of a conflict.
    set_aside: BTreeSet<String>,
    /// Pushes on their way late.
    late: Vec<(Scope, ChangeBatch)>,
}

impl Ledger {
    fn tag(&mut self) -> String {
        self.next_tag += 1;
        format!("e{}", self.next_tag)
    }

    /// Edits the server stored that `text` no longer holds, and nobody chose to set aside.
    fn lost(&self, stored: &BTreeSet<String>, text: &str) -> Vec<String> {
        let held = tags(text);
        stored.iter().filter(|tag| !held.contains(*tag) && !self.set_aside.contains(*tag)).cloned().collect()
    }

    /// Notes what a push stored.
    fn stored(&mut self, batch: &ChangeBatch, answers: &[StoreResult]) {
        let applied = |result: &StoreResult| result.as_ref().is_ok_and(|stored| stored.status == PushStatus::Applied);
        for (change, result) in batch.changes.iter().zip(answers) {
            match change {
                Change::Household(pushed) if applied(result) => {
                    let held = self.stored_household_tags.entry(pushed.record.id).or_default();
                    held.extend(household_tags(&pushed.record));
                }
                Change::Visit(pushed) if applied(result) => {
                    self.stored_visit_tags.entry(pushed.record.id).or_default().extend(tags(&pushed.record.note));
                }
                _ => {}
            }
        }
    }
}

/// A phone's copy of a record as it was when pushed.
enum Pushed {
    Household(Copy<Household>),
    Visit(Copy<Visit>),
}

/// The phone's answer as the API sends it.
fn as_sent<I: ToString>(id: I, result: &StoreResult) -> PushResult {
    let (status, revision) = match result {
        Ok(stored) => (stored.status, stored.revision),
        Err(_) => (PushStatus::Rejected, None),
    };
    let kind = gocua_domain::sync::ChangeKind::Household;
    PushResult { kind, id: id.to_string(), status, errors: Vec::new(), message: None, revision }
}

impl Phone {
    fn edit(&mut self, op: &Op, ledger: &mut Ledger) {
        match *op {
            Op::AddHousehold { .. } => {
                let household = Household::parse(&HouseholdInput {
                    id: HouseholdId::new().to_string(),
                    village_id: 1,
                    head_name: "Nguyễn Văn An".into(),
                    address: "Số 1".into(),
                    ..Default::default()
                })
                .unwrap();
                self.households.insert(household.id, Copy::new(household));
            }
            Op::EditHousehold { pick: at, head_name, in_conflict, .. } => {
                // A household whose data was erased has no address or name to correct.
                let conflicted =
                    |h: &Copy<Household>| matches!(h.sync, SyncState::Conflict { .. }) && h.theirs.is_some();
                let editable = |h: &Copy<Household>| h.record.consent && (!in_conflict || conflicted(h));
                if let Some(id) = pick(&self.households, at, editable) {
                    let tag = ledger.tag();
                    let copy = self.households.get_mut(&id).unwrap();
                    let mut edited = copy.record.clone();
                    let field = if head_name { &mut edited.head_name } else { &mut edited.address };
                    field.push_str(&format!(";{tag}"));
                    edited_in_conflict(copy, &edited, &HOUSEHOLD_FIELDS, ledger);
                    phone::edit(copy, edited);
                }
            }
            Op::AddVisit { pick: at, .. } => {
                if let Some(household) = pick(&self.households, at, |_| true) {
                    let input = VisitInput {
                        id: VisitId::new().to_string(),
                        household_id: household.to_string(),
                        outcome: Some(Outcome::Guided),
                        people: PeopleGuided { adults: 1, ..Default::default() },
                        visited_at: Some(now()),
                        ..Default::default()
                    };
                    let visit = Visit::parse(&input, now(), &Catalogue::starting()).unwrap();
                    ledger.visits_created.insert(visit.id);
                    self.visits.insert(visit.id, Copy::new(visit));
                }
            }
            Op::EditVisit { pick: at, .. } => {
                if let Some(id) = pick(&self.visits, at, |v| !v.deleted) {
                    let tag = ledger.tag();
                    let copy = self.visits.get_mut(&id).unwrap();
                    let edited = Visit { note: format!("{};{tag}", copy.record.note), ..copy.record.clone() };
                    edited_in_conflict(copy, &edited, &[|v: &Visit| &v.note], ledger);
                    phone::edit(copy, edited);
                }
            }
            Op::DeleteVisit { pick: at, .. } => {
                if let Some(id) = pick(&self.visits, at, |v| !v.deleted) {
                    self.delete_visit(id, ledger);
                }
            }
            _ => unreachable!("not an edit on a phone"),
        }
    }

    /// The volunteer deletes a visit: a tombstone until the server has the deletion.
    fn delete_visit(&mut self, id: VisitId, ledger: &mut Ledger) {
        let copy = self.visits.get_mut(&id).unwrap();
        copy.deleted = true;
        copy.sync = SyncState::Pending;
        ledger.visits_deleted.insert(id);
    }

    fn outbox(&self) -> ChangeBatch {
        let households = self.households.values().filter(|h| h.is_pending());
        let visits = self.visits.values().filter(|v| v.is_pending());
        let changes = households
            .map(|h| Change::Household(phone::to_push(h, h.record.clone())))
            .chain(visits.map(|v| match v.deleted {
                true => Change::VisitDeleted(v.record.id),
                false => Change::Visit(phone::to_push(v, v.record.clone())),
            }))
            .collect();
        ChangeBatch { device: self.device, changes }
    }

    async fn sync(&mut self, db: &Database, network: Network, keep_mine: Option<bool>, ledger: &mut Ledger) {
        let batch = self.outbox();
        // The copies as they were pushed, one per change.
        let pushed: Vec<Pushed> = batch
            .changes
            .iter()
            .map(|change| match change {
                Change::Household(h) => Pushed::Household(self.households[&h.record.id].clone()),
                Change::Visit(v) => Pushed::Visit(self.visits[&v.record.id].clone()),
                Change::VisitDeleted(id) => Pushed::Visit(self.visits[id].clone()),
                _ => unreachable!("these phones push households and visits"),
            })
            .collect();
        if let Network::Late = network {
            ledger.late.push((self.actor, batch));
            return;
        }
        let mut answer = db.store_changes(&self.actor, &batch, now()).await.unwrap();
        ledger.stored(&batch, &answer);
        match network {
            Network::AnswerLost => return,
            Network::SentTwice => {
                answer = db.store_changes(&self.actor, &batch, now()).await.unwrap();
                ledger.stored(&batch, &answer);
            }
            Network::Fine | Network::Late => {}
        }
        for (pushed, result) in pushed.iter().zip(&answer) {
            match pushed {
                Pushed::Household(pushed) => {
                    let current = self.households.get_mut(&pushed.record.id).unwrap();
                    phone::settle(current, pushed, &as_sent(pushed.record.id, result), now());
                }
                Pushed::Visit(pushed) => {
                    let current = self.visits.get_mut(&pushed.record.id).unwrap();
                    if phone::settle(current, pushed, &as_sent(pushed.record.id, result), now()) == Settled::Forget {
                        self.visits.remove(&pushed.record.id);
                    }
                }
            }
        }
        self.pull(db).await;
        if let Some(keep_mine) = keep_mine {
            self.choose_in_conflicts(keep_mine, ledger);
        }
    }

    async fn pull(&mut self, db: &Database) {
        loop {
            let page = db.pull(&self.actor, self.cursor, 7).await.unwrap();
            for change in page.changes {
                match change {
                    PulledChange::Household { household, .. } => match self.households.get_mut(&household.id) {
                        Some(copy) => {
                            phone::merge_pulled(copy, household, now());
                        }
                        None => {
                            self.households.insert(household.id, Copy::synced(household, now()));
                        }
                    },
                    PulledChange::Visit { visit, .. } => match self.visits.get_mut(&visit.id) {
                        Some(copy) => {
                            phone::merge_pulled(copy, visit, now());
                        }
                        None => {
                            self.visits.insert(visit.id, Copy::synced(visit, now()));
                        }
                    },
                    PulledChange::VisitDeleted { id } => {
                        let forget = self.visits.get(&id).map(phone::merge_pulled_deletion);
                        if forget == Some(Merged::Forget) {
                            self.visits.remove(&id);
                        }
                    }
                    // These phones log households and visits only (community
                    // sessions share the rules: tests/community_sessions.rs).
                    PulledChange::CommunitySession { .. } | PulledChange::CommunitySessionDeleted { .. } => {
                        unreachable!("no community session was pushed")
                    }
                }
            }
            self.cursor = page.cursor;
            if !page.has_more {
                return;
            }
        }
    }

    /// The volunteer settles each conflict: keeps their version or takes the server's.
    fn choose_in_conflicts(&mut self, keep_mine: bool, ledger: &mut Ledger) {
        // A rejected copy (a household whose data was erased) takes the server's version at the pull.
        let in_conflict = |sync: &SyncState| matches!(sync, SyncState::Conflict { .. });
        for copy in self.households.values_mut().filter(|h| in_conflict(&h.sync)) {
            if copy.theirs.is_some() {
                choose(copy, keep_mine, ledger, &HOUSEHOLD_FIELDS);
            }
        }
        let conflicted: Vec<VisitId> =
            self.visits.iter().filter(|(_, v)| in_conflict(&v.sync)).map(|(id, _)| *id).collect();
        for id in conflicted {
            let copy = self.visits.get_mut(&id).unwrap();
            match copy.theirs.clone() {
                Some(_) => choose(copy, keep_mine, ledger, &[|v: &Visit| &v.note]),
                // Deleted on the server (voided, or deleted on the other phone): the volunteer deletes it too.
                None => {
                    ledger.set_aside.extend(tags(&copy.record.note));
                    self.delete_visit(id, ledger);
                }
            }
        }
    }

    fn settled(&self) -> bool {
        let synced = |sync: &SyncState| matches!(sync, SyncState::Synced { .. });
        self.households.values().all(|h| synced(&h.sync)) && self.visits.values().all(|v| synced(&v.sync))
    }
}

/// Keeping `mine` (edits of `base`) over `theirs` sets aside the other
/// side's edits of the fields this phone also changed — every field when
/// the version it edited from is not known.
fn set_aside_by_keeping<R>(mine: &R, base: Option<&R>, theirs: &R, fields: &[fn(&R) -> &String], ledger: &mut Ledger) {
    for field in fields {
        if base.is_none_or(|base| field(base) != field(mine)) {
            ledger.set_aside.extend(tags(field(theirs)).difference(&tags(field(mine))).cloned());
        }
    }
}

/// Saving an edit of a copy in conflict keeps it as keeping mine would (docs/sync-protocol.md).
fn edited_in_conflict<R: SyncedRecord>(copy: &Copy<R>, edited: &R, fields: &[fn(&R) -> &String], ledger: &mut Ledger) {
    if let (SyncState::Conflict { .. }, Some(theirs)) = (&copy.sync, &copy.theirs) {
        set_aside_by_keeping(edited, copy.base.as_ref(), theirs, fields, ledger);
    }
}

/// Keeps mine or takes theirs, noting the edits the volunteer set aside:
/// taking theirs sets aside this phone's edits; keeping mine, the other
/// side's edits of the fields this phone also changed (docs/sync-protocol.md)
/// — every field when the version it edited from is not known.
fn choose<R: SyncedRecord>(copy: &mut Copy<R>, keep_mine: bool, ledger: &mut Ledger, fields: &[fn(&R) -> &String]) {
    let theirs = copy.theirs.clone().expect("a conflict with the server's version beside it");
    if keep_mine {
        set_aside_by_keeping(&copy.record, copy.base.as_ref(), &theirs, fields, ledger);
    } else {
        for field in fields {
            ledger.set_aside.extend(tags(field(&copy.record)).difference(&tags(field(&theirs))).cloned());
        }
    }
    if keep_mine {
        phone::keep_mine(copy);
    } else {
        phone::take_theirs(copy, now());
    }
}

async fn run(ops: Vec<Op>) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    let db = Database::connect(&crate::common::database_url(dir.path())).await.unwrap();
    demo::ensure(&db).await.unwrap();
    // Demo users 3 and 4 are the team's volunteers (user 3 has two phones), 2 its leader, 1 the coordinator.
    let actor = |user_id, role| access::scope(&Actor { user_id, commune_id: 1, team_id: Some(1), role });
    let volunteer = |user_id| actor(user_id, Role::Volunteer);
    let coordinator = access::scope(&Actor { user_id: 1, commune_id: 1, team_id: None, role: Role::Coordinator });
    let leader = actor(2, Role::Leader);
    let mut phones: Vec<Phone> = [3, 3, 4]
        .into_iter()
        .enumerate()
        .map(|(device, user)| Phone {
            actor: volunteer(user),
            device: 1000 + device as i64,
            households: BTreeMap::new(),
            visits: BTreeMap::new(),
            cursor: 0,
        })
        .collect();
    let mut ledger = Ledger::default();

    for op in &ops {
        match op {
            Op::Sync { phone, network, keep_mine } => phones[*phone].sync(&db, *network, *keep_mine, &mut ledger).await,
            Op::DeliverLate => {
                if !ledger.late.is_empty() {
                    let (actor, batch) = ledger.late.remove(0);
                    let answer = db.store_changes(&actor, &batch, now()).await.unwrap();
                    ledger.stored(&batch, &answer);
                }
            }
            Op::Void { pick: at } => {
                let visits: BTreeMap<VisitId, ()> =
                    db.visible_visits(&leader).await.unwrap().into_iter().map(|v| (v.visit.id, ())).collect();
                if let Some(id) = pick(&visits, *at, |_| true) {
                    db.void_visit(&leader, &id.to_string(), now()).await.unwrap();
                    ledger.visits_deleted.insert(id);
                }
            }
            Op::Erase { pick: at } => {
                let households: BTreeMap<HouseholdId, ()> =
                    db.visible_households(&coordinator).await.unwrap().into_iter().map(|h| (h.id, ())).collect();
                if let Some(id) = pick(&households, *at, |_| true) {
                    db.erase_household(&coordinator, &id.to_string(), now()).await.unwrap();
                    ledger.households_erased.insert(id);
                    // Its visits' notes are blanked with it: only edits stored after the erasure must stay.
                    for stored in db.visible_visits(&leader).await.unwrap() {
                        if stored.visit.household_id == id {
                            ledger.stored_visit_tags.remove(&stored.visit.id);
                        }
                    }
                }
            }
            edit => {
                let (Op::AddHousehold { phone }
                | Op::EditHousehold { phone, .. }
                | Op::AddVisit { phone, .. }
                | Op::EditVisit { phone, .. }
                | Op::DeleteVisit { phone, .. }) = edit
                else {
                    unreachable!()
                };
                phones[*phone].edit(edit, &mut ledger)
            }
        }
    }
    // The network comes back for good: late pushes arrive, and every phone syncs until nothing is pending.
    for (actor, batch) in std::mem::take(&mut ledger.late) {
        let answer = db.store_changes(&actor, &batch, now()).await.unwrap();
        ledger.stored(&batch, &answer);
    }
    for round in 0..8 {
        for phone in phones.iter_mut() {
            phone.sync(&db, Network::Fine, Some(round % 2 == 0), &mut ledger).await;
        }
    }
    for phone in &phones {
        prop_assert!(phone.settled(), "a phone still has unsettled records");
    }

    let server_households: BTreeMap<HouseholdId, Household> =
        db.visible_households(&volunteer(3)).await.unwrap().into_iter().map(|h| (h.id, h)).collect();
    for phone in &phones {
        let mine: BTreeMap<HouseholdId, Household> =
            phone.households.iter().map(|(id, h)| (*id, h.record.clone())).collect();
        prop_assert_eq!(&mine, &server_households, "every phone shows the team's households as the server has them");
    }
    for phone in &phones {
        let server_visits: BTreeMap<VisitId, Visit> =
            db.visible_visits(&phone.actor).await.unwrap().into_iter().map(|v| (v.visit.id, v.visit)).collect();
        let mine: BTreeMap<VisitId, Visit> = phone.visits.iter().map(|(id, v)| (*id, v.record.clone())).collect();
        prop_assert_eq!(&mine, &server_visits, "every phone holds its author's visits as the server has them");
    }
    let on_server: BTreeSet<VisitId> =
        db.visible_visits(&leader).await.unwrap().into_iter().map(|v| v.visit.id).collect();
    let expected: BTreeSet<VisitId> = ledger.visits_created.difference(&ledger.visits_deleted).copied().collect();
    prop_assert_eq!(on_server, expected, "no visit lost, none doubled, deletions kept");

    // No lost update: every edit the server stored is still there, or a person chose to set it aside.
    for (id, stored) in &ledger.stored_household_tags {
        let household = &server_households[id];
        if ledger.households_erased.contains(id) {
            prop_assert!(!household.consent && household.address.is_empty(), "an erasure stays: {household:?}");
            continue;
        }
        let lost = ledger.lost(stored, &format!("{};{}", household.address, household.head_name));
        prop_assert!(lost.is_empty(), "household edits {lost:?} were overwritten silently: {household:?}");
    }
    let visits: BTreeMap<VisitId, Visit> =
        db.visible_visits(&leader).await.unwrap().into_iter().map(|v| (v.visit.id, v.visit)).collect();
    for (id, stored) in &ledger.stored_visit_tags {
        let Some(visit) = visits.get(id) else { continue };
        let lost = ledger.lost(stored, &visit.note);
        prop_assert!(lost.is_empty(), "visit edits {lost:?} were overwritten silently: {visit:?}");
    }
    Ok(())
}

/// Cases per run: a CI-sized default, or `GOCUA_SOAK_CASES` for the soak.
fn cases() -> u32 {
    std::env::var("GOCUA_SOAK_CASES").ok().and_then(|cases| cases.parse().ok()).unwrap_or(48)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn phones_and_server_converge_and_no_update_is_lost_silently(ops in prop::collection::vec(op(), 1..60)) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(run(ops))?;
    }
}
