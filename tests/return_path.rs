//! The page asked for before sign-in, in a real headless Chromium.
#![cfg(target_arch = "wasm32")]

use gocua_app::return_path::{after_sign_in, sign_in_path};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn an_asked_page_survives_the_round_trip_through_sign_in() {
    let asked = "/households/0193a1c2-7f00-7000-8000-000000000001?tab=visits&x=ấp 3";
    let login = sign_in_path(asked);
    let next = login.strip_prefix("/login?next=").expect("the asked page rides along");
    assert!(!next.contains(['&', '?', ' ']), "encoded as one query value: {next}");
    let decoded = String::from(js_sys::decode_uri_component(next).unwrap());
    assert_eq!(after_sign_in(Some(&decoded)), asked);
}

#[wasm_bindgen_test]
fn home_and_sign_in_pages_need_no_return() {
    assert_eq!(sign_in_path("/"), "/login");
    assert_eq!(sign_in_path("/login?next=/data"), "/login");
    assert_eq!(after_sign_in(None), "/");
    assert_eq!(after_sign_in(Some("/login")), "/");
    assert_eq!(after_sign_in(Some("/join?code=1")), "/");
    // A page merely starting with those letters is still a page.
    assert_eq!(after_sign_in(Some("/loginless")), "/loginless");
}

#[wasm_bindgen_test]
fn a_link_cannot_send_a_volunteer_off_the_app() {
    for elsewhere in ["//evil.example/x", "/\\evil.example", "https://evil.example", "javascript:alert(1)", "", "data"]
    {
        assert_eq!(after_sign_in(Some(elsewhere)), "/", "{elsewhere:?} is not a page of the app");
    }
    assert_eq!(after_sign_in(Some("/a\nb")), "/");
    assert_eq!(after_sign_in(Some(&format!("/{}", "x".repeat(600)))), "/");
}
