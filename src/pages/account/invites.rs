//! Inviting a volunteer: a one-time code to read out, a link to send and a
//! QR code to scan, and the invites still open, each cancellable.

use super::{failure, token};
use crate::api;
use crate::i18n;
use crate::notebook::Notebook;
use gocua_domain::api::{CreatedInvite, Invite, NewInviteRequest, Role, TeamSummary};
use gocua_domain::time::format_local;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn InviteSection() -> impl IntoView {
    let notebook = expect_context::<Notebook>();
    let coordinator =
        notebook.session.with_untracked(|s| s.as_ref().map(|s| s.profile.role)) == Some(Role::Coordinator);
    // A coordinator chooses the team and the role; a leader invites volunteers to their own team.
    let teams = RwSignal::new(Vec::<TeamSummary>::new());
    let team = RwSignal::new(String::new());
    let as_leader = RwSignal::new(false);
    let created = RwSignal::new(None::<CreatedInvite>);
    let open = RwSignal::new(Vec::<Invite>::new());
    let problem = RwSignal::new(None::<String>);
    let load = move || {
        let Some(token) = token(notebook) else { return };
        spawn_local(async move {
            match api::open_invites(&token).await {
                Ok(list) => open.set(list.invites),
                Err(error) => problem.set(Some(failure(&error))),
            }
        });
    };
    load();
    if coordinator {
        if let Some(token) = token(notebook) {
            spawn_local(async move {
                match api::teams(&token).await {
                    Ok(list) => teams.set(list.teams),
                    Err(error) => problem.set(Some(failure(&error))),
                }
            });
        }
    }
    let create = move |_| {
        let Some(token) = token(notebook) else { return };
        let request = NewInviteRequest {
            team_id: team.get_untracked().parse().ok(),
            role: Some(if as_leader.get_untracked() { Role::Leader } else { Role::Volunteer }),
        };
        if coordinator && request.team_id.is_none() {
            problem.set(Some(i18n::CHOOSE_TEAM.into()));
            return;
        }
        spawn_local(async move {
            match api::create_invite(&token, &request).await {
                Ok(invite) => {
                    created.set(Some(invite));
                    problem.set(None);
                    load();
                }
                Err(error) => problem.set(Some(failure(&error))),
            }
        });
    };
    let cancel = move |invite_id: i64| {
        let Some(token) = token(notebook) else { return };
        spawn_local(async move {
            match api::cancel_invite(&token, invite_id).await {
                Ok(()) => {
                    created.update(|shown| {
                        if shown.as_ref().is_some_and(|c| c.invite.id == invite_id) {
                            *shown = None;
                        }
                    });
                    load();
                }
                Err(error) => problem.set(Some(failure(&error))),
            }
        });
    };
    let origin = window().location().origin().unwrap_or_default();
    view! {
        <h2>{i18n::INVITE_TITLE}</h2>
        <p class="hint">{i18n::INVITE_EXPLAINED}</p>
        {coordinator.then(|| view! {
            <label for="invite-team">{i18n::TEAM}</label>
            <select id="invite-team" on:change=move |ev| team.set(event_target_value(&ev))>
                <option value="">{i18n::CHOOSE_TEAM}</option>
                {move || teams.get().into_iter().map(|t| view! { <option value=t.id.to_string()>{t.name}</option> }).collect_view()}
            </select>
            <label class="choice">
                <input type="checkbox" on:change=move |ev| as_leader.set(event_target_checked(&ev)) />
                {i18n::INVITE_AS_LEADER}
            </label>
        })}
        <button class="primary" on:click=create>{i18n::INVITE_CREATE}</button>
        <Show when=move || problem.with(Option::is_some)>
            <p class="error" role="alert">{move || problem.get()}</p>
        </Show>
        {move || {
            created
                .get()
                .map(|invite| {
                    let link = format!("{origin}{}", invite.join_path);
                    view! {
                        <section class="card invite" data-testid="invite">
                            <p>{i18n::INVITE_CODE_IS}</p>
                            <p class="invite-code" data-testid="invite-code">{invite.code.clone()}</p>
                            // The server drew this SVG from the link; it carries no script.
                            <div class="qr" inner_html=invite.qr_svg.clone()></div>
                            <p class="hint">{i18n::invite_expires(&format_local(invite.invite.expires_at))}</p>
                            <p class="invite-link"><a href=link.clone()>{link.clone()}</a></p>
                        </section>
                    }
                })
        }}
        <Show when=move || open.with(|o| !o.is_empty())>
            <h3>{i18n::INVITES_OPEN}</h3>
            <ul class="invites">
                {move || {
                    open.get()
                        .into_iter()
                        .map(|invite| {
                            let id = invite.id;
                            view! {
                                <li>
                                    {i18n::invite_line(&invite.created_by, &format_local(invite.expires_at))}
                                    " "
                                    <button class="link danger" on:click=move |_| cancel(id)>{i18n::INVITE_CANCEL}</button>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </Show>
    }
}
