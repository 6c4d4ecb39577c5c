//! The visit's household: the one chosen, with a way to change it, or a
//! short search of the team's households to choose from.

use crate::components::{field_errors, HouseholdCard};
use crate::i18n;
use crate::notebook::Notebook;
use gocua_domain::order::sort_stable_by;
use gocua_domain::search::{compare_names, matches};
use gocua_domain::{Field, FieldError, HouseholdId, VisitInput};
use leptos::prelude::*;
use leptos_router::components::A;

/// Households offered while choosing; typing narrows them.
const PICKER_SHOWN: usize = 8;

#[component]
pub fn HouseholdChoice(form: RwSignal<VisitInput>, errors: RwSignal<Vec<FieldError>>) -> impl IntoView {
    let notebook = expect_context::<Notebook>();
    let picker_query = RwSignal::new(String::new());
    // The household chosen, if the phone holds it. Memos: a sync that
    // changes other households (or none) builds neither the card nor the
    // picker again.
    let chosen = Memo::new(move |_| form.with(|f| HouseholdId::parse(&f.household_id)));
    let shown = Memo::new(move |_| chosen.get().filter(|&id| notebook.household(id).is_some()));
    // Before anything is typed, the households most recently recorded come
    // first (the next door is usually next to the last one); once a name is
    // typed, matches in Vietnamese name order. Read as the volunteer types,
    // never moved under a thumb by a sync.
    let candidates = move || {
        let query = picker_query.get();
        let mut found: Vec<_> = notebook.households.with_untracked(|hs| {
            hs.iter()
                .filter(|h| matches(&format!("{} {}", h.household.head_name, h.household.address), &query))
                .cloned()
                .collect()
        });
        if query.trim().is_empty() {
            found.reverse();
        } else {
            sort_stable_by(&mut found, |a, b| compare_names(&a.household.head_name, &b.household.head_name));
        }
        found.truncate(PICKER_SHOWN);
        found
    };
    view! {
        <fieldset>
            <legend>{i18n::HOUSEHOLD}</legend>
            {move || match shown.get() {
                Some(id) => view! {
                    <ul class="visits">
                        {move || notebook.household(id).map(|local| view! {
                            <HouseholdCard local=local.clone() href=format!("/households/{}", local.household.id) />
                        })}
                    </ul>
                    <button type="button" class="secondary" on:click=move |_| form.update(|f| f.household_id.clear())>{i18n::CHANGE_HOUSEHOLD}</button>
                }.into_any(),
                None => view! {
                    <input type="search" aria-label=i18n::CHOOSE_HOUSEHOLD placeholder=i18n::CHOOSE_HOUSEHOLD bind:value=picker_query />
                    <ul class="picker">
                        {move || candidates().into_iter().map(|local| {
                            let id = local.household.id.to_string();
                            // The village too: households that gave no name differ only by where they are.
                            let place = i18n::household_place(&local.household, &notebook.village_name(local.household.village_id));
                            view! {
                                <li><button type="button" class="pick" on:click=move |_| form.update(|f| f.household_id = id.clone())>
                                    <strong>{i18n::household_name(&local.household)}</strong> " · " {place}
                                </button></li>
                            }
                        }).collect_view()}
                    </ul>
                    <A href="/households/new?then=visit" attr:class="button secondary wide">{i18n::NEW_HOUSEHOLD}</A>
                    <details class="consent-reminder">
                        <summary>{i18n::CONSENT_TITLE}</summary>
                        <p class="notice">{i18n::CONSENT_NOTICE}</p>
                    </details>
                }.into_any(),
            }}
            <p class="field-error">{field_errors(errors, Field::HouseholdId)}</p>
        </fieldset>
    }
}
