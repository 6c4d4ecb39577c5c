//! One visit in a list: the household, the outcome, the sync state, and for
//! the volunteer's own visits the way to open it.

use super::sync_badge;
use crate::i18n;
use crate::notebook::Notebook;
use crate::store::LocalVisit;
use gocua_domain::time::format_local;
use gocua_domain::Outcome;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn VisitCard(local: LocalVisit) -> impl IntoView {
    let notebook = expect_context::<Notebook>();
    let visit = local.record;
    let household = notebook.household(visit.household_id);
    let (name, place) = match &household {
        Some(h) => {
            let village = notebook.village_name(h.household.village_id);
            (i18n::household_name(&h.household), i18n::household_place(&h.household, &village))
        }
        None => (String::new(), String::new()),
    };
    let (badge, class, reason) = sync_badge(local.sync);
    let what = if visit.outcome == Outcome::Guided {
        format!("{} · {}", i18n::people_count(visit.people.total()), i18n::skills_count(visit.skills.len()))
    } else {
        visit.outcome.label_vi().to_owned()
    };
    // Labels from the cached catalogue; a skill since retired keeps its label.
    let skills = notebook.catalogue.with_untracked(|catalogue| {
        visit
            .skills
            .iter()
            .map(|taught| i18n::skill_taught(catalogue.label(&taught.code), taught.completed))
            .collect::<Vec<_>>()
            .join("; ")
    });
    view! {
        <li class="visit-card" data-visit-id=visit.id.to_string()>
            <A href=format!("/visits/{}/edit", visit.id) attr:class="card-link">
                <div class="visit-head">
                    <strong>{name}</strong>
                    <span class=class>{badge}</span>
                </div>
                <p class="visit-where">{place}</p>
                <p class="visit-what">{format_local(visit.visited_at)} " · " {what}</p>
                {(!skills.is_empty()).then(|| view! { <p class="visit-skills">{skills}</p> })}

            </A>
            {reason.map(|reason| view! { <p class="error">{reason}</p> })}
        </li>
    }
}
