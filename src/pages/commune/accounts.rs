//! Creating an account directly (a coordinator, a leader): the volunteer's
//! way in is an invite, but a leader or a colleague without a phone at hand
//! gets an account with a temporary password.

use crate::api;
use crate::i18n;
use crate::notebook::Notebook;
use crate::pages::remote::{change_failure, failure, listed, signed_in, team_choices, Problem};
use gocua_domain::api::{NewAccountRequest, Role};
use leptos::prelude::*;

#[component]
pub fn NewAccount() -> impl IntoView {
    let notebook = expect_context::<Notebook>();
    let (username, display_name, password, team) = (
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
        RwSignal::new(String::new()),
    );
    let role = RwSignal::new(Role::Volunteer);
    // Without the list, an account is still created without a team.
    let teams = team_choices(notebook, true);
    let create = Action::new_local(move |request: &NewAccountRequest| {
        let request = request.clone();
        async move {
            let token = signed_in(notebook)?;
            api::create_account(&token, &request).await.map_err(|error| failure(&error))
        }
    });
    // Created: the form empties for the next one (the role and team stay, often the same).
    Effect::new(move |_| {
        if create.value().with(|last| matches!(last, Some(Ok(_)))) {
            for field in [username, display_name, password] {
                field.set(String::new());
            }
        }
    });
    let created =
        move || create.value().get().and_then(Result::ok).map(|a| i18n::account_created(&a.display_name, &a.username));
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        create.dispatch_local(NewAccountRequest {
            username: username.get_untracked(),
            display_name: crate::text::nfc(&display_name.get_untracked()),
            role: role.get_untracked(),
            team_id: team.get_untracked().parse().ok(),
            password: password.get_untracked(),
        });
    };
    let roles = [Role::Volunteer, Role::Leader, Role::Coordinator];
    view! {
        <section class="card" data-testid="new-account">
            <h2>{i18n::NEW_ACCOUNT_TITLE}</h2>
            <p class="hint">{i18n::NEW_ACCOUNT_EXPLAINED}</p>
            <Problem problem=Signal::derive(move || change_failure(create)) />
            <Show when=move || created().is_some()>
                <p class="notice" role="status">{created}</p>
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
                    {move || listed(teams).into_iter().map(|t| view! { <option value=t.id.to_string()>{t.name}</option> }).collect_view()}
                </select>
                <label for="account-password">{i18n::TEMPORARY_PASSWORD}</label>
                <input id="account-password" type="text" autocomplete="off" bind:value=password />
                <button type="submit" class="primary" disabled=move || create.pending().get()>{i18n::CREATE_ACCOUNT}</button>
            </form>
        </section>
    }
}
