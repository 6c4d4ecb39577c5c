//! Sign-in. The first sign-in needs the network; after it the app works offline.

use crate::api::{self, ApiError};
use crate::first_sign_in;
use crate::i18n;
use crate::notebook::{Notebook, SignInRefused};
use crate::return_path;
use crate::session::Session;
use crate::store::StoreError;
use crate::sync::{self, SyncStatus};
use gocua_domain::api::LoginResponse;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

/// Keeps a new sign-in (or a join) on this phone and starts a sync; the
/// sentence to show if the phone cannot take it. A refused sign-in is ended
/// on the server too.
pub fn keep_sign_in(notebook: Notebook, status: SyncStatus, login: LoginResponse) -> Result<(), String> {
    let token = login.token.clone();
    match notebook.sign_in(Session::from(login)) {
        Ok(()) => {
            sync::sync_soon(notebook, status);
            Ok(())
        }
        Err(refused) => {
            sync::sign_out::end_session(notebook, token);
            Err(refusal(refused))
        }
    }
}

/// Why this phone cannot take a sign-in, said to the person signing in.
pub fn refusal(refused: SignInRefused) -> String {
    match refused {
        SignInRefused::OtherUsersRecords { name, unsynced } => i18n::other_users_records(&name, unsynced),
        SignInRefused::Store(StoreError::QuotaExceeded) => i18n::ERROR_STORAGE_FULL.into(),
        SignInRefused::Store(_) => i18n::ERROR_STORAGE_UNAVAILABLE.into(),
    }
}

/// The sign-in page. index.html holds a copy of its words and form, shown to
/// a signed-out phone before the app starts ([`crate::first_sign_in`]).
#[component]
pub fn LoginPage() -> impl IntoView {
    let notebook = expect_context::<Notebook>();
    let status = expect_context::<SyncStatus>();
    let navigate = use_navigate();
    // What was typed into index.html's form before the app started, if this is the page that replaced it.
    let (typed_username, typed_password) = first_sign_in::take().unwrap_or_default();
    let username = RwSignal::new(typed_username);
    let password = RwSignal::new(typed_password);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let query = use_query_map();
    let signed_in_as = move || notebook.session.with(|s| s.as_ref().map(|s| s.profile.display_name.clone()));

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let (name, secret) = (username.get_untracked(), password.get_untracked());
        if name.trim().is_empty() || secret.is_empty() {
            error.set(Some(i18n::LOGIN_MISSING_FIELDS.into()));
            return;
        }
        busy.set(true);
        error.set(None);
        let navigate = navigate.clone();
        // Read now: the volunteer may leave this page before the answer
        // comes, and reading the query of a page that is gone would panic.
        let next = query.with_untracked(|q| q.get("next"));
        spawn_local(async move {
            let outcome = api::login(&name, &secret).await;
            busy.set(false);
            match outcome {
                Ok(login) => match keep_sign_in(notebook, status, login) {
                    Ok(()) => {
                        password.set(String::new());
                        navigate(return_path::after_sign_in(next.as_deref()), Default::default());
                    }
                    Err(message) => error.set(Some(message)),
                },
                Err(ApiError::Network(_)) => error.set(Some(i18n::LOGIN_NEEDS_NETWORK.into())),
                Err(ApiError::Unauthorized { message } | ApiError::Server { message, .. }) => error.set(Some(message)),
                Err(ApiError::Decode(_)) => error.set(Some(i18n::ERROR_UNEXPECTED_ANSWER.into())),
            }
        });
    };

    view! {
        <main class="page login">
            <Show when=move || notebook.signed_out_reason.with(Option::is_some)>
                <p class="notice warn" role="status">{move || notebook.signed_out_reason.get()}</p>
            </Show>
            <header class="brand">
                <h1>{i18n::APP_NAME}</h1>
                <p class="tagline">{i18n::TAGLINE}</p>
            </header>
            <p class="intro">{i18n::INTRO}</p>
            {move || signed_in_as().map(|name| view! {
                <p class="notice" role="status" data-testid="already-signed-in">
                    {i18n::already_signed_in(&name)}" "<A href="/">{i18n::GO_HOME}</A>
                </p>
            })}
            <form class="card" on:submit=submit>
                <h2>{i18n::LOGIN_TITLE}</h2>
                <label for="username">{i18n::USERNAME}</label>
                <input id="username" name="username" autocomplete="username" autocapitalize="none" bind:value=username />
                <label for="password">{i18n::PASSWORD}</label>
                <input id="password" name="password" type="password" autocomplete="current-password" bind:value=password />
                <Show when=move || error.get().is_some()>
                    <p class="error" role="alert">{move || error.get()}</p>
                </Show>
                <button type="submit" class="primary" disabled=move || busy.get()>
                    {move || if busy.get() { i18n::LOGGING_IN } else { i18n::LOGIN_BUTTON }}
                </button>
                <p class="hint">{i18n::LOGIN_NEEDS_NETWORK}</p>
            </form>
            <p class="hint"><A href="/join">{i18n::JOIN_LINK}</A></p>
        </main>
    }
}
