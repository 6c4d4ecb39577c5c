//! Creating an account directly (a coordinator, a leader): the volunteer's
//! way in is an invite, but a leader or a colleague without a phone at hand
//! gets an account with a temporary password.

use super::Problem;
use crate::api;
use crate::i18n;
use crate::notebook::Notebook;
use crate::pages::account::{failure, token};
use gocua_domain::api::{NewAccountRequest, Role, TeamSummary};
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn NewAccount() -> impl IntoView {
    let notebook = expect_context::<Notebook>();
    let teams = RwSignal::new(Vec::<TeamSummary>::new());
    let problem = RwSignal::new(None::<String>);
    let created = RwSignal::new(None::<String>);
    let (username, display_name, password, team) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let role = RwSignal::new(Role::Volunteer);
    if let Some(token) = token(notebook) {
        spawn_local(async move {
            if let Ok(list) = api::teams(&token).await {
                teams.set(list.teams);
            }
        });
    }
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(token) = token(notebook) else { return };
        let request = NewAccountRequest {
            username: username.get_untracked(),
            display_name: crate::text::nfc(&display_name.get_untracked()),
            role: role.get_untracked(),
            team_id: team.get_untracked().parse().ok(),
            password: password.get_untracked(),
        };
        spawn_local(async move {
            match api::create_account(&token, &request).await {
                Ok(account) => {
                    problem.set(None);
                    created.set(Some(i18n::account_created(&account.display_name, &account.username)));
                    for field in [username, display_name, password] {
                        field.set(String::new());
                    }
                }
                Err(error) => problem.set(Some(failure(&error))),
            }
        });
    };
    let roles = [Role::Volunteer, Role::Leader, Role::Coordinator];
    view! {
        <section class="card" data-testid="new-account">
            <h2>{i18n::NEW_ACCOUNT_TITLE}</h2>
            <p class="hint">{i18n::NEW_ACCOUNT_EXPLAINED}</p>
            <Problem problem />
            <Show when=move || created.with(Option::is_some)>
                <p class="notice" role="status">{move || created.get()}</p>
            </Show>
            <form on:submit=submit>
                <label for="account-name">{i18n::JOIN_DISPLAY_NAME}</label>
                <input id="account-name" bind:value=display_name />
                <label for="account-username">{i18n::USERNAME}</label>
                <input id="account-username" autocapitalize="none" autocomplete="off" bind:value=username />
                <label for="account-role">{i18n::ROLE}</label>
                <select id="account-role" on:change=move |ev| role.set(Role::parse(&event_target_value(&ev)).unwrap_or(Role::Volunteer))>
                    {roles.into_iter().map(|r| view! { <option value=r.as_str()>{r.label_vi()}</option> }).collect_view()}
                </select>
                <label for="account-team">{i18n::TEAM}</label>
                <select id="account-team" on:change=move |ev| team.set(event_target_value(&ev))>
                    <option value="">{i18n::NO_TEAM}</option>
                    {move || teams.get().into_iter().map(|t| view! { <option value=t.id.to_string()>{t.name}</option> }).collect_view()}
                </select>
                <label for="account-password">{i18n::TEMPORARY_PASSWORD}</label>
                <input id="account-password" type="text" autocomplete="off" bind:value=password />
                <button type="submit" class="primary">{i18n::CREATE_ACCOUNT}</button>
            </form>
        </section>
    }
}
