//! The skills a community session taught: a chip per skill the commune
//! offers, tapped on and off.

use crate::components::field_errors;
use crate::i18n;
use crate::notebook::Notebook;
use gocua_domain::{CommunitySessionInput, Field, FieldError};
use leptos::prelude::*;

#[component]
pub fn TopicChoices(form: RwSignal<CommunitySessionInput>, errors: RwSignal<Vec<FieldError>>) -> impl IntoView {
    let notebook = expect_context::<Notebook>();
    let chips = move || {
        notebook.catalogue.with(|catalogue| {
            catalogue
                .active()
                .map(|entry| {
                    let code = entry.code.clone();
                    let chosen = {
                        let code = code.clone();
                        move || form.with(|f| f.skills.contains(&code))
                    };
                    let toggle = move |_| {
                        form.update(|f| match f.skills.iter().position(|known| *known == code) {
                            Some(at) => {
                                f.skills.remove(at);
                            }
                            None => f.skills.push(code.clone()),
                        })
                    };
                    view! {
                        <button type="button" class="chip topic" aria-pressed=move || chosen().to_string() on:click=toggle>
                            {entry.label.clone()}
                        </button>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <fieldset class="topics">
            <legend>{i18n::SESSION_TOPICS}</legend>
            <div class="outcomes">{chips}</div>
            <p class="field-error">{field_errors(errors, Field::Skills)}</p>
        </fieldset>
    }
}
