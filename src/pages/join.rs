//! Joining a team with an invite code from the leader: opened from the
//! invite's link or QR code (the code filled in) or typed from paper.

use crate::api::{self, ApiError};
use crate::i18n;
use crate::notebook::{Notebook, SignInRefused};
use crate::pages::login::{keep_sign_in, refusal};
use crate::sync::SyncStatus;
use gocua_domain::account::{check_display_name, check_password, check_username};
use gocua_domain::api::JoinRequest;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};

#[component]
pub fn JoinPage() -> impl IntoView {
    let notebook = expect_context::<Notebook>();
    let status = expect_context::<SyncStatus>();
    let navigate = use_navigate();
    let query = use_query_map();
    let code = RwSignal::new(query.with_untracked(|q| q.get("code")).unwrap_or_default());
    let display_name = RwSignal::new(String::new());
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let problems = RwSignal::new(Vec::<String>::new());
    let busy = RwSignal::new(false);

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let request = JoinRequest {
            code: code.get_untracked(),
            username: username.get_untracked(),
            display_name: crate::text::nfc(&display_name.get_untracked()),
            password: password.get_untracked(),
        };
        // The same rules as the server, so most mistakes are caught without the network.
        let mut found: Vec<String> = [
            check_username(&request.username).err(),
            check_display_name(&request.display_name).err(),
            check_password(&request.password).err(),
        ]
        .into_iter()
        .flatten()
        .map(|problem| problem.message_vi())
        .collect();
        if request.code.trim().is_empty() {
            found.insert(0, i18n::JOIN_CODE_MISSING.into());
        }
        // A phone holding another user's unsent records would refuse the new
        // account after the invite was used up: say so before using it.
        match notebook.refuses_a_new_account() {
            Ok(Some(refused)) => found.push(refusal(refused)),
            Ok(None) => {}
            Err(error) => found.push(refusal(SignInRefused::Store(error))),
        }
        problems.set(found.clone());
        if !found.is_empty() {
            return;
        }
        busy.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            let outcome = api::join(&request).await;
            busy.set(false);
            let problem = match outcome {
                Ok(joined) => match keep_sign_in(notebook, status, joined) {
                    Ok(()) => {
                        password.set(String::new());
                        navigate("/", Default::default());
                        return;
                    }
                    Err(message) => message,
                },
                Err(ApiError::Network(_)) => i18n::JOIN_NEEDS_NETWORK.into(),
                Err(ApiError::Unauthorized { message } | ApiError::Server { message, .. }) => message,
                Err(ApiError::Decode(_)) => i18n::ERROR_UNEXPECTED_ANSWER.into(),
            };
            problems.set(vec![problem]);
        });
    };

    // Opened while signed in (a leader trying the link, a shared phone):
    // say who is, and offer the way home instead of only the form.
    let signed_in_as = move || notebook.session.with(|s| s.as_ref().map(|s| s.profile.display_name.clone()));
    view! {
        <main class="page login">
            <header class="brand">
                <h1>{i18n::APP_NAME}</h1>
                <p class="tagline">{i18n::TAGLINE}</p>
            </header>
            {move || signed_in_as().map(|name| view! {
                <section class="card" data-testid="join-signed-in">
                    <p>{i18n::join_while_signed_in(&name)}</p>
                    <A href="/" attr:class="button secondary wide">{i18n::GO_HOME}</A>
                </section>
            })}
            <form class="card" on:submit=submit>
                <h2>{i18n::JOIN_TITLE}</h2>
                <p class="hint">{i18n::JOIN_EXPLAINED}</p>
                <label for="code">{i18n::JOIN_CODE}</label>
                <input id="code" name="code" autocapitalize="characters" autocomplete="off" bind:value=code />
                <label for="display-name">{i18n::JOIN_DISPLAY_NAME}</label>
                <input id="display-name" name="display_name" autocomplete="name" bind:value=display_name />
                <label for="username">{i18n::USERNAME}</label>
                <input id="username" name="username" autocomplete="username" autocapitalize="none" bind:value=username />
                <p class="hint">{i18n::JOIN_USERNAME_HINT}</p>
                <label for="password">{i18n::PASSWORD}</label>
                <input id="password" name="password" type="password" autocomplete="new-password" bind:value=password />
                <p class="hint">{i18n::JOIN_PASSWORD_HINT}</p>
                <Show when=move || problems.with(|p| !p.is_empty())>
                    <ul class="error" role="alert">
                        {move || problems.get().into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
                    </ul>
                </Show>
                <button type="submit" class="primary" disabled=move || busy.get()>
                    {move || if busy.get() { i18n::JOINING } else { i18n::JOIN_BUTTON }}
                </button>
            </form>
        </main>
    }
}
