//! One household in a list: who, where, and whether the team has been there.

use crate::components::sync_badge;
use crate::i18n;
use crate::notebook::Notebook;
use crate::store::{LocalHousehold, SyncState};
use gocua_domain::time::format_local;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn HouseholdCard(local: LocalHousehold, #[prop(into)] href: String) -> impl IntoView {
    let notebook = expect_context::<Notebook>();
    let household = local.household;
    let village = notebook.village_name(household.village_id);
    let name = i18n::household_name(&household);
    let place = i18n::household_place(&household, &village);
    let id = household.id;
    let visited_here =
        notebook.visits.with_untracked(|visits| visits.iter().any(|v| v.record.household_id == id && !v.deleted));
    let reached = local.visits.count > 0 || visited_here;
    let last = local.visits.last.map(|last| i18n::last_visit(&last.by, &format_local(last.at)));
    // A conflict or a refusal shows on the card: the volunteer finds it from the list.
    let waiting = matches!(local.sync, SyncState::Conflict { .. } | SyncState::Rejected { .. });
    let sync_mark = waiting.then(|| {
        let (label, class, _) = sync_badge(local.sync.clone());
        view! { <span class=class data-testid="household-sync">{label}</span> }
    });
    view! {
        <li class="household-card" data-household-id=household.id.to_string()>
            <A href=href attr:class="card-link">
                <div class="visit-head">
                    <strong>{name}</strong>
                    {sync_mark}
                    <span class=if reached { "badge synced" } else { "badge pending" }>
                        {if reached { i18n::REACHED } else { i18n::NOT_REACHED }}
                    </span>
                </div>
                <p class="visit-where">{place}</p>
                {last.map(|last| view! { <p class="visit-what">{last}</p> })}
            </A>
        </li>
    }
}
