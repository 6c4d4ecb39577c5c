//! Where the app runs, read from real phones' user agents, in a real headless Chromium.
#![cfg(target_arch = "wasm32")]

use gocua_app::install::{chrome_intent, surroundings, surroundings_of, Place, System, IN_APP_BROWSERS};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const ZALO_ANDROID: &str = "Mozilla/5.0 (Linux; Android 13; SM-A145F Build/TP1A.220624.014; wv) AppleWebKit/537.36 \
    (KHTML, like Gecko) Version/4.0 Chrome/120.0.6099.230 Mobile Safari/537.36 Zalo android/12100664 ZaloTheme/light ZaloLanguage/vi";
const ZALO_IPHONE: &str =
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) \
    Mobile/15E148 Zalo iOS/566 ZaloTheme/light ZaloLanguage/vi";
const FACEBOOK_ANDROID: &str =
    "Mozilla/5.0 (Linux; Android 12; Redmi Note 11; wv) AppleWebKit/537.36 (KHTML, like Gecko) \
    Version/4.0 Chrome/119.0.0.0 Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/440.0.0.33.116;]";
const SAFARI_IPHONE: &str =
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) \
    Version/17.5 Mobile/15E148 Safari/604.1";
const CHROME_ANDROID: &str = "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) \
    Chrome/131.0.0.0 Mobile Safari/537.36";

/// index.html starts the app at once inside a chat app's browser, so that the
/// in-app notice shows before anything is typed: it must know every one.
#[wasm_bindgen_test]
fn the_first_screen_knows_every_chat_apps_browser() {
    let marks: Vec<String> = IN_APP_BROWSERS.iter().map(|(mark, _)| mark.replace('/', "\\/")).collect();
    let pattern = format!("/{}/i.test(navigator.userAgent)", marks.join("|"));
    assert!(include_str!("../index.html").contains(&pattern), "index.html lacks {pattern}");
}

#[wasm_bindgen_test]
fn chat_apps_browsers_are_told_apart_from_the_phones_own() {
    assert_eq!(surroundings_of(ZALO_ANDROID, false).place, Place::InApp("Zalo"));
    assert_eq!(surroundings_of(ZALO_ANDROID, false).system, System::Android);
    assert_eq!(surroundings_of(ZALO_IPHONE, false).place, Place::InApp("Zalo"));
    assert_eq!(surroundings_of(ZALO_IPHONE, false).system, System::Ios);
    assert_eq!(surroundings_of(FACEBOOK_ANDROID, false).place, Place::InApp("Facebook"));
    assert_eq!(surroundings_of(SAFARI_IPHONE, false).place, Place::Browser);
    assert_eq!(surroundings_of(SAFARI_IPHONE, false).system, System::Ios);
    assert_eq!(surroundings_of(CHROME_ANDROID, false).place, Place::Browser);
    assert_eq!(surroundings_of(CHROME_ANDROID, false).system, System::Android);
}

#[wasm_bindgen_test]
fn an_app_started_from_the_home_screen_is_installed_but_a_chat_app_never_is() {
    assert_eq!(surroundings_of(CHROME_ANDROID, true).place, Place::HomeScreen);
    assert_eq!(surroundings_of(SAFARI_IPHONE, true).place, Place::HomeScreen);
    assert_eq!(surroundings_of(ZALO_ANDROID, true).place, Place::InApp("Zalo"));
}

#[wasm_bindgen_test]
fn chrome_is_opened_at_the_same_address() {
    assert_eq!(
        chrome_intent("https://gocua.example.vn/households?q=an").as_deref(),
        Some("intent://gocua.example.vn/households?q=an#Intent;scheme=https;package=com.android.chrome;end")
    );
    assert_eq!(chrome_intent("not a link"), None);
}

#[wasm_bindgen_test]
fn this_test_browser_reads_as_a_browser_tab() {
    // Headless Chromium on Linux: no chat app, not started from a home screen.
    assert_eq!(surroundings().place, Place::Browser);
}
