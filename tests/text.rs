//! Text at the app's edge, in a real headless Chromium.
#![cfg(target_arch = "wasm32")]

use gocua_app::text::nfc;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn decomposed_vietnamese_is_composed_by_the_browser() {
    let decomposed = "Nguye\u{0302}\u{0303}n Va\u{0306}n An";
    assert_eq!(nfc(decomposed), "Nguyễn Văn An");
    assert_eq!(nfc("Nguyễn Văn An"), "Nguyễn Văn An");
}

#[wasm_bindgen_test]
fn composed_text_then_parses_like_the_server_parses_it() {
    let typed = format!("  {}  ", nfc("Tra\u{0302}\u{0300}n Thi\u{0323} Bi\u{0300}nh"));
    assert_eq!(gocua_domain::text::normalize(&typed), "Trần Thị Bình");
}
