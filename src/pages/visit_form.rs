//! Logging (or correcting) a visit. Saved to the phone at once; pushed when
//! there is signal. Quick with one hand: now, the household chosen from a
//! short search, taps instead of typing. A half-filled form is kept as a
//! draft in local storage until it is saved or discarded.

use crate::components::{field_errors, FormAlerts, HouseholdCard, PeopleStepper};
use crate::i18n;
use crate::notebook::Notebook;
use crate::store::{LocalVisit, StoreError, VisitDraft};
use crate::sync::{self, SyncStatus};
use crate::text::nfc;
use chrono::Utc;
use gocua_domain::catalogue::{skill_offer, CatalogueEntry};
use gocua_domain::search::{compare_names, matches};
use gocua_domain::sync::phone;
use gocua_domain::time::{format_local_input, parse_local_input};
use gocua_domain::visit::{FollowUpInput, SkillTaughtInput};
use gocua_domain::{Field, FieldError, HouseholdId, Outcome, TargetGroup, Visit, VisitId, VisitInput};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

/// Households offered while choosing; typing narrows them.
const PICKER_SHOWN: usize = 8;

/// Where the form starts: the visit being corrected, the draft left
/// behind, or a new visit (now, guided, the household asked for).
fn starting_draft(notebook: &Notebook, editing: Option<VisitId>, household: Option<HouseholdId>) -> VisitDraft {
    if let Some(local) = editing.and_then(|id| notebook.logged(id)) {
        return VisitDraft { visit: local.record.to_input(), editing: true };
    }
    let kept = notebook.store().ok().and_then(|store| store.draft()).filter(|draft| !draft.editing);
    let mut draft = kept.unwrap_or_else(|| VisitDraft {
        visit: VisitInput {
            id: VisitId::new().to_string(),
            outcome: Some(Outcome::Guided),
            visited_at: Some(Utc::now()),
            ..Default::default()
        },
        editing: false,
    });
    if let Some(household) = household {
        draft.visit.household_id = household.to_string();
    }
    draft
}

#[component]
pub fn VisitFormPage() -> impl IntoView {
    let notebook = expect_context::<Notebook>();
    let status = expect_context::<SyncStatus>();
    let navigate = use_navigate();
    let editing_id = use_params_map().with_untracked(|p| p.get("id")).and_then(|raw| VisitId::parse(&raw));
    let asked_household =
        use_query_map().with_untracked(|q| q.get("household")).and_then(|raw| HouseholdId::parse(&raw));
    let draft = starting_draft(&notebook, editing_id, asked_household);
    let editing = draft.editing;
    // A teammate's visit, opened on a leader's phone: only its author edits it; a leader may void it.
    let foreign = editing_id.and_then(|id| notebook.logged(id)).is_some_and(|local| local.author_id.is_some());
    let void_problem = RwSignal::new(None::<String>);
    let void = {
        let navigate = navigate.clone();
        move |_| {
            if !window().confirm_with_message(i18n::VOID_CONFIRM).unwrap_or(false) {
                return;
            }
            let (Some(id), Some(token)) = (editing_id, crate::pages::account::token(notebook)) else { return };
            let navigate = navigate.clone();
            leptos::task::spawn_local(async move {
                match crate::api::void_visit(&token, &id.to_string()).await {
                    Ok(()) => {
                        notebook.forget(id);
                        navigate("/", Default::default());
                    }
                    Err(error) => void_problem.set(Some(crate::pages::account::failure(&error))),
                }
            });
        }
    };
    let form = RwSignal::new(draft.visit);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let problem = RwSignal::new(None::<&'static str>);
    let picker_query = RwSignal::new(String::new());

    // Keep the half-filled form through reloads and phone calls.
    Effect::new(move |_| {
        let visit = form.get();
        if let Ok(store) = notebook.store() {
            let _ = store.save_draft(&VisitDraft { visit, editing });
        }
    });

    let error_for = move |field: Field| field_errors(errors, field);
    let household = move || form.with(|f| HouseholdId::parse(&f.household_id)).and_then(|id| notebook.household(id));
    // Before anything is typed, the households most recently recorded come
    // first (the next door is usually next to the last one); once a name is
    // typed, matches in Vietnamese name order.
    let candidates = move || {
        let query = picker_query.get();
        let mut found: Vec<_> = notebook.households.with(|hs| {
            hs.iter()
                .filter(|h| matches(&format!("{} {}", h.household.head_name, h.household.address), &query))
                .cloned()
                .collect()
        });
        if query.trim().is_empty() {
            found.reverse();
        } else {
            found.sort_by(|a, b| compare_names(&a.household.head_name, &b.household.head_name));
        }
        found.truncate(PICKER_SHOWN);
        found
    };
    let outcome = move || form.with(|f| f.outcome);
    let guided = move || outcome() == Some(Outcome::Guided);

    let finish = {
        let navigate = navigate.clone();
        move || {
            if let Ok(store) = notebook.store() {
                store.clear_draft();
            }
            navigate("/", Default::default());
        }
    };
    let submit = {
        let finish = finish.clone();
        move |event: leptos::ev::SubmitEvent| {
            event.prevent_default();
            crate::perf::mark("gocua:save:start");
            let mut input = form.get_untracked();
            input.note = nfc(&input.note);
            if let Some(follow_up) = &mut input.follow_up {
                follow_up.reason = nfc(&follow_up.reason);
            }
            let original = editing_id.and_then(|id| notebook.logged(id));
            let now = Utc::now();
            match Visit::parse(&input, now, &notebook.catalogue.get_untracked()) {
                Err(problems) => {
                    errors.set(problems);
                    window().scroll_to_with_x_and_y(0.0, 0.0);
                }
                Ok(visit) => {
                    let local = match original {
                        Some(mut local) => {
                            phone::edit(&mut local, visit);
                            local
                        }
                        None => LocalVisit::new(visit, now),
                    };
                    let kept = notebook.keep(local);
                    crate::perf::mark("gocua:save:end");
                    match kept {
                        Ok(()) => {
                            finish();

                            sync::sync_soon(notebook, status);
                        }
                        Err(StoreError::QuotaExceeded) => problem.set(Some(i18n::ERROR_STORAGE_FULL)),
                        Err(_) => problem.set(Some(i18n::ERROR_STORAGE_UNAVAILABLE)),
                    }
                }
            }
        }
    };
    let discard = {
        let finish = finish.clone();
        move |_| finish()
    };
    let delete = move |_| {
        let Some(id) = editing_id else { return };
        if window().confirm_with_message(i18n::DELETE_VISIT_CONFIRM).unwrap_or(false) && notebook.delete(id).is_ok() {
            finish();
            sync::sync_soon(notebook, status);
        }
    };

    let stepper = move |group: TargetGroup| {
        let count = Signal::derive(move || form.with(|f| f.people.get(group)));
        let on_change = Callback::new(move |value| form.update(|f| f.people.set(group, value)));
        view! { <PeopleStepper label=group.label() count on_change /> }
    };
    let elderly = Signal::derive(move || form.with(|f| f.people.elderly));
    let set_elderly = Callback::new(move |value| form.update(|f| f.people.elderly = value));

    let skill_row = move |entry: &CatalogueEntry, with_programme: bool| {
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
    };
    // The team's most taught skills first, the rest folded under their programmes.
    let skill_choices = move || {
        notebook.catalogue.with(|catalogue| {
            // Read once: a sync arriving mid-form never moves the buttons under a thumb.
            let offer = notebook.visits.with_untracked(|visits| {
                let taught = visits.iter().filter(|v| !v.deleted).flat_map(|v| v.record.skills.iter().map(|s| &s.code));
                skill_offer(catalogue, taught)
            });
            // A programme holding a skill already chosen (an edit, a draft) starts open.
            let chosen: Vec<String> = form.with_untracked(|f| f.skills.iter().map(|s| s.code.clone()).collect());
            let first = offer.first.iter().map(|entry| skill_row(entry, true)).collect_view();
            let programmes = offer
                .by_programme
                .into_iter()
                .map(|(programme, entries)| {
                    let open = entries.iter().any(|entry| chosen.contains(&entry.code));
                    view! {
                        <details class="skill-group" open=open>
                            <summary>{programme.label()}</summary>
                            {entries.iter().map(|entry| skill_row(entry, false)).collect_view()}
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
    };

    view! {
        <main class="page visit-form">
            <h1>{if editing { i18n::EDIT_VISIT } else { i18n::NEW_VISIT }}</h1>
            <form on:submit=submit novalidate>
                <FormAlerts errors problem />

                <fieldset>
                    <legend>{i18n::HOUSEHOLD}</legend>
                    {move || match household() {
                        Some(local) => view! {
                            <ul class="visits"><HouseholdCard local=local.clone() href=format!("/households/{}", local.household.id) /></ul>
                            <button type="button" class="secondary" on:click=move |_| form.update(|f| f.household_id.clear())>{i18n::CHANGE_HOUSEHOLD}</button>
                        }.into_any(),
                        None => view! {
                            <input type="search" aria-label=i18n::CHOOSE_HOUSEHOLD placeholder=i18n::CHOOSE_HOUSEHOLD bind:value=picker_query />
                            <ul class="picker">
                                {candidates().into_iter().map(|local| {
                                    let id = local.household.id.to_string();
                                    view! {
                                        <li><button type="button" class="pick" on:click=move |_| form.update(|f| f.household_id = id.clone())>
                                            <strong>{i18n::household_name(&local.household)}</strong> " · " {local.household.address.clone()}
                                        </button></li>
                                    }
                                }).collect_view()}
                            </ul>
                            <A href="/households/new?then=visit" attr:class="button secondary wide">{i18n::NEW_HOUSEHOLD}</A>
                            <details class="consent-reminder">
                                <summary>{i18n::CONSENT_TITLE}</summary>
                                <p class="notice">{i18n::CONSENT_NOTICE}</p>
                            </details>
                        }.into_any(),
                    }}
                    <p class="field-error">{error_for(Field::HouseholdId)}</p>
                </fieldset>

                <fieldset>
                    <legend>{i18n::OUTCOME}</legend>
                    <div class="outcomes">
                        {Outcome::ALL.into_iter().map(|choice| view! {
                            <button type="button" class="chip" aria-pressed=move || (outcome() == Some(choice)).to_string()
                                on:click=move |_| form.update(|f| {
                                    f.outcome = Some(choice);
                                    if choice != Outcome::Guided {
                                        f.people = Default::default();
                                        f.skills.clear();
                                    }
                                })>{choice.label_vi()}</button>
                        }).collect_view()}
                    </div>
                    <p class="field-error">{error_for(Field::Outcome)}</p>
                    <Show when=move || outcome() == Some(Outcome::ComeBack)>
                        <label for="come-back-on">{i18n::COME_BACK_ON}</label>
                        <input id="come-back-on" type="date" prop:value=move || form.with(|f| f.come_back_on.map(|d| d.to_string()).unwrap_or_default())
                            on:input=move |ev| form.update(|f| f.come_back_on = event_target_value(&ev).parse().ok()) />
                        <p class="field-error">{error_for(Field::ComeBackOn)}</p>
                    </Show>
                </fieldset>

                <label for="visited-at">{i18n::VISITED_AT}</label>
                <input id="visited-at" type="datetime-local" prop:value=move || form.with(|f| f.visited_at.map(format_local_input).unwrap_or_default())
                    on:input=move |ev| form.update(|f| f.visited_at = parse_local_input(&event_target_value(&ev))) />
                <p class="field-error">{error_for(Field::VisitedAt)}</p>

                <Show when=guided>
                    <fieldset>
                        <legend>{i18n::PEOPLE_GUIDED}</legend>
                        {TargetGroup::ALL.into_iter().map(stepper).collect_view()}
                        <PeopleStepper label=i18n::ELDERLY count=elderly on_change=set_elderly />
                        <p class="field-error">{error_for(Field::People)}</p>
                    </fieldset>
                    <fieldset class="skills">
                        <legend>{i18n::SKILLS}</legend>
                        {skill_choices}
                        <p class="field-error">{error_for(Field::Skills)}</p>
                    </fieldset>
                </Show>

                <label for="note">{i18n::NOTE}</label>
                <textarea id="note" rows="3" prop:value=move || form.with(|f| f.note.clone())
                    on:input=move |ev| form.update(|f| f.note = event_target_value(&ev))></textarea>
                <p class="field-error">{error_for(Field::Note)}</p>

                <label for="follow-up-on">{i18n::FOLLOW_UP_ON}</label>
                <input id="follow-up-on" type="date" prop:value=move || form.with(|f| f.follow_up.as_ref().and_then(|x| x.on).map(|d| d.to_string()).unwrap_or_default())
                    on:input=move |ev| form.update(|f| f.follow_up.get_or_insert_with(FollowUpInput::default).on = event_target_value(&ev).parse().ok()) />
                <p class="field-error">{error_for(Field::FollowUpOn)}</p>
                <label for="follow-up-reason">{i18n::FOLLOW_UP_REASON}</label>
                <input id="follow-up-reason" prop:value=move || form.with(|f| f.follow_up.as_ref().map(|x| x.reason.clone()).unwrap_or_default())
                    on:input=move |ev| form.update(|f| f.follow_up.get_or_insert_with(FollowUpInput::default).reason = event_target_value(&ev)) />
                <p class="field-error">{error_for(Field::FollowUpReason)}</p>

                {if foreign {
                    view! {
                        <p class="notice warn">{i18n::TEAMMATES_VISIT}</p>
                        <button type="button" class="danger wide" on:click=void.clone()>{i18n::VOID_VISIT}</button>
                        <Show when=move || void_problem.with(Option::is_some)>
                            <p class="error" role="alert">{move || void_problem.get()}</p>
                        </Show>
                    }.into_any()
                } else {
                    view! {
                        <div class="actions">
                            <button type="button" class="secondary" on:click=discard.clone()>{i18n::DISCARD}</button>
                            <button type="submit" class="primary">{i18n::SAVE}</button>
                        </div>
                        {editing.then(|| view! { <button type="button" class="danger wide" on:click=delete.clone()>{i18n::DELETE}</button> })}
                    }.into_any()
                }}

            </form>
        </main>
    }
}
