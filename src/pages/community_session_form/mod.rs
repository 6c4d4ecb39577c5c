//! Logging (or correcting) a community session: village, place, date, the
//! skills taught, and attendees per target group, typed as numbers since a
//! festival day can count hundreds. Saved to the phone at once, pushed when
//! there is signal, like a visit.

mod attendee_counts;
mod topic_choices;

use crate::components::{field_errors, storage_failure, FormAlerts};
use crate::i18n;
use crate::notebook::{Notebook, Written};
use crate::store::LocalCommunitySession;
use crate::sync::{self, SyncStatus};
use crate::text::nfc;
use attendee_counts::AttendeeCounts;
use chrono::Utc;
use gocua_domain::sync::phone;
use gocua_domain::time::today;
use gocua_domain::{CommunitySession, CommunitySessionId, CommunitySessionInput, Field, FieldError};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use topic_choices::TopicChoices;

/// Where the form starts: the session being corrected (as the form shows
/// it), or a new one today in the village of the session logged last (or
/// the only village).
fn starting_input(notebook: &Notebook, editing: Option<&CommunitySession>) -> CommunitySessionInput {
    if let Some(shown) = editing {
        return shown.to_input();
    }
    let villages = notebook.session.with_untracked(|s| s.as_ref().map(|s| s.profile.villages.clone()));
    let last_village = notebook.community_sessions.with_untracked(|ss| ss.first().map(|s| s.record.village_id));
    let village_id = match villages.as_deref() {
        Some([only]) => only.id,
        _ => last_village.unwrap_or(0),
    };
    CommunitySessionInput {
        id: CommunitySessionId::new().to_string(),
        village_id,
        held_on: Some(today(Utc::now())),
        ..Default::default()
    }
}

#[component]
pub fn CommunitySessionFormPage() -> impl IntoView {
    let notebook = expect_context::<Notebook>();
    let status = expect_context::<SyncStatus>();
    let navigate = use_navigate();
    let editing_id = use_params_map().with_untracked(|p| p.get("id")).and_then(|raw| CommunitySessionId::parse(&raw));
    let original: Option<LocalCommunitySession> = editing_id.and_then(|id| notebook.logged(id));
    let editing = original.is_some();
    // Logged by a teammate (on a leader's phone): only its author changes it.
    let foreign = original.as_ref().is_some_and(|local| !local.is_mine());
    // In conflict: opened as keeping this phone's version would store it, and said so.
    let merged = original.as_ref().and_then(phone::merged_for_form);
    let edits_a_conflict = merged.is_some();
    // The version the form shows: saving edits it, whatever a sync brings meanwhile.
    let shown = original.map(|local| merged.unwrap_or(local.record));
    let form = RwSignal::new(starting_input(&notebook, shown.as_ref()));
    let errors = RwSignal::new(Vec::<FieldError>::new());
    let problem = RwSignal::new(None::<&'static str>);
    let error_for = move |field: Field| field_errors(errors, field);
    let villages =
        notebook.session.with_untracked(|s| s.as_ref().map(|s| s.profile.villages.clone()).unwrap_or_default());

    let back = {
        let navigate = navigate.clone();
        move || navigate("/community-sessions", Default::default())
    };
    let submit = {
        let back = back.clone();
        move |event: leptos::ev::SubmitEvent| {
            event.prevent_default();
            let mut input = form.get_untracked();
            input.place = nfc(&input.place);
            input.note = nfc(&input.note);
            let now = Utc::now();
            match CommunitySession::parse(&input, now, &notebook.catalogue.get_untracked()) {
                Err(problems) => {
                    errors.set(problems);
                    window().scroll_to_with_x_and_y(0.0, 0.0);
                }
                Ok(session) => {
                    // Deleted elsewhere while its form was open: a new session, if the volunteer says so.
                    let kept = notebook.keep_from_form(shown.as_ref(), session, now, || {
                        window().confirm_with_message(i18n::EDITED_COMMUNITY_SESSION_GONE_CONFIRM).unwrap_or(false)
                    });
                    match kept {
                        Ok(Written::Kept) => {
                            back();
                            sync::sync_soon(notebook, status);
                        }
                        Ok(Written::EditedRecordGone) => {}
                        Err(error) => problem.set(Some(storage_failure(&error))),
                    }
                }
            }
        }
    };
    let delete = {
        let back = back.clone();
        move |_| {
            let Some(id) = editing_id else { return };
            if window().confirm_with_message(i18n::DELETE_COMMUNITY_SESSION_CONFIRM).unwrap_or(false)
                && notebook.delete(id).is_ok()
            {
                back();
                sync::sync_soon(notebook, status);
            }
        }
    };
    let cancel = move |_| back();

    view! {
        <main class="page community-session-form">
            <h1>{if editing { i18n::EDIT_COMMUNITY_SESSION } else { i18n::NEW_COMMUNITY_SESSION }}</h1>
            <form on:submit=submit novalidate>
                <FormAlerts errors problem />
                {foreign.then(|| view! { <p class="notice warn">{i18n::SOMEONE_ELSES_SESSION}</p> })}
                {edits_a_conflict.then(|| view! { <p class="hint" data-testid="edit-in-conflict">{i18n::EDITING_SESSION_IN_CONFLICT}</p> })}

                <label for="session-village">{i18n::VILLAGE}</label>
                <select id="session-village" prop:value=move || form.with(|f| f.village_id.to_string())
                    on:change=move |ev| form.update(|f| f.village_id = event_target_value(&ev).parse().unwrap_or(0))>
                    <option value="0">{i18n::CHOOSE_VILLAGE}</option>
                    {villages.into_iter().map(|v| view! { <option value=v.id.to_string()>{v.name}</option> }).collect_view()}
                </select>
                <p class="field-error">{error_for(Field::Village)}</p>

                <label for="session-place">{i18n::PLACE}</label>
                <input id="session-place" autocomplete="off" prop:value=move || form.with(|f| f.place.clone())
                    on:input=move |ev| form.update(|f| f.place = event_target_value(&ev)) />
                <p class="field-error">{error_for(Field::Place)}</p>

                <label for="session-held-on">{i18n::HELD_ON}</label>
                <input id="session-held-on" type="date" prop:value=move || form.with(|f| f.held_on.map(|d| d.to_string()).unwrap_or_default())
                    on:input=move |ev| form.update(|f| f.held_on = event_target_value(&ev).parse().ok()) />
                <p class="field-error">{error_for(Field::HeldOn)}</p>

                <TopicChoices form errors />
                <AttendeeCounts form errors />

                <label for="session-note">{i18n::NOTE}</label>
                <textarea id="session-note" rows="3" prop:value=move || form.with(|f| f.note.clone())
                    on:input=move |ev| form.update(|f| f.note = event_target_value(&ev))></textarea>
                <p class="field-error">{error_for(Field::Note)}</p>

                {(!foreign).then(|| view! {
                    <div class="actions">
                        <button type="button" class="secondary" on:click=cancel>{i18n::CANCEL}</button>
                        <button type="submit" class="primary">{i18n::SAVE_COMMUNITY_SESSION}</button>
                    </div>
                    {editing.then(|| view! { <button type="button" class="danger wide" on:click=delete.clone()>{i18n::DELETE}</button> })}
                })}
            </form>
        </main>
    }
}
