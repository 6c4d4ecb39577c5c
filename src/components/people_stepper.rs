//! A count changed by large − / + buttons: no keyboard needed, one thumb enough.

use crate::i18n;
use leptos::prelude::*;

/// Most people one stepper counts unless told otherwise: the domain's limit per group.
const MAX: u32 = gocua_domain::visit::MAX_PEOPLE_PER_GROUP;

/// `max`: the domain's limit for what it counts, so + stops where saving would refuse.
#[component]
pub fn PeopleStepper(
    label: &'static str,
    #[prop(into)] count: Signal<u32>,
    on_change: Callback<u32>,
    #[prop(default = MAX)] max: u32,
) -> impl IntoView {
    let at_zero = move || count.get() == 0;
    let at_max = move || count.get() >= max;
    view! {
        <div class="stepper">
            <span class="stepper-label">{label}</span>
            <button
                type="button"
                class="step"
                aria-label=format!("{} – {label}", i18n::DECREASE)
                disabled=at_zero
                on:click=move |_| on_change.run(count.get_untracked().saturating_sub(1))
            >
                "−"
            </button>
            <output class="count" aria-live="polite">{move || count.get()}</output>
            <button
                type="button"
                class="step"
                aria-label=format!("{} – {label}", i18n::INCREASE)
                disabled=at_max
                on:click=move |_| on_change.run((count.get_untracked() + 1).min(max))
            >
                "+"
            </button>
        </div>
    }
}
