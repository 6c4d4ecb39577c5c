//! The team's members (a coordinator: the commune's accounts): their
//! devices, and deactivating a member who has left.

use super::account_editor::AccountEditor;
use super::devices::DeviceList;
use crate::api;
use crate::i18n;
use crate::notebook::Notebook;
use crate::pages::remote::{change_failure, failure, listed, load_failure, signed_in, team_choices, Problem};
use gocua_domain::api::{Account, Role};
use leptos::prelude::*;

#[component]
pub fn MemberList() -> impl IntoView {
    let notebook = expect_context::<Notebook>();
    let me = notebook.session.with_untracked(|s| s.as_ref().map(|s| (s.profile.user_id, s.profile.role)));
    let coordinator = matches!(me, Some((_, Role::Coordinator)));
    let members = LocalResource::new(move || async move {
        let token = signed_in(notebook)?;
        api::members(&token).await.map(|list| list.users).map_err(|error| failure(&error))
    });
    // The teams a coordinator may move an account to; a leader moves no one.
    let teams = team_choices(notebook, coordinator);
    let set_active = Action::new_local(move |&(account_id, active): &(i64, bool)| async move {
        let token = signed_in(notebook)?;
        api::set_active(&token, account_id, active).await.map(drop).map_err(|error| failure(&error))
    });
    // Activated or deactivated: the list is read again.
    Effect::new(move |_| {
        if let Some(Ok(())) = set_active.value().get() {
            members.refetch();
        }
    });
    let ask_and_set_active = move |account: &Account, active: bool| {
        if active || window().confirm_with_message(&i18n::deactivate_confirm(&account.display_name)).unwrap_or(false) {
            set_active.dispatch_local((account.id, active));
        }
    };
    let problem = move || change_failure(set_active).or_else(|| load_failure(members));
    let teams_to_choose = Signal::derive(move || listed(teams));
    // Mirrors the server's rule (access.rs): a leader manages the team's volunteers, a coordinator anyone else.
    let manages = move |account: &Account| match me {
        Some((id, _)) if id == account.id => false,
        Some((_, Role::Coordinator)) => true,
        Some((_, Role::Leader)) => account.role == Role::Volunteer,
        _ => false,
    };
    view! {
        <h2>{i18n::TEAM_MEMBERS}</h2>
        <Problem problem=Signal::derive(problem) />
        // Keyed by the whole account: after a save or a (de)activation only the
        // changed account's row is made again, so another open editor keeps
        // what the coordinator typed in it.
        <ul class="members">
            <For
                each=move || listed(members)
                key=Account::clone
                children=move |account| {
                    let show_devices = RwSignal::new(false);
                    let editing = RwSignal::new(false);
                    // Saved: this editor closes and the list is read again.
                    let saved = Callback::new(move |_: ()| {
                        editing.set(false);
                        members.refetch();
                    });
                    let edited = account.clone();
                    let managed = manages(&account);
                    let (id, active) = (account.id, account.active);
                    let toggle = account.clone();
                    let teams = teams_to_choose;
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
                                    <button class="link danger" on:click=move |_| ask_and_set_active(&toggle, !active)>
                                        {if active { i18n::DEACTIVATE } else { i18n::REACTIVATE }}
                                    </button>
                                })}
                            </div>
                            <Show when=move || show_devices.get()>
                                <DeviceList user_id=id />
                            </Show>
                            <Show when=move || editing.get()>
                                <AccountEditor account=edited.clone() teams on_saved=saved />
                            </Show>
                        </li>
                    }
                }
            />
        </ul>
    }
}
