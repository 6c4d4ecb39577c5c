//! How the visit went (guided, no one home, come back another day…), and
//! for "come back", the day agreed.

use crate::components::field_errors;
use crate::i18n;
use gocua_domain::{Field, FieldError, Outcome, VisitInput};
use leptos::prelude::*;

#[component]
pub fn OutcomeChoice(form: RwSignal<VisitInput>, errors: RwSignal<Vec<FieldError>>) -> impl IntoView {
    let outcome = move || form.with(|f| f.outcome);
    // Only a guided visit counts people and skills: another outcome clears them.
    let choose = move |choice: Outcome| {
        form.update(|f| {
            f.outcome = Some(choice);
            if choice != Outcome::Guided {
                f.people = Default::default();
                f.skills.clear();
            }
        })
    };
    view! {
        <fieldset>
            <legend>{i18n::OUTCOME}</legend>
            <div class="outcomes">
                {Outcome::ALL.into_iter().map(|choice| view! {
                    <button type="button" class="chip" aria-pressed=move || (outcome() == Some(choice)).to_string()
                        on:click=move |_| choose(choice)>{choice.label_vi()}</button>
                }).collect_view()}
            </div>
            <p class="field-error">{field_errors(errors, Field::Outcome)}</p>
            <Show when=move || outcome() == Some(Outcome::ComeBack)>
                <label for="come-back-on">{i18n::COME_BACK_ON}</label>
                <input id="come-back-on" type="date" prop:value=move || form.with(|f| f.come_back_on.map(|d| d.to_string()).unwrap_or_default())
                    on:input=move |ev| form.update(|f| f.come_back_on = event_target_value(&ev).parse().ok()) />
                <p class="field-error">{field_errors(errors, Field::ComeBackOn)}</p>
            </Show>
        </fieldset>
    }
}
