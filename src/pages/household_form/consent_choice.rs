//! Whether the household agrees to its name, address and phone being kept:
//! asked first, before anything personal is typed (Decree 13/2023).

use crate::i18n;
use leptos::prelude::*;

/// `consent` is unanswered (`None`) until the volunteer has asked; an
/// answer clears the form's "ask first" problem.
#[component]
pub fn ConsentChoice(consent: RwSignal<Option<bool>>, problem: RwSignal<Option<&'static str>>) -> impl IntoView {
    let answer = move |agreed: bool| {
        consent.set(Some(agreed));
        problem.set(None);
    };
    view! {
        <fieldset class="consent">
            <legend>{i18n::CONSENT_TITLE}</legend>
            <p class="notice">{i18n::CONSENT_NOTICE}</p>
            <label class="choice">
                <input type="radio" name="consent" prop:checked=move || consent.get() == Some(true) on:change=move |_| answer(true) />
                {i18n::CONSENT_YES}
            </label>
            <label class="choice">
                <input type="radio" name="consent" prop:checked=move || consent.get() == Some(false) on:change=move |_| answer(false) />
                {i18n::CONSENT_NO}
            </label>
        </fieldset>
    }
}
