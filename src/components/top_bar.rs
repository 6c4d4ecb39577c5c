//! The bar at the top: who is signed in, their account, and signing out.

use crate::i18n;
use crate::notebook::Notebook;
use crate::sync::{self, BusyWait, SyncStatus};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

/// How long signing out waits for a sync another tab is running: five seconds.
const SIGN_OUT_WAIT: BusyWait = BusyWait { retries: 10, pause_ms: 500 };

#[component]
pub fn TopBar() -> impl IntoView {
    let notebook = expect_context::<Notebook>();
    let status = expect_context::<SyncStatus>();
    let busy = RwSignal::new(false);
    let name = move || notebook.session.with(|session| session.as_ref().map(|s| s.profile.display_name.clone()));
    let sign_out = move |_| {
        busy.set(true);
        spawn_local(async move {
            // A shared phone: send everything first, so as little as possible stays behind.
            sync::push_when_free(notebook, status, SIGN_OUT_WAIT, || true).await;
            busy.set(false);
            let store = notebook.store().ok();
            let unsynced = store.as_ref().map_or(0, |store| store.unsynced_count());
            // A visit half-filled and not saved goes with the sign-in: said before it does.
            let draft = store.and_then(|store| store.draft()).is_some_and(|draft| draft.has_work());
            let warning = i18n::logout_confirm(unsynced, draft);
            if warning.as_deref().is_some_and(|warning| !window().confirm_with_message(warning).unwrap_or(false)) {
                return;
            }
            if let Some(token) = notebook.session.with_untracked(|s| s.as_ref().map(|s| s.token.clone())) {
                sync::sign_out::end_session(notebook, token);
            }
            notebook.sign_out();
        });
    };
    view! {
        <header class="top-bar">
            <A href="/" attr:class="app-name">{i18n::APP_NAME}</A>
            <A href="/account" attr:class="user">{name}</A>
            <button class="link" on:click=sign_out disabled=move || busy.get()>
                {move || if busy.get() { i18n::LOGGING_OUT } else { i18n::LOGOUT }}
            </button>
        </header>
    }
}
