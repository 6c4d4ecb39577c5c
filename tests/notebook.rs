//! The notebook reads the newest visits before home shows and the rest in
//! the background — in a real headless Chromium.
#![cfg(target_arch = "wasm32")]

use chrono::{Duration, Utc};
use gocua_app::notebook::{Notebook, Written, STORE_NAMESPACE};
use gocua_app::store::{LocalStore, LocalVisit};
use gocua_domain::sync::PulledChange;
use gocua_domain::{Catalogue, HouseholdId, Outcome, Visit, VisitId, VisitInput};
use leptos::prelude::GetUntracked;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn clear_app_storage() {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    let keys: Vec<String> = (0..storage.length().unwrap()).filter_map(|i| storage.key(i).unwrap()).collect();
    for key in keys.iter().filter(|key| key.starts_with(&format!("{STORE_NAMESPACE}."))) {
        storage.remove_item(key).unwrap();
    }
}

fn visit(hours_ago: i64) -> LocalVisit {
    let now = Utc::now();
    let input = VisitInput {
        id: VisitId::new().to_string(),
        household_id: HouseholdId::new().to_string(),
        outcome: Some(Outcome::NobodyHome),
        visited_at: Some(now - Duration::hours(hours_ago)),
        ..Default::default()
    };
    LocalVisit::new(Visit::parse(&input, now, &Catalogue::starting()).unwrap(), now)
}

#[wasm_bindgen_test]
async fn older_visits_arrive_in_the_background_without_duplicates() {
    clear_app_storage();
    let store = LocalStore::open(STORE_NAMESPACE).unwrap();
    // Oldest first, as a phone writes them: 1,500 visits, two index chunks.
    let visits: Vec<LocalVisit> = (0..1500).rev().map(visit).collect();
    for local in &visits {
        store.save_logged(local).unwrap();
    }

    let notebook = Notebook::open();
    let at_start = notebook.visits.get_untracked();
    assert!(at_start.len() < visits.len(), "home does not wait for every visit");
    assert_eq!(at_start[0].record.id, visits.last().unwrap().record.id, "the newest visit is there at once");
    assert!(!notebook.fully_loaded.get_untracked());

    // An older visit edited (or pulled) before the background read reaches it.
    let mut edited = visits[0].clone();
    edited.record.note = "Sửa khi đang đọc".into();
    edited.record.revision = 2;
    notebook.keep(edited.clone()).unwrap();

    notebook.finish_loading().await;
    assert!(notebook.fully_loaded.get_untracked());
    let all = notebook.visits.get_untracked();
    assert_eq!(all.len(), visits.len(), "every visit once");
    assert_eq!(all.iter().find(|v| v.record.id == edited.record.id), Some(&edited), "the newer copy wins");
    clear_app_storage();
}

#[wasm_bindgen_test]
async fn a_new_visit_never_replaces_one_kept_under_its_id() {
    clear_app_storage();
    let notebook = Notebook::open();
    // Another tab saved a visit from the draft both tabs' forms began from.
    let theirs = visit(1);
    LocalStore::open(STORE_NAMESPACE).unwrap().save_logged(&theirs).unwrap();

    let mut mine = theirs.record.clone();
    mine.note = "Ghi ở tab thứ hai".into();
    assert_eq!(notebook.keep_written(None, mine, Utc::now()).unwrap(), Written::Kept);

    let kept = LocalStore::open(STORE_NAMESPACE).unwrap().load_visits().records;
    assert_eq!(kept.len(), 2, "both visits are kept");
    assert!(kept.contains(&theirs), "the other tab's visit is untouched");
    let second = kept.iter().find(|local| local.record.note == "Ghi ở tab thứ hai").expect("this tab's visit");
    assert_ne!(second.record.id, theirs.record.id, "under an id of its own");
    assert!(second.is_pending());
}

#[wasm_bindgen_test]
async fn an_edit_of_a_visit_that_left_the_phone_is_kept_only_as_a_new_one() {
    clear_app_storage();
    let held = visit(1);
    LocalStore::open(STORE_NAMESPACE).unwrap().save_logged(&held).unwrap();
    let notebook = Notebook::open();
    // Its edit form is open when a sync brings its deletion (a leader voided it).
    notebook.forget(held.record.id);

    let mut edited = held.record.clone();
    edited.note = "Sửa khi lượt thăm đã bị hủy".into();
    let saved = notebook.keep_from_form(Some(&held.record), edited.clone(), Utc::now(), || false).unwrap();
    assert_eq!(saved, Written::EditedRecordGone);
    let store = LocalStore::open(STORE_NAMESPACE).unwrap();
    assert!(store.load_visits().records.is_empty(), "nothing kept under the deleted visit's id");

    // The volunteer, asked, keeps what she typed: a new visit, which the server takes as one.
    let saved = notebook.keep_from_form(Some(&held.record), edited, Utc::now(), || true).unwrap();
    assert_eq!(saved, Written::Kept);
    let kept = store.load_visits().records;
    assert_eq!(kept.len(), 1);
    assert_ne!(kept[0].record.id, held.record.id, "under an id of its own");
    assert_eq!(kept[0].record.note, "Sửa khi lượt thăm đã bị hủy");
    assert!(kept[0].is_pending());
    assert_eq!(notebook.visits.get_untracked(), kept, "and on screen");
}

#[wasm_bindgen_test]
async fn text_erased_while_its_form_was_open_is_not_saved_back() {
    clear_app_storage();
    let mut synced = visit(1).record;
    synced.note = "Bà Lan nhờ gọi con gái ở Hà Nội.".into();
    let held = LocalVisit::synced(synced.clone(), None, Utc::now());
    LocalStore::open(STORE_NAMESPACE).unwrap().save_logged(&held).unwrap();
    let notebook = Notebook::open();
    // Its edit form opens on it; meanwhile a sync brings the coordinator's erasure.
    let opened = held.record.clone();
    let erasing = Visit { note: String::new(), revision: 2, text_erased_revision: Some(2), ..synced.clone() };
    notebook.apply_pulled(PulledChange::Visit { visit: erasing, author_id: 7 }, Utc::now()).unwrap();

    // She saves what the form still shows, with an outcome she changed.
    let edited = Visit { outcome: Outcome::Declined, ..opened.clone() };
    assert_eq!(notebook.keep_from_form(Some(&opened), edited, Utc::now(), || false).unwrap(), Written::Kept);
    let kept = LocalStore::open(STORE_NAMESPACE).unwrap().load_visits().records;
    assert_eq!(kept.len(), 1);
    assert_eq!(
        (kept[0].record.note.as_str(), kept[0].record.outcome),
        ("", Outcome::Declined),
        "her change, not the text"
    );
    assert_eq!((kept[0].base_revision, kept[0].record.text_erased_revision), (Some(2), Some(2)));
    assert!(kept[0].is_pending());
}
