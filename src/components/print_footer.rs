//! The foot of a report that prints on one A4 page: when its figures were
//! counted, and the button that prints it (not itself printed).

use crate::i18n;
use chrono::{DateTime, Utc};
use gocua_domain::time::format_local;
use leptos::prelude::*;

#[component]
pub fn PrintFooter(generated_at: DateTime<Utc>) -> impl IntoView {
    view! {
        <p class="hint">{i18n::report_generated(&format_local(generated_at))}</p>
        <button type="button" class="primary no-print" on:click=move |_| { let _ = window().print(); }>{i18n::PRINT}</button>
    }
}
