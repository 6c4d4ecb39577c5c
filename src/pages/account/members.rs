//! The team's members (a coordinator: the commune's accounts): their
//! devices, and deactivating a member who has left.

use super::account_editor::AccountEditor;
use super::devices::DeviceList;
use super::{failure, token};
use crate::api;
use crate::i18n;
use crate::notebook::Notebook;
use gocua_domain::api::{Account, Role, TeamSummary};
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn MemberList() -> impl IntoView {
    let notebook = expect_context::<Notebook>();
    let members = RwSignal::new(Vec::<Account>::new());
    let teams = RwSignal::new(Vec::<TeamSummary>::new());
    let problem = RwSignal::new(None::<String>);
    let me = notebook.session.with_untracked(|s| s.as_ref().map(|s| (s.profile.user_id, s.profile.role)));
    let load = move || {
        let Some(token) = token(notebook) else { return };
        spawn_local(async move {
            match api::members(&token).await {
                Ok(list) => members.set(list.users),
                Err(error) => problem.set(Some(failure(&error))),
            }
        });
    };
    load();
    let coordinator = matches!(me, Some((_, Role::Coordinator)));
    if coordinator {
        if let Some(token) = token(notebook) {
            spawn_local(async move {
                if let Ok(list) = api::teams(&token).await {
                    teams.set(list.teams);
                }
            });
        }
    }
    let reload = Callback::new(move |_: ()| load());
    let set_active = move |account: Account, active: bool| {
        if !active && !window().confirm_with_message(&i18n::deactivate_confirm(&account.display_name)).unwrap_or(false)
        {
            return;
        }
        let Some(token) = token(notebook) else { return };
        spawn_local(async move {
            match api::set_active(&token, account.id, active).await {
                Ok(_) => load(),
                Err(error) => problem.set(Some(failure(&error))),
            }
        });
    };
    // Mirrors the server's rule (access.rs): a leader manages the team's volunteers, a coordinator anyone else.
    let manages = move |account: &Account| match me {
        Some((id, _)) if id == account.id => false,
        Some((_, Role::Coordinator)) => true,
        Some((_, Role::Leader)) => account.role == Role::Volunteer,
        _ => false,
    };
    view! {
        <h2>{i18n::TEAM_MEMBERS}</h2>
        <Show when=move || problem.with(Option::is_some)>
            <p class="error" role="alert">{move || problem.get()}</p>
        </Show>
        <ul class="members">
            {move || {
                members
                    .get()
                    .into_iter()
                    .map(|account| {
                        let show_devices = RwSignal::new(false);
                        let editing = RwSignal::new(false);
                        let edited = account.clone();
                        let managed = manages(&account);
                        let (id, active) = (account.id, account.active);
                        let toggle = account.clone();
                        view! {
                            <li class="card member" data-username=account.username.clone()>
                                <strong>{account.display_name.clone()}</strong>
                                <span class="hint">{format!(" {} · {}", account.username, account.role.label_vi())}</span>
                                {(!active).then_some(view! { <span class="badge bad">{i18n::INACTIVE}</span> })}
                                <div class="actions">
                                    {(managed && active).then_some(view! {
                                        <button class="link" on:click=move |_| show_devices.update(|s| *s = !*s)>{i18n::DEVICES}</button>
                                    })}
                                    {(managed && coordinator).then_some(view! {
                                        <button class="link" on:click=move |_| editing.update(|e| *e = !*e)>{i18n::EDIT_ACCOUNT}</button>
                                    })}
                                    {managed.then_some(view! {
                                        <button class="link danger" on:click=move |_| set_active(toggle.clone(), !active)>
                                            {if active { i18n::DEACTIVATE } else { i18n::REACTIVATE }}
                                        </button>
                                    })}
                                </div>
                                <Show when=move || show_devices.get()>
                                    <DeviceList user_id=id />
                                </Show>
                                <Show when=move || editing.get()>
                                    <AccountEditor account=edited.clone() teams on_saved=reload />
                                </Show>
                            </li>
                        }
                    })
                    .collect_view()
            }}
        </ul>
    }
}
