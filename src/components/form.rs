//! What every record form shows of its problems: a line at the top when
//! fields need fixing or the phone could not keep the record, and each
//! field's own sentences under it.

use crate::i18n;
use crate::store::StoreError;
use gocua_domain::{Field, FieldError};
use leptos::prelude::*;

/// What the volunteer is told when the phone could not keep what they wrote.
pub fn storage_failure(error: &StoreError) -> &'static str {
    match error {
        StoreError::QuotaExceeded => i18n::ERROR_STORAGE_FULL,
        _ => i18n::ERROR_STORAGE_UNAVAILABLE,
    }
}

/// The sentences a form shows under `field`, from its current errors.
pub fn field_errors(errors: RwSignal<Vec<FieldError>>, field: Field) -> impl Fn() -> String + Copy {
    move || {
        errors.with(|errors| {
            errors.iter().filter(|e| e.field == field).map(FieldError::message_vi).collect::<Vec<_>>().join(" ")
        })
    }
}

/// The alerts at the top of a form: fields to fix, and a problem saving (storage full).
#[component]
pub fn FormAlerts(errors: RwSignal<Vec<FieldError>>, problem: RwSignal<Option<&'static str>>) -> impl IntoView {
    view! {
        <Show when=move || !errors.with(Vec::is_empty)>
            <p class="error" role="alert">{i18n::FIX_ERRORS}</p>
        </Show>
        <Show when=move || problem.get().is_some()>
            <p class="error" role="alert">{move || problem.get()}</p>
        </Show>
    }
}
