//! Logging a household visit. Saved to the phone at once; pushed when there is signal.

use crate::components::{PeopleStepper, TopBar};
use crate::i18n;
use crate::notebook::Notebook;
use crate::store::{LocalVisit, StoreError};
use crate::sync::{self, SyncStatus};
use crate::text::nfc;
use chrono::Utc;
use gocua_domain::catalogue::CATALOGUE;
use gocua_domain::visit::HouseholdInput;
use gocua_domain::{Field, FieldError, PeopleGuided, TargetGroup, Visit, VisitId, VisitInput};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use std::collections::BTreeSet;

#[component]
pub fn VisitFormPage() -> impl IntoView {
    let notebook = expect_context::<Notebook>();
    let status = expect_context::<SyncStatus>();
    let navigate = use_navigate();
    let villages =
        notebook.session.with_untracked(|s| s.as_ref().map(|s| s.profile.villages.clone()).unwrap_or_default());
    // One village: nothing to choose.
    let village = RwSignal::new(if villages.len() == 1 { villages[0].id.to_string() } else { String::new() });
    let head_name = RwSignal::new(String::new());
    let address = RwSignal::new(String::new());
    let people = RwSignal::new(PeopleGuided::default());
    let skills = RwSignal::new(BTreeSet::<String>::new());
    let note = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let save_problem = RwSignal::new(None::<&'static str>);

    let error_for = move |field: Field| {
        move || {
            errors.with(|errors| {
                errors
                    .iter()
                    .filter(|error| error.field == field)
                    .map(FieldError::message_vi)
                    .collect::<Vec<_>>()
                    .join(" ")
            })
        }
    };

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let now = Utc::now();
        let input = VisitInput {
            id: VisitId::new().to_string(),
            village_id: village.get_untracked().parse().unwrap_or(0),
            household: HouseholdInput {
                head_name: nfc(&head_name.get_untracked()),
                address: nfc(&address.get_untracked()),
            },
            people: people.get_untracked(),
            skills: skills.get_untracked().into_iter().collect(),
            note: nfc(&note.get_untracked()),
            visited_at: Some(now),
        };
        match Visit::parse(&input, now) {
            Err(problems) => errors.set(problems),
            Ok(visit) => match notebook.keep(LocalVisit::new(visit, now)) {
                Ok(()) => {
                    navigate("/", Default::default());
                    spawn_local(sync::push_pending(notebook, status));
                }
                Err(StoreError::QuotaExceeded) => save_problem.set(Some(i18n::ERROR_STORAGE_FULL)),
                Err(_) => save_problem.set(Some(i18n::ERROR_STORAGE_UNAVAILABLE)),
            },
        }
    };

    let stepper = move |group: TargetGroup| {
        let count = Signal::derive(move || people.with(|p| p.get(group)));
        let on_change = Callback::new(move |value| people.update(|p| p.set(group, value)));
        view! { <PeopleStepper label=group.label() count on_change /> }
    };
    let elderly = Signal::derive(move || people.with(|p| p.elderly));
    let set_elderly = Callback::new(move |value| people.update(|p| p.elderly = value));

    view! {
        <TopBar />
        <main class="page visit-form">
            <h1>{i18n::NEW_VISIT}</h1>
            <form on:submit=submit novalidate>
                <Show when=move || !errors.with(Vec::is_empty)>
                    <p class="error" role="alert">{i18n::FIX_ERRORS}</p>
                </Show>
                <Show when=move || save_problem.get().is_some()>
                    <p class="error" role="alert">{move || save_problem.get()}</p>
                </Show>

                <label for="village">{i18n::VILLAGE}</label>
                <select id="village" bind:value=village>
                    <option value="">{i18n::CHOOSE_VILLAGE}</option>
                    {villages
                        .into_iter()
                        .map(|v| view! { <option value=v.id.to_string()>{v.name}</option> })
                        .collect_view()}
                </select>
                <p class="field-error">{error_for(Field::Village)}</p>

                <label for="head-name">{i18n::HEAD_NAME}</label>
                <input id="head-name" autocomplete="off" autocapitalize="words" bind:value=head_name />
                <p class="field-error">{error_for(Field::HeadName)}</p>

                <label for="address">{i18n::ADDRESS}</label>
                <input id="address" autocomplete="off" bind:value=address />
                <p class="field-error">{error_for(Field::Address)}</p>

                <fieldset>
                    <legend>{i18n::PEOPLE_GUIDED}</legend>
                    {TargetGroup::ALL.into_iter().map(stepper).collect_view()}
                    <PeopleStepper label=i18n::ELDERLY count=elderly on_change=set_elderly />
                    <p class="field-error">{error_for(Field::People)}</p>
                </fieldset>

                <fieldset class="skills">
                    <legend>{i18n::SKILLS}</legend>
                    {CATALOGUE
                        .iter()
                        .map(|skill| {
                            let code = skill.code;
                            let checked = move || skills.with(|chosen| chosen.contains(code));
                            let toggle = move |_| skills.update(|chosen| {
                                if !chosen.remove(code) {
                                    chosen.insert(code.to_owned());
                                }
                            });
                            view! {
                                <label class="skill">
                                    <input type="checkbox" value=code prop:checked=checked on:change=toggle />
                                    <span>{skill.label}</span>
                                    <small>{skill.group.label()}</small>
                                </label>
                            }
                        })
                        .collect_view()}
                    <p class="field-error">{error_for(Field::Skills)}</p>
                </fieldset>

                <label for="note">{i18n::NOTE}</label>
                <textarea id="note" rows="3" bind:value=note></textarea>
                <p class="field-error">{error_for(Field::Note)}</p>

                <div class="actions">
                    <A href="/" attr:class="button secondary">{i18n::CANCEL}</A>
                    <button type="submit" class="primary">{i18n::SAVE}</button>
                </div>
            </form>
        </main>
    }
}
