//! The skills taught in a visit, each "guided" or "completed": the team's
//! most taught ones first, the rest folded under their programmes.

use crate::i18n;
use crate::notebook::Notebook;
use gocua_domain::catalogue::{skill_offer, CatalogueEntry};
use gocua_domain::visit::SkillTaughtInput;
use gocua_domain::VisitInput;
use leptos::prelude::*;

#[component]
pub fn SkillChoices(form: RwSignal<VisitInput>) -> impl IntoView {
    let notebook = expect_context::<Notebook>();
    move || {
        notebook.catalogue.with(|catalogue| {
            // Read once: a sync arriving mid-form never moves the buttons under a thumb.
            let offer = notebook.visits.with_untracked(|visits| {
                let taught = visits.iter().filter(|v| !v.deleted).flat_map(|v| v.record.skills.iter().map(|s| &s.code));
                skill_offer(catalogue, taught)
            });
            // A programme holding a skill already chosen (an edit, a draft) starts open.
            let chosen: Vec<String> = form.with_untracked(|f| f.skills.iter().map(|s| s.code.clone()).collect());
            let first = offer.first.iter().map(|entry| skill_row(form, entry, true)).collect_view();
            let programmes = offer
                .by_programme
                .into_iter()
                .map(|(programme, entries)| {
                    let open = entries.iter().any(|entry| chosen.contains(&entry.code));
                    view! {
                        <details class="skill-group" open=open>
                            <summary>{programme.label()}</summary>
                            {entries.iter().map(|entry| skill_row(form, entry, false)).collect_view()}
                        </details>
                    }
                })
                .collect_view();
            view! {
                {first}
                <p class="skills-more">{i18n::SKILLS_BY_PROGRAMME}</p>
                {programmes}
            }
        })
    }
}

/// One skill with its two chips; tapping the chosen chip again unchooses it.
fn skill_row(form: RwSignal<VisitInput>, entry: &CatalogueEntry, with_programme: bool) -> impl IntoView {
    let code = entry.code.clone();
    let state = {
        let code = code.clone();
        move || form.with(|f| f.skills.iter().find(|s| s.code == code).map(|s| s.completed))
    };
    let toggle = {
        let code = code.clone();
        move |completed: bool| {
            form.update(|f| match f.skills.iter().position(|s| s.code == code) {
                Some(at) if f.skills[at].completed == completed => {
                    f.skills.remove(at);
                }
                Some(at) => f.skills[at].completed = completed,
                None => f.skills.push(SkillTaughtInput { code: code.clone(), completed }),
            })
        }
    };
    let toggle_completed = toggle.clone();
    let (state_guided, state_completed) = (state.clone(), state);
    let programme = with_programme.then(|| view! { <small>{entry.group.label()}</small> });
    view! {
        <div class="skill" data-skill=code>
            <span>{entry.label.clone()}{programme}</span>
            <button type="button" class="chip" aria-pressed=move || (state_guided() == Some(false)).to_string()
                on:click=move |_| toggle(false)>{i18n::GUIDED}</button>
            <button type="button" class="chip" aria-pressed=move || (state_completed() == Some(true)).to_string()
                on:click=move |_| toggle_completed(true)>{i18n::COMPLETED}</button>
        </div>
    }
}
