//! One sync at a time across the app's tabs: while one holder runs, another
//! is turned away — in a real headless Chromium with its Web Locks API.
#![cfg(target_arch = "wasm32")]

use gloo_timers::future::TimeoutFuture;
use gocua_app::sync::lock::exclusively;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn a_second_sync_is_turned_away_while_the_first_holds_the_lock() {
    let first_ran = Rc::new(Cell::new(None));
    let first_result = first_ran.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let ran = exclusively(async { TimeoutFuture::new(300).await }).await;
        first_result.set(Some(ran));
    });
    TimeoutFuture::new(50).await;
    let second_ran = exclusively(async {}).await;
    assert!(!second_ran, "the lock is held by the first sync");

    TimeoutFuture::new(400).await;
    assert_eq!(first_ran.get(), Some(true));
    assert!(exclusively(async {}).await, "free again once the first is done");
}
