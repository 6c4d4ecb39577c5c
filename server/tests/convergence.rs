//! A property of the whole sync design: three devices (one volunteer with two
//! phones, and a teammate) make random offline edits in random order, their
//! syncs lose answers or are sent twice at random; after a final full sync
//! every device and the server agree, and no visit is lost or doubled.
//!
//! The devices follow the phone's rules (docs/sync-protocol.md: settle a
//! record only on the server's answer for the version pushed, keep pending
//! edits over pulled ones, keep the server's version beside a pending one,
//! and settle a conflict by taking the server's version) against the real
//! storage layer in a temporary SQLite file.

use chrono::{DateTime, Utc};
use gocua_domain::api::Role;
use gocua_domain::sync::PulledChange;
use gocua_domain::{
    Catalogue, Household, HouseholdId, HouseholdInput, Outcome, PeopleGuided, Visit, VisitId, VisitInput,
};
use gocua_server::db::{Actor, ChangeBatch, Database};
use gocua_server::demo;
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Pending,
    Synced,
    Conflict,
}

#[derive(Debug, Clone)]
struct Local<T> {
    record: T,
    state: State,
    deleted: bool,
    /// The server's version (None inside: deleted there), seen while this one was pending.
    theirs: Option<Option<T>>,
}

struct Device {
    actor: Actor,
    households: BTreeMap<HouseholdId, Local<Household>>,
    visits: BTreeMap<VisitId, Local<Visit>>,
    cursor: i64,
}

#[derive(Debug, Clone)]
enum Op {
    AddHousehold { device: usize },
    EditHousehold { device: usize, pick: usize, address: u8 },
    AddVisit { device: usize, pick: usize },
    EditVisit { device: usize, pick: usize, note: u8 },
    DeleteVisit { device: usize, pick: usize },
    Sync { device: usize, network: Network },
}

#[derive(Debug, Clone, Copy)]
enum Network {
    Fine,
    AnswerLost,
    SentTwice,
}

fn op() -> impl Strategy<Value = Op> {
    let device = 0..3usize;
    let network = prop_oneof![Just(Network::Fine), Just(Network::AnswerLost), Just(Network::SentTwice)];
    prop_oneof![
        device.clone().prop_map(|device| Op::AddHousehold { device }),
        (device.clone(), any::<usize>(), any::<u8>()).prop_map(|(device, pick, address)| Op::EditHousehold {
            device,
            pick,
            address
        }),
        (device.clone(), any::<usize>()).prop_map(|(device, pick)| Op::AddVisit { device, pick }),
        (device.clone(), any::<usize>(), any::<u8>()).prop_map(|(device, pick, note)| Op::EditVisit {
            device,
            pick,
            note
        }),
        (device.clone(), any::<usize>()).prop_map(|(device, pick)| Op::DeleteVisit { device, pick }),
        (device, network).prop_map(|(device, network)| Op::Sync { device, network }),
    ]
}

fn now() -> DateTime<Utc> {
    Utc::now()
}

fn pick<K: Clone + Ord, V>(map: &BTreeMap<K, V>, pick: usize, usable: impl Fn(&V) -> bool) -> Option<K> {
    let keys: Vec<&K> = map.iter().filter(|(_, v)| usable(v)).map(|(k, _)| k).collect();
    (!keys.is_empty()).then(|| keys[pick % keys.len()].clone())
}

impl Device {
    fn apply(&mut self, op: &Op, created: &mut BTreeSet<VisitId>, deleted: &mut BTreeSet<VisitId>) {
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
                self.households.insert(
                    household.id,
                    Local { record: household, state: State::Pending, deleted: false, theirs: None },
                );
            }
            Op::EditHousehold { pick: at, address, .. } => {
                if let Some(id) = pick(&self.households, at, |h| h.state != State::Conflict) {
                    let local = self.households.get_mut(&id).unwrap();
                    local.record.address = format!("Số {address}");
                    if local.state != State::Pending {
                        local.record.revision += 1;
                    }
                    local.state = State::Pending;
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
                    created.insert(visit.id);
                    self.visits
                        .insert(visit.id, Local { record: visit, state: State::Pending, deleted: false, theirs: None });
                }
            }
            Op::EditVisit { pick: at, note, .. } => {
                if let Some(id) = pick(&self.visits, at, |v| !v.deleted && v.state != State::Conflict) {
                    let local = self.visits.get_mut(&id).unwrap();
                    local.record.note = format!("ghi chú {note}");
                    if local.state != State::Pending {
                        local.record.revision += 1;
                    }
                    local.state = State::Pending;
                }
            }
            Op::DeleteVisit { pick: at, .. } => {
                if let Some(id) = pick(&self.visits, at, |v| !v.deleted && v.state != State::Conflict) {
                    let local = self.visits.get_mut(&id).unwrap();
                    local.deleted = true;
                    local.state = State::Pending;
                    deleted.insert(id);
                }
            }
            Op::Sync { .. } => unreachable!("syncs run against the server"),
        }
    }

    async fn sync(&mut self, db: &Database, network: Network) {
        let households: Vec<Household> =
            self.households.values().filter(|h| h.state == State::Pending).map(|h| h.record.clone()).collect();
        let visits: Vec<Visit> = self
            .visits
            .values()
            .filter(|v| v.state == State::Pending && !v.deleted)
            .map(|v| v.record.clone())
            .collect();
        let deletions: Vec<Visit> =
            self.visits.values().filter(|v| v.state == State::Pending && v.deleted).map(|v| v.record.clone()).collect();
        let batch = ChangeBatch {
            households: households.clone(),
            visits: visits.clone(),
            deleted_visits: deletions.iter().map(|v| v.id).collect(),
            ..ChangeBatch::default()
        };
        let mut answer = db.store_changes(&self.actor, &batch, now()).await.unwrap();
        match network {
            Network::AnswerLost => return,
            Network::SentTwice => answer = db.store_changes(&self.actor, &batch, now()).await.unwrap(),
            Network::Fine => {}
        }
        let (for_households, for_visits, for_deletions) = (answer.households, answer.visits, answer.deleted_visits);
        for (pushed, result) in households.iter().zip(for_households) {
            let status = result.expect("households of the team are never rejected here");
            let local = self.households.get_mut(&pushed.id).unwrap();
            if local.record == *pushed {
                local.state = if status.is_stored() { State::Synced } else { State::Conflict };
            }
        }
        for (pushed, result) in visits.iter().chain(deletions.iter()).zip(for_visits.into_iter().chain(for_deletions)) {
            let status = result.expect("visits of known households are never rejected here");
            let local = self.visits.get_mut(&pushed.id).unwrap();
            if local.record != *pushed || local.state != State::Pending {
                continue;
            }
            if local.deleted && status.is_stored() {
                self.visits.remove(&pushed.id);
            } else {
                local.state = if status.is_stored() { State::Synced } else { State::Conflict };
            }
        }
        self.pull(db).await;
        self.settle_conflicts();
    }

    async fn pull(&mut self, db: &Database) {
        loop {
            let page = db.pull(&self.actor, self.cursor, 7).await.unwrap();
            for change in page.changes {
                match change {
                    PulledChange::Household { household, .. } => match self.households.get_mut(&household.id) {
                        Some(local) if local.state != State::Synced => local.theirs = Some(Some(household)),
                        _ => {
                            self.households.insert(
                                household.id,
                                Local { record: household, state: State::Synced, deleted: false, theirs: None },
                            );
                        }
                    },
                    PulledChange::Visit { visit, .. } => match self.visits.get_mut(&visit.id) {
                        Some(local) if local.state != State::Synced => local.theirs = Some(Some(visit)),
                        _ => {
                            self.visits.insert(
                                visit.id,
                                Local { record: visit, state: State::Synced, deleted: false, theirs: None },
                            );
                        }
                    },
                    PulledChange::VisitDeleted { id } => match self.visits.get_mut(&id) {
                        Some(local) if local.state != State::Synced => local.theirs = Some(None),
                        _ => {
                            self.visits.remove(&id);
                        }
                    },
                    // These simulated phones log households and visits only
                    // (community sessions: tests/community_sessions.rs).
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

    /// The volunteer settles each conflict by taking the server's version.
    fn settle_conflicts(&mut self) {
        for local in self.households.values_mut().filter(|h| h.state == State::Conflict) {
            if let Some(Some(theirs)) = local.theirs.take() {
                local.record = theirs;
                local.state = State::Synced;
            }
        }
        let conflicted: Vec<VisitId> = self
            .visits
            .iter()
            .filter(|(_, v)| v.state == State::Conflict && v.theirs.is_some())
            .map(|(id, _)| *id)
            .collect();
        for id in conflicted {
            let local = self.visits.get_mut(&id).unwrap();
            match local.theirs.take().unwrap() {
                Some(theirs) => {
                    local.record = theirs;
                    local.state = State::Synced;
                    local.deleted = false;
                }
                None => {
                    self.visits.remove(&id);
                }
            }
        }
    }

    fn settled(&self) -> bool {
        self.households.values().all(|h| h.state == State::Synced)
            && self.visits.values().all(|v| v.state == State::Synced)
    }
}

async fn run(ops: Vec<Op>) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().unwrap();
    let db = Database::connect(&format!("sqlite://{}", dir.path().join("gocua.db").display())).await.unwrap();
    demo::ensure(&db).await.unwrap();
    // Demo users 3 and 4 are the team's volunteers; user 3 has two phones.
    let volunteer = |user_id| Actor { user_id, commune_id: 1, team_id: Some(1), role: Role::Volunteer };
    let mut devices: Vec<Device> = [3, 3, 4]
        .into_iter()
        .map(|user| Device { actor: volunteer(user), households: BTreeMap::new(), visits: BTreeMap::new(), cursor: 0 })
        .collect();
    let (mut created, mut deleted) = (BTreeSet::new(), BTreeSet::new());

    for op in &ops {
        match op {
            Op::Sync { device, network } => devices[*device].sync(&db, *network).await,
            Op::AddHousehold { device }
            | Op::EditHousehold { device, .. }
            | Op::AddVisit { device, .. }
            | Op::EditVisit { device, .. }
            | Op::DeleteVisit { device, .. } => devices[*device].apply(op, &mut created, &mut deleted),
        }
    }
    // The network comes back for good: every device syncs until nothing is pending.
    for _ in 0..6 {
        for device in devices.iter_mut() {
            device.sync(&db, Network::Fine).await;
        }
    }
    for device in &devices {
        prop_assert!(device.settled(), "a device still has unsettled records");
    }

    let server_households: BTreeMap<HouseholdId, Household> =
        db.visible_households(&volunteer(3)).await.unwrap().into_iter().map(|h| (h.id, h)).collect();
    for device in &devices {
        let mine: BTreeMap<HouseholdId, Household> =
            device.households.iter().map(|(id, h)| (*id, h.record.clone())).collect();
        prop_assert_eq!(&mine, &server_households, "every phone shows the team's households as the server has them");
    }
    for device in &devices {
        let server_visits: BTreeMap<VisitId, Visit> =
            db.visible_visits(&device.actor).await.unwrap().into_iter().map(|v| (v.visit.id, v.visit)).collect();
        let mine: BTreeMap<VisitId, Visit> = device.visits.iter().map(|(id, v)| (*id, v.record.clone())).collect();
        prop_assert_eq!(&mine, &server_visits, "every phone holds its author's visits as the server has them");
    }
    let on_server: BTreeSet<VisitId> = db
        .visible_visits(&Actor { role: Role::Leader, ..volunteer(3) })
        .await
        .unwrap()
        .into_iter()
        .map(|v| v.visit.id)
        .collect();
    let expected: BTreeSet<VisitId> = created.difference(&deleted).copied().collect();
    prop_assert_eq!(on_server, expected, "no visit lost, none doubled, deletions kept");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn devices_and_server_converge_whatever_the_interleaving_and_the_network(ops in prop::collection::vec(op(), 1..40)) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(run(ops))?;
    }
}
