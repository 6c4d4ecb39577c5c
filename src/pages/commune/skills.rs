//! The skill catalogue: add a skill the commune teaches, retire one it no
//! longer does (old visits keep showing it), or offer it again; and say
//! which of the national target's five basic skills each one counts for.

use crate::api;
use crate::i18n;
use crate::notebook::Notebook;
use crate::pages::remote::{change_failure, failure, load_failure, signed_in, Problem};
use gocua_domain::api::{NewSkillRequest, SkillChange};
use gocua_domain::catalogue::BasicSkill;
use gocua_domain::{CatalogueEntry, SkillGroup};
use leptos::prelude::*;

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

/// What the coordinator changes: a skill of the list, or a new one.
#[derive(Debug, Clone)]
enum Edit {
    Change { code: String, change: SkillChange },
    Add(NewSkillRequest),
}

#[component]
pub fn Skills() -> impl IntoView {
    let notebook = expect_context::<Notebook>();
    let (code, label, group) = (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(0usize));
    // The server's catalogue becomes the phone's (what the visit form offers), read again after each change.
    let refreshed = LocalResource::new(move || async move {
        let token = signed_in(notebook)?;
        let catalogue = api::catalogue(&token).await.map_err(|error| failure(&error))?;
        let _ = notebook.set_catalogue(catalogue);
        Ok(())
    });
    let edit = Action::new_local(move |edit: &Edit| {
        let edit = edit.clone();
        async move {
            let token = signed_in(notebook)?;
            let added = matches!(edit, Edit::Add(_));
            let answer = match edit {
                Edit::Change { code, change } => api::change_skill(&token, &code, &change).await.map(drop),
                Edit::Add(request) => api::add_skill(&token, &request).await.map(drop),
            };
            answer.map(|()| added).map_err(|error| failure(&error))
        }
    });
    // A change stored: the catalogue is read again, and a new skill's form empties.
    Effect::new(move |_| {
        let Some(Ok(added)) = edit.value().get() else { return };
        if added {
            code.set(String::new());
            label.set(String::new());
        }
        refreshed.refetch();
    });
    let problem = Signal::derive(move || change_failure(edit).or_else(|| load_failure(refreshed)));
    let change = move |code: String, change: SkillChange| {
        edit.dispatch_local(Edit::Change { code, change });
    };
    let set_retired = move |entry: CatalogueEntry, retired: bool| {
        change(entry.code, SkillChange { retired: Some(retired), ..Default::default() })
    };
    let set_basic_skill = move |entry: CatalogueEntry, chosen: String| {
        change(entry.code, SkillChange { basic_skill: Some(BasicSkill::parse(&chosen)), ..Default::default() })
    };
    let add = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        edit.dispatch_local(Edit::Add(NewSkillRequest {
            code: code.get_untracked(),
            group: GROUPS[group.get_untracked()],
            label: crate::text::nfc(&label.get_untracked()),
            // The server gives it what the starting mapping says of its code; changed in the list after.
            basic_skill: None,
        }));
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
                <button type="submit" class="primary" disabled=move || edit.pending().get()>{i18n::ADD}</button>
            </form>
        </section>
    }
}
