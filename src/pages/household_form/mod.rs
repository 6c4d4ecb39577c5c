//! Adding or correcting a household, in a few taps. A household that looks
//! like one already recorded (same village, same name or address, diacritics
//! aside) is flagged before a twin is created.

mod consent_choice;
mod personal_fields;

use crate::components::{field_errors, storage_failure, FormAlerts, PeopleStepper};
use crate::i18n;
use crate::notebook::Notebook;
use crate::store::LocalHousehold;
use crate::sync::{self, SyncStatus};
use crate::text::nfc;
use consent_choice::ConsentChoice;
use gocua_domain::household::MAX_MEMBERS;
use gocua_domain::sync::phone;
use gocua_domain::time::format_local;
use gocua_domain::{Field, FieldError, Household, HouseholdId, HouseholdInput};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use personal_fields::PersonalFields;

#[component]
pub fn HouseholdFormPage() -> impl IntoView {
    let notebook = expect_context::<Notebook>();
    let status = expect_context::<SyncStatus>();
    let navigate = use_navigate();
    let params = use_params_map();
    let query = use_query_map();
    // After adding a household from the visit form, go back to it.
    let then_visit = query.with_untracked(|q| q.get("then").as_deref() == Some("visit"));
    let existing = params
        .with_untracked(|p| p.get("id"))
        .and_then(|raw| HouseholdId::parse(&raw))
        .and_then(|id| notebook.household(id));
    let editing = existing.is_some();
    let villages =
        notebook.session.with_untracked(|s| s.as_ref().map(|s| s.profile.villages.clone()).unwrap_or_default());
    // A household in conflict opens as keeping mine would store it: what this
    // phone changed, and what the other side changed where it did not.
    let in_conflict = existing.as_ref().and_then(phone::merged_for_form);
    let start = match &existing {
        Some(local) => in_conflict.as_ref().unwrap_or(&local.household).to_input(),
        None => HouseholdInput {
            id: HouseholdId::new().to_string(),
            // My village: the only one, or the one of the household recorded last.
            village_id: if villages.len() == 1 {
                villages[0].id
            } else {
                notebook.households.with_untracked(|hs| hs.last().map_or(0, |h| h.household.village_id))
            },

            ..Default::default()
        },
    };
    // A new household is asked first; a household on the phone was asked when it was recorded.
    let consent =
        RwSignal::new(existing.as_ref().map(|local| in_conflict.as_ref().unwrap_or(&local.household).consent));
    let edits_a_conflict = in_conflict.is_some();
    let form = RwSignal::new(start);
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let twin = RwSignal::new(None::<LocalHousehold>);
    let problem = RwSignal::new(None::<&'static str>);

    let error_for = move |field: Field| field_errors(errors, field);

    let save = move |allow_twin: bool| {
        let mut input = form.get_untracked();
        let Some(agreed) = consent.get_untracked() else {
            problem.set(Some(i18n::CONSENT_NOT_ASKED));
            window().scroll_to_with_x_and_y(0.0, 0.0);
            return;
        };
        input.consent = agreed;
        if agreed {
            input.head_name = nfc(&input.head_name);
            input.address = nfc(&input.address);
        } else {
            // Nothing the household did not agree to is kept, even if it was typed before the answer.
            input.head_name.clear();
            input.address.clear();
            input.phone.clear();
        }
        let household = match Household::parse(&input) {
            Ok(household) => household,
            Err(problems) => {
                errors.set(problems);
                window().scroll_to_with_x_and_y(0.0, 0.0);
                return;
            }
        };
        errors.set(Vec::new());
        // Only a new household can be a twin: a correction is of the household itself.
        if !allow_twin && !editing {
            let found = notebook
                .households
                .with_untracked(|hs| hs.iter().find(|h| household.looks_like(&h.household)).cloned());
            if found.is_some() {
                twin.set(found);
                // The question is at the top of the form, out of sight of the save button.
                window().scroll_to_with_x_and_y(0.0, 0.0);
                return;
            }
        }
        let id = household.id;
        let local = match existing.clone() {
            Some(mut local) => {
                // What the form showed (the merge of a conflict) is what the edit is of.
                let shown = in_conflict.clone().unwrap_or_else(|| local.household.clone());
                phone::edit_from_form(&mut local, &shown, household);
                local
            }
            None => LocalHousehold::new(household),
        };
        match notebook.keep_household(local) {
            Ok(()) => {
                sync::sync_soon(notebook, status);
                let next = if then_visit { format!("/visits/new?household={id}") } else { format!("/households/{id}") };
                navigate(&next, Default::default());
            }
            Err(error) => problem.set(Some(storage_failure(&error))),
        }
    };
    let save_anyway = save.clone();
    let use_twin = {
        let navigate = use_navigate();
        move |_| {
            if let Some(found) = twin.get_untracked() {
                let id = found.household.id;
                let next = if then_visit { format!("/visits/new?household={id}") } else { format!("/households/{id}") };
                navigate(&next, Default::default());
            }
        }
    };
    let members = Signal::derive(move || form.with(|f| f.members.unwrap_or(0)));
    let set_members = Callback::new(move |count: u32| form.update(|f| f.members = (count > 0).then_some(count)));

    view! {
        <main class="page household-form">
            <h1>{if editing { i18n::EDIT_HOUSEHOLD } else { i18n::ADD_HOUSEHOLD }}</h1>
            {edits_a_conflict.then(|| view! { <p class="hint" data-testid="edit-in-conflict">{i18n::EDITING_IN_CONFLICT}</p> })}
            <form novalidate on:submit=move |event: leptos::ev::SubmitEvent| { event.prevent_default(); save(false); }>
                <FormAlerts errors problem />
                {move || twin.get().map(|found| {
                    let last = found.visits.last.clone().map(|l| (l.by, format_local(l.at)));
                    view! {
                        <div class="warning" role="alert">
                            <p>{i18n::duplicate_warning(&found.household.head_name, &found.household.address, last)}</p>
                            <button type="button" class="primary" on:click=use_twin.clone()>{i18n::USE_THIS_HOUSEHOLD}</button>
                            <button type="button" class="secondary" on:click={
                                let save_anyway = save_anyway.clone();
                                move |_| save_anyway(true)
                            }>{i18n::SAVE_ANYWAY}</button>
                        </div>
                    }
                })}
                <ConsentChoice consent problem />
                <label for="household-village">{i18n::VILLAGE}</label>
                <select id="household-village" on:change=move |ev| form.update(|f| f.village_id = event_target_value(&ev).parse().unwrap_or(0))
                    prop:value=move || form.with(|f| f.village_id.to_string())>
                    <option value="0">{i18n::CHOOSE_VILLAGE}</option>
                    {villages.into_iter().map(|v| view! { <option value=v.id.to_string()>{v.name}</option> }).collect_view()}
                </select>
                <p class="field-error">{error_for(Field::Village)}</p>
                <PersonalFields form errors consent />
                <PeopleStepper label=i18n::MEMBERS count=members on_change=set_members max=MAX_MEMBERS />
                <p class="field-error">{error_for(Field::Members)}</p>
                <button type="submit" class="primary">{i18n::SAVE_HOUSEHOLD}</button>
            </form>
        </main>
    }
}
