//! The bar at the top: who is signed in, and signing out.

use crate::api;
use crate::i18n;
use crate::notebook::Notebook;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn TopBar() -> impl IntoView {
    let notebook = expect_context::<Notebook>();
    let name = move || notebook.session.with(|session| session.as_ref().map(|s| s.profile.display_name.clone()));
    let sign_out = move |_| {
        let pending = notebook.pending_count() > 0;

        if pending && !window().confirm_with_message(i18n::LOGOUT_CONFIRM_PENDING).unwrap_or(false) {
            return;
        }
        if let Some(token) = notebook.session.with_untracked(|s| s.as_ref().map(|s| s.token.clone())) {
            spawn_local(async move {
                let _ = api::logout(&token).await;
            });
        }
        notebook.sign_out();
    };
    view! {
        <header class="top-bar">
            <span class="app-name">{i18n::APP_NAME}</span>
            <span class="user">{name}</span>
            <button class="link" on:click=sign_out>{i18n::LOGOUT}</button>
        </header>
    }
}
