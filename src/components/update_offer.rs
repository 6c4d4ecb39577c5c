//! "Có phiên bản mới": a new build of the app is on the phone, installed in
//! the background by the service worker (public/sw.js, public/boot.js), and
//! waits for the volunteer. Offered at a safe moment — never on a form, so
//! nobody loses their place mid-visit (a form's draft is kept anyway) — it
//! reloads into the new build when tapped.

use crate::boot;
use crate::i18n;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// What public/boot.js marks on `<html>` (and announces with [`READY_EVENT`]) once a new build waits.
const READY_ATTRIBUTE: &str = "data-update";
const READY_EVENT: &str = "gocua:update-ready";
/// Asks public/boot.js to let the waiting build take over, then reload.
const APPLY_EVENT: &str = "gocua:apply-update";

#[component]
pub fn UpdateOffer() -> impl IntoView {
    let ready = RwSignal::new(boot::marked_ready(READY_ATTRIBUTE));
    let _ = window_event_listener_untyped(READY_EVENT, move |_| ready.set(true));
    let location = use_location();
    let on_form = move || location.pathname.with(|path| is_form(path));
    let apply = move |_| boot::ask(APPLY_EVENT);
    view! {
        <Show when=move || ready.get() && !on_form()>
            <div class="update-offer" role="status">
                <span>{i18n::UPDATE_READY}</span>
                <button class="primary" on:click=apply>{i18n::UPDATE_APPLY}</button>
            </div>
        </Show>
    }
}

/// A screen where the volunteer is filling something in.
fn is_form(path: &str) -> bool {
    let path = path.trim_end_matches('/');
    path.ends_with("/new") || path.ends_with("/edit") || path == "/join" || path == "/login"
}
