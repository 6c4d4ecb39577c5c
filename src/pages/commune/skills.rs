//! The skill catalogue: add a skill the commune teaches, retire one it no
//! longer does (old visits keep showing it), or offer it again; and say
//! which of the national target's five basic skills each one counts for.

use super::Problem;
use crate::api;
use crate::i18n;
use crate::notebook::Notebook;
use crate::pages::account::{failure, token};
use gocua_domain::api::{NewSkillRequest, SkillChange};
use gocua_domain::catalogue::BasicSkill;
use gocua_domain::{CatalogueEntry, SkillGroup};
use leptos::prelude::*;
use leptos::task::spawn_local;

const GROUPS: [SkillGroup; 10] = [
    SkillGroup::DigitalIdentity,
    SkillGroup::PublicServices,
    SkillGroup::CashlessPayment,
    SkillGroup::OnlineSafety,
    SkillGroup::DigitalMarket,
    SkillGroup::SmartDevices,
    SkillGroup::DigitalLearning,
    SkillGroup::OnlineShopping,
    SkillGroup::LocalPlatforms,
    SkillGroup::DigitalHealth,
];

#[component]
pub fn Skills() -> impl IntoView {
    let notebook = expect_context::<Notebook>();
    let problem = RwSignal::new(None::<String>);
    let (code, label, group) = (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(0usize));
    // Keeps the phone's cached catalogue (what the visit form offers) in step with the change.
    let refresh = move || {
        let Some(token) = token(notebook) else { return };
        spawn_local(async move {
            match api::catalogue(&token).await {
                Ok(catalogue) => {
                    let _ = notebook.set_catalogue(catalogue);
                }
                Err(error) => problem.set(Some(failure(&error))),
            }
        });
    };
    refresh();
    let change = move |code: String, change: SkillChange| {
        let Some(token) = token(notebook) else { return };
        spawn_local(async move {
            match api::change_skill(&token, &code, &change).await {
                Ok(_) => {
                    problem.set(None);
                    refresh();
                }
                Err(error) => problem.set(Some(failure(&error))),
            }
        });
    };
    let set_retired = move |entry: CatalogueEntry, retired: bool| {
        change(entry.code, SkillChange { retired: Some(retired), ..Default::default() })
    };
    let set_basic_skill = move |entry: CatalogueEntry, chosen: String| {
        change(entry.code, SkillChange { basic_skill: Some(BasicSkill::parse(&chosen)), ..Default::default() })
    };
    let add = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(token) = token(notebook) else { return };
        let request = NewSkillRequest {
            code: code.get_untracked(),
            group: GROUPS[group.get_untracked()],
            label: crate::text::nfc(&label.get_untracked()),
            // The server gives it what the starting mapping says of its code; changed in the list after.
            basic_skill: None,
        };
        spawn_local(async move {
            match api::add_skill(&token, &request).await {
                Ok(_) => {
                    problem.set(None);
                    code.set(String::new());
                    label.set(String::new());
                    refresh();
                }
                Err(error) => problem.set(Some(failure(&error))),
            }
        });
    };
    view! {
        <section class="card" data-testid="skills">
            <h2>{i18n::SKILLS_TITLE}</h2>
            <Problem problem />
            <p class="hint">{i18n::BASIC_SKILL_HINT}</p>
            <ul class="rows">
                {move || notebook.catalogue.get().skills.into_iter().map(|entry| {
                    let retired = entry.retired;
                    let toggled = entry.clone();
                    let mapped = entry.clone();
                    let current = entry.basic_skill.map_or("", BasicSkill::as_str);
                    view! {
                        <li class="row" class:retired=retired data-skill=entry.code.clone()>
                            <span class="row-name">{entry.label.clone()}<span class="hint">{format!(" · {}", entry.group.label())}</span></span>
                            <button type="button" class="link" on:click=move |_| set_retired(toggled.clone(), !retired)>
                                {if retired { i18n::SKILL_RESTORE } else { i18n::SKILL_RETIRE }}
                            </button>
                            <select class="basic-skill" aria-label=i18n::basic_skill_of(&entry.label)
                                on:change=move |ev| set_basic_skill(mapped.clone(), event_target_value(&ev))>
                                <option value="" selected=current.is_empty()>{i18n::BASIC_SKILL_NONE}</option>
                                {BasicSkill::ALL.iter().map(|basic| view! {
                                    <option value=basic.as_str() selected=current == basic.as_str()>{basic.label()}</option>
                                }).collect_view()}
                            </select>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <form on:submit=add>
                <label for="skill-label">{i18n::NEW_SKILL}</label>
                <input id="skill-label" bind:value=label />
                <label for="skill-group">{i18n::SKILL_GROUP}</label>
                <select id="skill-group" on:change=move |ev| group.set(event_target_value(&ev).parse().unwrap_or(0))>
                    {GROUPS.iter().enumerate().map(|(i, g)| view! { <option value=i.to_string()>{g.label()}</option> }).collect_view()}
                </select>
                <label for="skill-code">{i18n::SKILL_CODE}</label>
                <input id="skill-code" autocapitalize="none" autocomplete="off" bind:value=code />
                <p class="hint">{i18n::SKILL_CODE_HINT}</p>
                <button type="submit" class="primary">{i18n::ADD}</button>
            </form>
        </section>
    }
}
