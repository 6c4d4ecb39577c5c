//! The attendees of a community session, per target group and the elderly
//! among the adults: typed, not stepped, since a festival day counts hundreds.

use crate::components::field_errors;
use crate::i18n;
use gocua_domain::{CommunitySessionInput, Field, FieldError, TargetGroup};
use leptos::prelude::*;

#[component]
pub fn AttendeeCounts(form: RwSignal<CommunitySessionInput>, errors: RwSignal<Vec<FieldError>>) -> impl IntoView {
    let group_fields = TargetGroup::ALL
        .into_iter()
        .map(|group| {
            let id = match group {
                TargetGroup::Officials => "attendees-officials",
                TargetGroup::Pupils => "attendees-pupils",
                TargetGroup::Adults => "attendees-adults",
                TargetGroup::Workers => "attendees-workers",
            };
            let count = Signal::derive(move || form.with(|f| f.attendees.get(group)));
            count_field(id, group.label(), count, Callback::new(move |n| form.update(|f| f.attendees.set(group, n))))
        })
        .collect_view();
    let elderly_field = count_field(
        "attendees-elderly",
        i18n::ELDERLY,
        Signal::derive(move || form.with(|f| f.attendees.elderly)),
        Callback::new(move |n| form.update(|f| f.attendees.elderly = n)),
    );
    view! {
        <fieldset class="attendees">
            <legend>{i18n::ATTENDEES}</legend>
            {group_fields}
            {elderly_field}
            <p class="field-error">{field_errors(errors, Field::Attendees)}</p>
        </fieldset>
    }
}

/// One count, a number field; anything not a number counts as none.
fn count_field(id: &'static str, label: &'static str, count: Signal<u32>, set: Callback<u32>) -> impl IntoView {
    view! {
        <div class="count-field">
            <label for=id>{label}</label>
            <input id=id type="number" inputmode="numeric" min="0" step="1"
                prop:value=move || count.get().to_string()
                on:input=move |ev| set.run(event_target_value(&ev).trim().parse().unwrap_or(0)) />
        </div>
    }
}
