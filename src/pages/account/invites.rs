//! Inviting a volunteer: a one-time code to read out, a link to send and a
//! QR code to scan, and the invites still open, each cancellable.

use crate::api;
use crate::i18n;
use crate::notebook::Notebook;
use crate::pages::remote::{change_failure, failure, listed, load_failure, signed_in, team_choices, Loaded, Problem};
use gocua_domain::api::{CreatedInvite, Invite, NewInviteRequest, Role};
use gocua_domain::time::format_local;
use leptos::prelude::*;

#[component]
pub fn InviteSection() -> impl IntoView {
    let notebook = expect_context::<Notebook>();
    let coordinator =
        notebook.session.with_untracked(|s| s.as_ref().map(|s| s.profile.role)) == Some(Role::Coordinator);
    // A coordinator chooses the team and the role; a leader invites volunteers to their own team.
    let team = RwSignal::new(String::new());
    let as_leader = RwSignal::new(false);
    let team_missing = RwSignal::new(false);
    let shown = RwSignal::new(None::<CreatedInvite>);
    let open = LocalResource::new(move || async move {
        let token = signed_in(notebook)?;
        api::open_invites(&token).await.map(|list| list.invites).map_err(|error| failure(&error))
    });
    let teams = team_choices(notebook, coordinator);
    let create = Action::new_local(move |request: &NewInviteRequest| {
        let request = request.clone();
        async move {
            let token = signed_in(notebook)?;
            api::create_invite(&token, &request).await.map_err(|error| failure(&error))
        }
    });
    let cancel = Action::new_local(move |&invite_id: &i64| async move {
        let token = signed_in(notebook)?;
        api::cancel_invite(&token, invite_id).await.map(|()| invite_id).map_err(|error| failure(&error))
    });
    follow_invites(create, cancel, open, shown);
    let create_invite = move |_| {
        let request = NewInviteRequest {
            team_id: team.get_untracked().parse().ok(),
            role: Some(if as_leader.get_untracked() { Role::Leader } else { Role::Volunteer }),
        };
        let missing = coordinator && request.team_id.is_none();
        team_missing.set(missing);
        if !missing {
            create.dispatch_local(request);
        }
    };
    let problem = Signal::derive(move || {
        let unchosen = team_missing.get().then(|| i18n::CHOOSE_TEAM.to_owned());
        unchosen
            .or_else(|| change_failure(create))
            .or_else(|| change_failure(cancel))
            .or_else(|| load_failure(open))
            .or_else(|| load_failure(teams))
    });
    view! {
        <h2>{i18n::INVITE_TITLE}</h2>
        <p class="hint">{i18n::INVITE_EXPLAINED}</p>
        {coordinator.then(|| view! {
            <label for="invite-team">{i18n::TEAM}</label>
            <select id="invite-team" on:change=move |ev| team.set(event_target_value(&ev))>
                <option value="">{i18n::CHOOSE_TEAM}</option>
                {move || listed(teams).into_iter().map(|t| view! { <option value=t.id.to_string()>{t.name}</option> }).collect_view()}
            </select>
            <label class="choice">
                <input type="checkbox" on:change=move |ev| as_leader.set(event_target_checked(&ev)) />
                {i18n::INVITE_AS_LEADER}
            </label>
        })}
        <button class="primary" on:click=create_invite disabled=move || create.pending().get()>{i18n::INVITE_CREATE}</button>
        <Problem problem />
        {move || shown.get().map(|invite| view! { <InviteCard invite /> })}
        <Show when=move || !listed(open).is_empty()>
            <h3>{i18n::INVITES_OPEN}</h3>
            <ul class="invites">
                {move || {
                    listed(open)
                        .into_iter()
                        .map(|invite| {
                            let id = invite.id;
                            view! {
                                <li>
                                    {i18n::invite_line(&invite.created_by, &format_local(invite.expires_at))}
                                    " "
                                    <button class="link danger" on:click=move |_| { cancel.dispatch_local(id); }>{i18n::INVITE_CANCEL}</button>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </Show>
    }
}

/// A new invite, shown the one time its code is: the code to read out, the
/// QR code to scan, and the link to send.
#[component]
pub(crate) fn InviteCard(invite: CreatedInvite) -> impl IntoView {
    let origin = window().location().origin().unwrap_or_default();
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
}

/// Keeps the invite shown and the open list in step with what creating and
/// cancelling did: a new invite is shown with its code and QR, a cancelled
/// one disappears (from view too if it was the one shown), and the open list
/// is read again after either.
pub(crate) fn follow_invites<Asked: 'static>(
    create: Action<Asked, Result<CreatedInvite, String>>,
    cancel: Action<i64, Result<i64, String>>,
    open: Loaded<Vec<Invite>>,
    shown: RwSignal<Option<CreatedInvite>>,
) {
    Effect::new(move |_| {
        if let Some(Ok(invite)) = create.value().get() {
            shown.set(Some(invite));
            open.refetch();
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(invite_id)) = cancel.value().get() {
            if shown.with_untracked(|invite| invite.as_ref().is_some_and(|c| c.invite.id == invite_id)) {
                shown.set(None);
            }
            open.refetch();
        }
    });
}
