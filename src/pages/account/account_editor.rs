//! A coordinator changes an account: its role, its team, or a new password
//! for someone who forgot theirs.

use crate::api;
use crate::i18n;
use crate::notebook::Notebook;
use crate::pages::remote::{change_failure, failure, signed_in, Problem};
use gocua_domain::api::{Account, AccountChange, Role, TeamSummary};
use leptos::prelude::*;

#[component]
pub fn AccountEditor(account: Account, teams: Signal<Vec<TeamSummary>>, on_saved: Callback<()>) -> impl IntoView {
    let notebook = expect_context::<Notebook>();
    let role = RwSignal::new(account.role);
    let team = RwSignal::new(account.team.as_ref().map(|t| t.id.to_string()).unwrap_or_default());
    let password = RwSignal::new(String::new());
    let current_team = account.team.as_ref().map(|t| t.id);
    let id = account.id;
    let save = Action::new_local(move |change: &AccountChange| {
        let change = change.clone();
        async move {
            let token = signed_in(notebook)?;
            api::change_account(&token, id, &change).await.map(drop).map_err(|error| failure(&error))
        }
    });
    // Saved: the new password is not left on screen, and the list shows the change.
    Effect::new(move |_| {
        if let Some(Ok(())) = save.value().get() {
            password.set(String::new());
            on_saved.run(());
        }
    });
    let submit = move |_| {
        let chosen_team: Option<i64> = team.get_untracked().parse().ok();
        let new_password = password.get_untracked();
        save.dispatch_local(AccountChange {
            role: (role.get_untracked() != account.role).then_some(role.get_untracked()),
            team_id: (chosen_team != current_team).then_some(chosen_team),
            password: (!new_password.is_empty()).then_some(new_password),
            ..Default::default()
        });
    };
    let roles = [Role::Volunteer, Role::Leader, Role::Coordinator];
    let initial_role = account.role;
    view! {
        <div class="account-editor">
            <label>{i18n::ROLE}
                <select on:change=move |ev| role.set(Role::parse(&event_target_value(&ev)).unwrap_or(initial_role))>
                    {roles.into_iter().map(|r| view! { <option value=r.as_str() selected=r == initial_role>{r.label_vi()}</option> }).collect_view()}
                </select>
            </label>
            <label>{i18n::TEAM}
                <select on:change=move |ev| team.set(event_target_value(&ev))>
                    <option value="">{i18n::NO_TEAM}</option>
                    {move || teams.get().into_iter().map(|t| {
                        let selected = Some(t.id) == current_team;
                        view! { <option value=t.id.to_string() selected=selected>{t.name}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label>{i18n::NEW_PASSWORD}
                <input type="text" autocomplete="off" bind:value=password />
            </label>
            <button type="button" class="primary" on:click=submit disabled=move || save.pending().get()>{i18n::SAVE_ROW}</button>
            <Problem problem=Signal::derive(move || change_failure(save)) />
        </div>
    }
}
