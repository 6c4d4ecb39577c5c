//! The community sessions on this phone: the user's own (a leader's phone
//! also holds the team's), newest first, each with its sync state.

use crate::components::sync_badge;
use crate::i18n;
use crate::notebook::Notebook;
use crate::store::LocalCommunitySession;
use gocua_domain::time::format_date;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn CommunitySessionsPage() -> impl IntoView {
    let notebook = expect_context::<Notebook>();
    let shown = Memo::new(move |_| {
        notebook.community_sessions.with(|sessions| sessions.iter().filter(|s| !s.deleted).cloned().collect::<Vec<_>>())
    });
    view! {
        <main class="page community-sessions">
            <h1>{i18n::COMMUNITY_SESSIONS}</h1>
            <p class="hint">{i18n::COMMUNITY_SESSIONS_HINT}</p>
            <A href="/community-sessions/new" attr:class="button primary big">"+ " {i18n::NEW_COMMUNITY_SESSION}</A>
            <Show when=move || shown.with(Vec::is_empty)>
                <p class="empty">{i18n::NO_COMMUNITY_SESSIONS_YET}</p>
            </Show>
            <ul class="visits">
                <For
                    each=move || shown.get()
                    key=|local| (local.record.id, local.sync.clone(), local.record.revision)
                    children=|local| view! { <CommunitySessionCard local /> }
                />
            </ul>
        </main>
    }
}

#[component]
fn CommunitySessionCard(local: LocalCommunitySession) -> impl IntoView {
    let notebook = expect_context::<Notebook>();
    let session = local.record;
    let village = notebook.village_name(session.village_id);
    let topics = notebook.catalogue.with_untracked(|catalogue| {
        session.skills.iter().map(|code| catalogue.label(code).to_owned()).collect::<Vec<_>>().join("; ")
    });
    let (badge, class, reason) = sync_badge(local.sync);
    view! {
        <li class="visit-card" data-community-session-id=session.id.to_string()>
            <A href=format!("/community-sessions/{}/edit", session.id) attr:class="card-link">
                <div class="visit-head">
                    <strong>{session.place.clone()}</strong>
                    <span class=class>{badge}</span>
                </div>
                <p class="visit-where">{village}</p>
                <p class="visit-what">
                    {format_date(session.held_on)} " · " {i18n::attendees_count(session.attendees.total())}
                </p>
                <p class="visit-skills">{topics}</p>
            </A>
            {reason.map(|reason| view! { <p class="error">{reason}</p> })}
        </li>
    }
}
