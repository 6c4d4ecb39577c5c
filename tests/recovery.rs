//! The screen a panic leaves, in a real headless Chromium.
#![cfg(target_arch = "wasm32")]

use gocua_app::recovery;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn the_recovery_screen_says_what_happened_and_starts_the_app_again() {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    root.set_inner_html("<p>trang đang mở</p>");
    recovery::show(&root);

    let heading = root.query_selector("h1").unwrap().expect("a heading");
    assert_eq!(heading.text_content().as_deref(), Some("Gõ Cửa vừa gặp lỗi"));
    assert!(root.text_content().unwrap().contains("vẫn còn nguyên trên điện thoại"));
    let restart: web_sys::HtmlAnchorElement = root.query_selector("a").unwrap().expect("a link").unchecked_into();
    assert_eq!(restart.get_attribute("href").as_deref(), Some("/"), "a plain link: no WASM runs after a panic");
    assert_eq!(restart.text_content().as_deref(), Some("Mở lại ứng dụng"));
    assert!(!root.inner_html().contains("trang đang mở"), "what was shown is replaced");
}
