//! Gõ Cửa, the app: the volunteer's notebook, running in a phone's browser.
//!
//! It works with no connection at all: everything is kept on the phone
//! ([`store`]) and pushed to the server when the network returns ([`sync`]).
//! Screens live in [`pages`], reusable pieces in [`components`], every
//! Vietnamese sentence in [`i18n`], and the HTTP client in [`api`].

pub mod api;
pub mod backup;
pub mod boot;
pub mod builds;
pub mod download;
pub mod first_sign_in;

pub mod app;
pub mod components;
pub mod i18n;
pub mod install;
pub mod notebook;
pub mod pages;
pub mod perf;
pub mod return_path;
pub mod session;
pub mod store;
pub mod sync;
pub mod text;

/// Starts the app in the page's `#app` element, replacing the static first
/// screen, with the screens of this build ([`builds`]).
pub fn start(screens: builds::FullBuildScreens) {
    // In the release build a panic stops the WASM at once, unformatted
    // (scripts/build-app.sh), and public/boot.js shows the recovery screen;
    // a debug build says in the console what panicked.
    #[cfg(debug_assertions)]
    console_error_panic_hook::set_once();
    perf::mark("gocua:start");
    // Compiling and instantiating the WASM was one task; the notebook is
    // read in the next and the first screen built in the one after, so the
    // phone can answer a tap between them instead of being blocked for all
    // at once (Total Blocking Time, docs/benchmarks.md). The first call of
    // each WASM function compiles it, which makes these tasks long on a
    // phone's first visit.
    gloo_timers::callback::Timeout::new(0, move || {
        let notebook = notebook::Notebook::open();
        perf::mark("gocua:loaded");
        gloo_timers::callback::Timeout::new(0, move || mount(screens, notebook)).forget();
    })
    .forget();
}

/// Replaces the static first screen of index.html with the app.
fn mount(screens: builds::FullBuildScreens, notebook: notebook::Notebook) {
    use leptos::prelude::*;
    perf::mark("gocua:mount");
    let document = leptos::prelude::document();
    let root = document.get_element_by_id("app").expect("index.html has an #app element");
    let typed_first = first_sign_in::FirstSignIn::read();
    root.set_inner_html("");
    let root: leptos::web_sys::HtmlElement = wasm_bindgen::JsCast::unchecked_into(root);
    leptos::mount::mount_to(root, move || {
        if let Some(typed) = typed_first {
            typed.keep_for_the_sign_in_page();
        }
        view! { <app::App screens notebook /> }
    })
    .forget();
}
