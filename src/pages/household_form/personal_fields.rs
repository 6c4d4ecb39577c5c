//! The household's personal data — head's name, address, phone — offered
//! only unless the household said no.

use crate::components::field_errors;
use crate::i18n;
use gocua_domain::{Field, FieldError, HouseholdInput};
use leptos::prelude::*;

#[component]
pub fn PersonalFields(
    form: RwSignal<HouseholdInput>,
    errors: RwSignal<Vec<FieldError>>,
    consent: RwSignal<Option<bool>>,
) -> impl IntoView {
    let text = move |get: fn(&HouseholdInput) -> &String| move || form.with(|f| get(f).clone());
    view! {
        <Show when=move || consent.get() != Some(false)>
            <label for="head-name">{i18n::HEAD_NAME}</label>
            <input id="head-name" autocomplete="off" autocapitalize="words" prop:value=text(|f| &f.head_name)
                on:input=move |ev| form.update(|f| f.head_name = event_target_value(&ev)) />
            <p class="field-error">{field_errors(errors, Field::HeadName)}</p>
            <label for="address">{i18n::ADDRESS}</label>
            <input id="address" autocomplete="off" prop:value=text(|f| &f.address)
                on:input=move |ev| form.update(|f| f.address = event_target_value(&ev)) />
            <p class="field-error">{field_errors(errors, Field::Address)}</p>
            <label for="phone">{i18n::PHONE_OPTIONAL}</label>
            <input id="phone" type="tel" inputmode="tel" autocomplete="off" prop:value=text(|f| &f.phone)
                on:input=move |ev| form.update(|f| f.phone = event_target_value(&ev)) />
            <p class="field-error">{field_errors(errors, Field::Phone)}</p>
        </Show>
    }
}
