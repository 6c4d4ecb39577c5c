//! The people guided in a visit, by the plan's target groups, and the
//! elderly among the adults.

use crate::components::{field_errors, PeopleStepper};
use crate::i18n;
use gocua_domain::{Field, FieldError, TargetGroup, VisitInput};
use leptos::prelude::*;

#[component]
pub fn PeopleCount(form: RwSignal<VisitInput>, errors: RwSignal<Vec<FieldError>>) -> impl IntoView {
    let stepper = move |group: TargetGroup| {
        let count = Signal::derive(move || form.with(|f| f.people.get(group)));
        let on_change = Callback::new(move |value| form.update(|f| f.people.set(group, value)));
        view! { <PeopleStepper label=group.label() count on_change /> }
    };
    let elderly = Signal::derive(move || form.with(|f| f.people.elderly));
    let set_elderly = Callback::new(move |value| form.update(|f| f.people.elderly = value));
    view! {
        <fieldset>
            <legend>{i18n::PEOPLE_GUIDED}</legend>
            {TargetGroup::ALL.into_iter().map(stepper).collect_view()}
            <PeopleStepper label=i18n::ELDERLY count=elderly on_change=set_elderly />
            <p class="field-error">{field_errors(errors, Field::People)}</p>
        </fieldset>
    }
}
