//! The phone's store, in a real headless Chromium (wasm-bindgen-test).
//! Run with `cargo test --target wasm32-unknown-unknown -p gocua-app`.
#![cfg(target_arch = "wasm32")]

use chrono::Utc;
use gocua_app::store::{schema, LocalCommunitySession, LocalStore, LocalVisit, StoreError, SyncState};
use gocua_domain::sync::phone;
use gocua_domain::visit::SkillTaughtInput;
use gocua_domain::{
    Catalogue, CommunitySession, CommunitySessionId, CommunitySessionInput, HouseholdId, Outcome, PeopleGuided, Visit,
    VisitId, VisitInput,
};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

/// A store under its own namespace, emptied first, so tests never see each other's data.
fn fresh_store(namespace: &str) -> LocalStore {
    let storage = storage();
    let keys: Vec<String> = (0..storage.length().unwrap()).filter_map(|i| storage.key(i).unwrap()).collect();
    for key in keys.iter().filter(|key| key.starts_with(&format!("{namespace}."))) {
        storage.remove_item(key).unwrap();
    }
    LocalStore::open(namespace).expect("the store opens")
}

fn a_visit(note: &str) -> LocalVisit {
    let now = Utc::now();
    let input = VisitInput {
        id: VisitId::new().to_string(),
        household_id: HouseholdId::new().to_string(),
        outcome: Some(Outcome::Guided),
        people: PeopleGuided { adults: 1, ..Default::default() },
        skills: vec![SkillTaughtInput { code: "payment.qr".into(), completed: true }],
        note: note.into(),
        visited_at: Some(now),
        ..Default::default()
    };
    LocalVisit::new(Visit::parse(&input, now, &Catalogue::starting()).expect("a valid visit"), now)
}

#[wasm_bindgen_test]
fn a_new_store_is_at_the_current_schema() {
    let store = fresh_store("test-schema");
    assert_eq!(store.schema_version(), schema::CURRENT);
}

#[wasm_bindgen_test]
fn saved_visits_are_there_after_reopening() {
    let store = fresh_store("test-reopen");
    let first = a_visit("Nguyễn Văn An");
    let second = a_visit("Trần Thị Bình");
    store.save_logged(&first).unwrap();
    store.save_logged(&second).unwrap();

    let reopened = LocalStore::open("test-reopen").unwrap();
    let loaded = reopened.load_visits();
    assert!(loaded.corrupt.is_empty());
    assert_eq!(loaded.records, vec![first, second], "in the order saved");
}

#[wasm_bindgen_test]
fn saving_a_visit_again_updates_it_in_place() {
    let store = fresh_store("test-update");
    let mut visit = a_visit("Lê Văn Cường");
    store.save_logged(&visit).unwrap();
    visit.sync = SyncState::Synced { at: Utc::now() };
    store.save_logged(&visit).unwrap();
    let loaded = store.load_visits();
    assert_eq!(loaded.records, vec![visit]);
}

#[wasm_bindgen_test]
fn a_corrupt_entry_is_set_aside_and_the_rest_still_loads() {
    let store = fresh_store("test-corrupt");
    let good = a_visit("Phạm Thị Dung");
    let broken = a_visit("Hoàng Văn Em");
    store.save_logged(&good).unwrap();
    store.save_logged(&broken).unwrap();
    let broken_key = format!("test-corrupt.visit.{}", broken.record.id);
    storage().set_item(&broken_key, "{ not json").unwrap();

    let loaded = store.load_visits();
    assert_eq!(loaded.records, vec![good]);
    assert_eq!(loaded.corrupt, vec![broken_key.clone()]);
    assert_eq!(storage().get_item(&broken_key).unwrap(), None, "moved out of the way");
    assert_eq!(
        storage().get_item(&format!("test-corrupt.corrupt.visit.{}", broken.record.id)).unwrap().as_deref(),
        Some("{ not json"),
        "kept aside, not thrown away"
    );
}

#[wasm_bindgen_test]
fn a_full_storage_refuses_the_save_and_keeps_what_was_saved() {
    let store = fresh_store("test-quota");
    let kept = a_visit("Vũ Thị Giang");
    store.save_logged(&kept).unwrap();

    // Fill local storage until the browser refuses.
    let storage = storage();
    let chunk = "x".repeat(256 * 1024);
    let mut fillers = Vec::new();
    for i in 0..1000 {
        let key = format!("test-quota-filler.{i}");
        if storage.set_item(&key, &chunk).is_err() {
            break;
        }
        fillers.push(key);
    }
    // Top up with small pieces so not even a small visit fits.
    let small = "y".repeat(256);
    for i in 0..100_000 {
        let key = format!("test-quota-small.{i}");
        if storage.set_item(&key, &small).is_err() {
            break;
        }
        fillers.push(key);
    }

    let refused = a_visit("Đặng Văn Hải");
    let outcome = store.save_logged(&refused);
    for key in &fillers {
        storage.remove_item(key).unwrap();
    }

    assert_eq!(outcome, Err(StoreError::QuotaExceeded));
    let loaded = store.load_visits();
    assert_eq!(loaded.records, vec![kept], "the earlier visit is intact and no half-saved one appears");
    assert!(loaded.corrupt.is_empty());
}

/// A store under `namespace` as version 1 of the app left it, holding one visit.
fn store_as_version_one(namespace: &str, id: &str, entry: &str) {
    drop(fresh_store(namespace));
    let storage = storage();
    storage.set_item(&format!("{namespace}.schema"), "1").unwrap();
    storage.set_item(&format!("{namespace}.visits"), &format!("[\"{id}\"]")).unwrap();
    storage.set_item(&format!("{namespace}.visit.{id}"), entry).unwrap();
}

#[wasm_bindgen_test]
fn a_version_one_store_is_upgraded_with_households_of_their_own() {
    // What version 1 of the app wrote: a visit carrying its household, synced.
    let id = "0193a3c4-5d6e-7f80-9a1b-2c3d4e5f6a7b";
    store_as_version_one(
        "test-v1",
        id,
        &format!(
            r#"{{"visit":{{"id":"{id}","village_id":3,"household":{{"head_name":"Nguyễn Văn An","address":"Số 12"}},
               "people":{{"officials":0,"pupils":0,"adults":2,"elderly":1,"workers":0}},"skills":["payment.qr"],
               "note":"Ghi chú","visited_at":"2026-03-02T03:00:00Z"}},
               "sync":{{"state":"synced","at":"2026-03-02T03:05:00Z"}},"saved_at":"2026-03-02T03:00:00Z"}}"#
        ),
    );

    let store = LocalStore::open("test-v1").unwrap();
    assert_eq!(store.schema_version(), schema::CURRENT);
    let households = store.load_households();
    assert!(households.corrupt.is_empty());
    assert_eq!(households.records.len(), 1);
    let household = &households.records[0];
    assert_eq!(household.household.id.to_string(), id, "the same id the server's migration gives it");
    assert_eq!(household.household.head_name, "Nguyễn Văn An");
    assert_eq!(household.household.village_id, 3);

    let visits = store.load_visits();
    assert!(visits.corrupt.is_empty());
    let visit = &visits.records[0];
    assert_eq!(visit.record.outcome, Outcome::Guided);
    assert_eq!(visit.record.household_id, household.household.id);
    assert_eq!(visit.record.people.adults, 2);
    assert!(matches!(visit.sync, SyncState::Synced { .. }), "its sync state is kept");
    assert_eq!(visit.record.skills[0].code.as_str(), "payment.qr");

    // Opening again changes nothing.
    let again = LocalStore::open("test-v1").unwrap();
    assert_eq!(again.load_visits().records, visits.records);
}

#[wasm_bindgen_test]
fn a_version_one_visit_not_yet_synced_brings_its_household_to_push() {
    let id = "0193a3c4-5d6e-7f80-9a1b-2c3d4e5f6a7c";
    store_as_version_one(
        "test-v1-pending",
        id,
        &format!(
            r#"{{"visit":{{"id":"{id}","village_id":4,"household":{{"head_name":"Bà \"Tư\" Lê","address":"Ngõ 3\nThôn Đông"}},
               "people":{{"officials":0,"pupils":1,"adults":1,"elderly":0,"workers":0}},"skills":["vneid.level2","payment.qr"],
               "note":"Hẹn \"tuần sau\"","visited_at":"2026-03-02T03:00:00Z"}},
               "sync":{{"state":"pending"}},"saved_at":"2026-03-02T03:00:00Z"}}"#
        ),
    );

    let store = LocalStore::open("test-v1-pending").unwrap();
    let households = store.load_households();
    assert!(households.corrupt.is_empty());
    let household = &households.records[0];
    assert_eq!(household.household.head_name, "Bà \"Tư\" Lê", "written back exactly, escapes and all");
    assert_eq!(household.household.address, "Ngõ 3\nThôn Đông");
    assert_eq!(household.sync, SyncState::Pending, "a household the server has not seen goes with its visit");
    let visits = store.load_visits();
    assert!(visits.corrupt.is_empty());
    let visit = &visits.records[0];
    assert_eq!(visit.record.note, "Hẹn \"tuần sau\"");
    assert_eq!(visit.sync, SyncState::Pending);
    let skills: Vec<&str> = visit.record.skills.iter().map(|skill| skill.code.as_str()).collect();
    assert_eq!(skills, ["vneid.level2", "payment.qr"]);
    assert!(visit.record.skills.iter().all(|skill| !skill.completed));
}

#[wasm_bindgen_test]
fn a_new_store_upgrades_from_nothing() {
    let store = fresh_store("test-v0");
    assert_eq!(store.schema_version(), schema::CURRENT);
    assert!(store.load_visits().records.is_empty());
    assert!(store.load_households().records.is_empty());
}

#[wasm_bindgen_test]
fn pruning_forgets_only_old_synced_visits() {
    let store = fresh_store("test-prune");
    let now = Utc::now();
    let old = |sync: SyncState| {
        let mut local = a_visit("cũ");
        local.record.visited_at = now - chrono::Duration::days(200);
        local.sync = sync;
        local
    };
    let old_synced = old(SyncState::Synced { at: now });
    let old_pending = old(SyncState::Pending);
    let old_rejected = old(SyncState::Rejected { message: "x".into(), errors: vec![] });
    let mut recent_synced = a_visit("mới");
    recent_synced.sync = SyncState::Synced { at: now };
    for visit in [&old_synced, &old_pending, &old_rejected, &recent_synced] {
        store.save_logged(visit).unwrap();
    }

    assert_eq!(store.prune_synced_visits(now - chrono::Duration::days(90)), 1);
    let kept = store.load_visits().records;
    assert_eq!(kept, vec![old_pending, old_rejected, recent_synced]);
}

#[wasm_bindgen_test]
fn a_large_store_seals_index_chunks_and_still_finds_every_visit() {
    let store = fresh_store("test-chunks");
    let chunk = gocua_app::store::INDEX_CHUNK;
    let visits: Vec<LocalVisit> = (0..chunk + 3).map(|i| a_visit(&format!("lượt {i}"))).collect();
    for visit in &visits {
        store.save_logged(visit).unwrap();
    }
    let raw_open = storage().get_item("test-chunks.visits").unwrap().unwrap();
    assert!(raw_open.len() < 200, "a save rewrites only the small open chunk, not {} bytes", raw_open.len());
    assert_eq!(store.load_visits().records, visits);

    // Deleting a visit from a sealed chunk.
    store.remove_logged(visits[1].record.id);
    let reopened = LocalStore::open("test-chunks").unwrap();
    let loaded = reopened.load_visits().records;
    assert_eq!(loaded.len(), chunk + 2);
    assert!(!loaded.contains(&visits[1]));
}

#[wasm_bindgen_test]
fn a_damaged_count_of_sealed_chunks_does_not_stall_the_start() {
    let store = fresh_store("test-sealed-count");
    let visit = a_visit("vẫn còn");
    store.save_logged(&visit).unwrap();
    // Edited by hand, or a broken write: trusted, every start would walk four billion chunks.
    storage().set_item("test-sealed-count.visits.sealed", "4000000000").unwrap();
    let reopened = LocalStore::open("test-sealed-count").unwrap();
    assert_eq!(reopened.load_visits().records, vec![visit]);
}

fn a_community_session(place: &str) -> LocalCommunitySession {
    let now = Utc::now();
    let input = CommunitySessionInput {
        id: CommunitySessionId::new().to_string(),
        village_id: 1,
        place: place.into(),
        held_on: Some(gocua_domain::time::today(now)),
        skills: vec!["vneid.level2".into()],
        attendees: PeopleGuided { adults: 30, elderly: 10, ..Default::default() },
        ..Default::default()
    };
    let session = CommunitySession::parse(&input, now, &Catalogue::starting()).expect("a valid session");
    LocalCommunitySession::new(session, now)
}

#[wasm_bindgen_test]
fn community_sessions_are_kept_until_synced_and_forgotten_with_the_rest_at_sign_out() {
    let store = fresh_store("test-community-sessions");
    let pending = a_community_session("Nhà văn hóa thôn Đông");
    let mut synced = a_community_session("Trường tiểu học");
    synced.sync = SyncState::Synced { at: Utc::now() };
    store.save_logged(&pending).unwrap();
    store.save_logged(&synced).unwrap();

    let reopened = LocalStore::open("test-community-sessions").unwrap();
    assert_eq!(reopened.load_community_sessions().records, vec![pending.clone(), synced]);
    assert_eq!(reopened.unsynced_count(), 1);

    assert_eq!(reopened.forget_synced(), 1, "the pending session stays for the next sign-in");
    assert_eq!(reopened.load_community_sessions().records, vec![pending]);
}

/// A phone updated to this build keeps every record the previous build kept,
/// pending and in conflict ones included: they load as they were, and with
/// no base revision recorded they are pushed under the earlier rule.
#[wasm_bindgen_test]
fn records_kept_by_the_previous_build_load_with_their_sync_state() {
    let store = fresh_store("test-v2-kept");
    let storage = storage();
    let (household, visit) = ("0193a3c4-5d6e-7f80-9a1b-2c3d4e5f6a70", "0193a3c4-5d6e-7f80-9a1b-2c3d4e5f6a71");
    let household_json = |address: &str, revision: u32| {
        format!(
            r#"{{"id":"{household}","village_id":3,"head_name":"Nguyễn Văn An","address":"{address}","phone":null,
               "members":4,"consent":true,"revision":{revision}}}"#
        )
    };
    storage.set_item("test-v2-kept.schema", "2").unwrap();
    storage.set_item("test-v2-kept.households", &format!("[\"{household}\"]")).unwrap();
    storage
        .set_item(
            &format!("test-v2-kept.household.{household}"),
            &format!(
                r#"{{"household":{},"sync":{{"state":"conflict","message":"Hộ này đã được sửa ở máy khác"}},
                   "visits":{{"count":0,"last":null}},"theirs":{}}}"#,
                household_json("Số 14", 3),
                household_json("Số 12, ngõ 5", 2)
            ),
        )
        .unwrap();
    storage.set_item("test-v2-kept.visits", &format!("[\"{visit}\"]")).unwrap();
    storage
        .set_item(
            &format!("test-v2-kept.visit.{visit}"),
            &format!(
                r#"{{"visit":{{"id":"{visit}","household_id":"{household}","outcome":"guided",
                   "people":{{"officials":0,"pupils":0,"adults":2,"elderly":1,"workers":0}},
                   "skills":[{{"code":"payment.qr","completed":false}}],"note":"Sửa lần hai","come_back_on":null,
                   "visited_at":"2026-03-02T03:00:00Z","follow_up":null,"revision":3}},
                   "sync":{{"state":"pending"}},"saved_at":"2026-03-02T03:00:00Z"}}"#
            ),
        )
        .unwrap();
    drop(store);

    let store = LocalStore::open("test-v2-kept").unwrap();
    let households = store.load_households();
    assert!(households.corrupt.is_empty(), "{:?}", households.corrupt);
    let kept = &households.records[0];
    assert!(matches!(kept.sync, SyncState::Conflict { .. }), "still in conflict");
    assert_eq!(kept.household.address, "Số 14");
    assert_eq!(kept.theirs.as_ref().map(|theirs| theirs.address.as_str()), Some("Số 12, ngõ 5"));
    assert_eq!(kept.base_revision, None, "no base recorded: the earlier rule judges its push");

    let visits = store.load_visits();
    assert!(visits.corrupt.is_empty(), "{:?}", visits.corrupt);
    let pending = &visits.records[0];
    assert!(pending.is_pending());
    assert_eq!((pending.record.note.as_str(), pending.record.revision), ("Sửa lần hai", 3));
    assert_eq!(pending.base_revision, None);
    let pushed = phone::to_push(pending, pending.record.to_input());
    let wire = serde_json::to_value(&pushed).unwrap();
    assert!(wire.get("base_revision").is_none(), "pushed as the previous build pushed it: {wire}");

    // Settled in the conflict by keeping its own version, it becomes an edit of the server's.
    let mut resolved = kept.clone();
    phone::keep_mine(&mut resolved);
    assert_eq!((resolved.household.revision, resolved.base_revision), (4, Some(2)));
}
