//! The screen left when the app panics. Built with `panic = "abort"`, the
//! app stops at a panic; the panic hook runs first and puts this plain page
//! in its place — no WASM runs after it — so the volunteer sees what
//! happened and a link that starts the app again, instead of a white page.
//! Nothing stored on the phone is touched.

use crate::i18n;
use leptos::web_sys::Element;

/// Shows the recovery screen for every later panic (and logs the panic to the console).
pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        if let Some(body) = leptos::web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) {
            show(&body);
        }
    }));
}

/// Replaces what `root` shows with the recovery screen.
pub fn show(root: &Element) {
    root.set_inner_html(&format!(
        r#"<main class="page recovery" role="alert"><h1>{}</h1><p>{}</p><p><a class="button primary big" href="/">{}</a></p></main>"#,
        i18n::CRASHED_TITLE,
        i18n::CRASHED_EXPLAINED,
        i18n::CRASHED_RESTART
    ));
}
