//! A backup of what is not yet synced, exported on one phone and imported
//! on another without duplicates — in a real headless Chromium.
#![cfg(target_arch = "wasm32")]

use chrono::Utc;
use gocua_app::backup;
use gocua_app::notebook::{Notebook, STORE_NAMESPACE};
use gocua_app::store::{LocalHousehold, LocalVisit, SyncState};
use gocua_domain::{Catalogue, Household, HouseholdId, HouseholdInput, Outcome, Visit, VisitId, VisitInput};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn clear_app_storage() {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    let keys: Vec<String> = (0..storage.length().unwrap()).filter_map(|i| storage.key(i).unwrap()).collect();
    for key in keys.iter().filter(|key| key.starts_with(&format!("{STORE_NAMESPACE}."))) {
        storage.remove_item(key).unwrap();
    }
}

#[wasm_bindgen_test]
fn a_backup_moves_unsynced_records_to_another_phone_once() {
    clear_app_storage();
    let now = Utc::now();
    let notebook = Notebook::open();
    let household = Household::parse(&HouseholdInput {
        id: HouseholdId::new().to_string(),
        village_id: 1,
        head_name: "Lê Thị Cúc".into(),
        address: "Số 7".into(),
        ..Default::default()
    })
    .unwrap();
    let visit = Visit::parse(
        &VisitInput {
            id: VisitId::new().to_string(),
            household_id: household.id.to_string(),
            outcome: Some(Outcome::NobodyHome),
            visited_at: Some(now),
            ..Default::default()
        },
        now,
        &Catalogue::starting(),
    )
    .unwrap();
    notebook.keep_household(LocalHousehold::new(household.clone())).unwrap();
    notebook.keep(LocalVisit::new(visit.clone(), now)).unwrap();
    let mut synced = LocalVisit::new(Visit { id: VisitId::new(), ..visit.clone() }, now);
    synced.sync = SyncState::Synced { at: now };
    notebook.keep(synced).unwrap();

    let file = serde_json::to_string(&backup::export(&notebook, now)).unwrap();
    let exported = backup::parse(&file).unwrap();
    assert_eq!(exported.households.len(), 1);
    assert_eq!(exported.visits.len(), 1, "only what the server does not have");

    // "Another phone": an empty store.
    clear_app_storage();
    let other = Notebook::open();
    let report = backup::import(&other, backup::parse(&file).unwrap()).unwrap();
    assert_eq!((report.added, report.already_here), (2, 0));
    let again = backup::import(&other, backup::parse(&file).unwrap()).unwrap();
    assert_eq!((again.added, again.already_here), (0, 2), "importing twice adds nothing");
    assert!(other.logged(visit.id).is_some_and(|v| v.is_pending()));
    assert!(other.household(household.id).is_some());

    // What was imported is really stored, not only on screen.
    let reopened = Notebook::open();
    assert_eq!(reopened.pending::<Visit>().len(), 1);
    assert_eq!(reopened.pending_households().len(), 1);

    assert!(backup::parse("{\"hello\": 1}").is_err());
    clear_app_storage();
}
