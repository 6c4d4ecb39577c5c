//! Logging (or correcting) a visit. Saved to the phone at once; pushed when
//! there is signal. Quick with one hand: now, the household chosen from a
//! short search, taps instead of typing. A half-filled form is kept as a
//! draft in local storage until it is saved or discarded.

mod household_choice;
mod outcome_choice;
mod people_count;
mod skill_choices;
mod void_visit;

use crate::components::{field_errors, storage_failure, FormAlerts};
use crate::i18n;
use crate::notebook::{Notebook, Written};
use crate::store::VisitDraft;
use crate::sync::{self, SyncStatus};
use crate::text::nfc;
use chrono::Utc;
use gocua_domain::sync::phone;
use gocua_domain::time::{format_local_input, parse_local_input};
use gocua_domain::visit::FollowUpInput;
use gocua_domain::{Field, FieldError, HouseholdId, Outcome, Visit, VisitId, VisitInput};
use household_choice::HouseholdChoice;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use outcome_choice::OutcomeChoice;
use people_count::PeopleCount;
use skill_choices::SkillChoices;
use void_visit::VoidVisit;

/// Where the form starts: the visit being corrected (as the form shows
/// it), the draft left behind, or a new visit (now, guided, the household
/// asked for).
fn starting_draft(notebook: &Notebook, editing: Option<&Visit>, household: Option<HouseholdId>) -> VisitDraft {
    if let Some(shown) = editing {
        return VisitDraft { visit: shown.to_input(), editing: true };
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
    let asked = use_query_map().with_untracked(|q| q.get("household"));
    let asked_household = asked.as_deref().and_then(HouseholdId::parse).filter(|&id| notebook.household(id).is_some());
    // A link naming a household this phone does not hold (mistyped, or another team's): said, then chosen here.
    let unknown_in_link = asked.is_some() && asked_household.is_none();
    let opened = editing_id.and_then(|id| notebook.logged(id));
    // A teammate's visit, opened on a leader's phone: only its author edits it; a leader may void it.
    let foreign = opened.as_ref().is_some_and(|local| local.author_id.is_some());
    // A visit in conflict opens as keeping this phone's version would store it
    // (docs/sync-protocol.md), and says so.
    let merged = opened.as_ref().and_then(phone::merged_for_form);
    let edits_a_conflict = merged.is_some();
    // The version the form shows: saving edits it, whatever a sync brings meanwhile.
    let opened = opened.map(|local| merged.unwrap_or(local.record));
    let draft = starting_draft(&notebook, opened.as_ref(), asked_household);
    let editing = draft.editing;
    let form = RwSignal::new(draft.visit);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let problem = RwSignal::new(None::<&'static str>);

    // Keep the half-filled form through reloads and phone calls.
    Effect::new(move |_| {
        let visit = form.get();
        if let Ok(store) = notebook.store() {
            let _ = store.save_draft(&VisitDraft { visit, editing });
        }
    });

    let error_for = move |field: Field| field_errors(errors, field);
    let guided = move || form.with(|f| f.outcome) == Some(Outcome::Guided);

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
            let now = Utc::now();
            match Visit::parse(&input, now, &notebook.catalogue.get_untracked()) {
                Err(problems) => {
                    errors.set(problems);
                    window().scroll_to_with_x_and_y(0.0, 0.0);
                }
                Ok(visit) => {
                    // Voided meanwhile: what was typed becomes a new visit, if the volunteer says so.
                    let kept = notebook.keep_from_form(opened.as_ref(), visit, now, || {
                        window().confirm_with_message(i18n::EDITED_VISIT_GONE_CONFIRM).unwrap_or(false)
                    });
                    crate::perf::mark("gocua:save:end");
                    match kept {
                        Ok(Written::Kept) => {
                            finish();
                            sync::sync_soon(notebook, status);
                        }
                        Ok(Written::EditedRecordGone) => {}
                        Err(error) => problem.set(Some(storage_failure(&error))),
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

    view! {
        <main class="page visit-form">
            <h1>{if editing { i18n::EDIT_VISIT } else { i18n::NEW_VISIT }}</h1>
            <form on:submit=submit novalidate>
                <FormAlerts errors problem />
                {edits_a_conflict.then(|| view! { <p class="hint" data-testid="edit-in-conflict">{i18n::EDITING_VISIT_IN_CONFLICT}</p> })}
                {unknown_in_link.then(|| view! { <p class="warning" role="status">{i18n::HOUSEHOLD_IN_LINK_UNKNOWN}</p> })}

                <HouseholdChoice form errors />
                <OutcomeChoice form errors />

                <label for="visited-at">{i18n::VISITED_AT}</label>
                <input id="visited-at" type="datetime-local" prop:value=move || form.with(|f| f.visited_at.map(format_local_input).unwrap_or_default())
                    on:input=move |ev| form.update(|f| f.visited_at = parse_local_input(&event_target_value(&ev))) />
                <p class="field-error">{error_for(Field::VisitedAt)}</p>

                <Show when=guided>
                    <PeopleCount form errors />
                    <fieldset class="skills">
                        <legend>{i18n::SKILLS}</legend>
                        <SkillChoices form />
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

                {if let Some(id) = editing_id.filter(|_| foreign) {
                    view! { <VoidVisit id /> }.into_any()
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
