//! One visit in a list, with its sync state.

use crate::i18n;
use crate::notebook::Notebook;
use crate::store::{LocalVisit, SyncState};
use gocua_domain::time::format_local;
use leptos::prelude::*;

#[component]
pub fn VisitCard(local: LocalVisit) -> impl IntoView {
    let notebook = expect_context::<Notebook>();
    let visit = local.visit;
    let village = notebook
        .session
        .with_untracked(|session| session.as_ref().and_then(|s| s.village_name(visit.village_id)).map(str::to_owned))
        .unwrap_or_default();
    let (badge, class, reason) = match local.sync {
        SyncState::Pending => (i18n::STATE_PENDING, "badge pending", None),
        SyncState::Synced { .. } => (i18n::STATE_SYNCED, "badge synced", None),
        SyncState::Rejected { message, .. } => (i18n::STATE_REJECTED, "badge rejected", Some(message)),
        SyncState::Conflict { message } => (i18n::STATE_CONFLICT, "badge rejected", Some(message)),
    };
    view! {
        <li class="visit-card" data-visit-id=visit.id.to_string()>
            <div class="visit-head">
                <strong>{visit.household.head_name.clone()}</strong>
                <span class=class>{badge}</span>
            </div>
            <p class="visit-where">{visit.household.address.clone()} " · " {village}</p>
            <p class="visit-what">
                {format_local(visit.visited_at)} " · " {i18n::people_count(visit.people.total())} " · "
                {i18n::skills_count(visit.skills.len())}
            </p>
            {reason.map(|reason| view! { <p class="error">{reason}</p> })}
        </li>
    }
}
