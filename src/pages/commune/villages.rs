//! Villages and their household counts: the denominator of "every door".

use super::Problem;
use crate::api;
use crate::i18n;
use crate::notebook::Notebook;
use crate::pages::account::{failure, token};
use gocua_domain::api::{Village, VillageChange};
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn Villages() -> impl IntoView {
    let notebook = expect_context::<Notebook>();
    let villages = RwSignal::new(Vec::<Village>::new());
    let problem = RwSignal::new(None::<String>);
    let saved = RwSignal::new(None::<String>);
    let new_name = RwSignal::new(String::new());
    let new_count = RwSignal::new(String::new());
    let load = move || {
        let Some(token) = token(notebook) else { return };
        spawn_local(async move {
            match api::villages(&token).await {
                Ok(list) => villages.set(list.villages),
                Err(error) => problem.set(Some(failure(&error))),
            }
        });
    };
    load();
    let save_count = move |village: Village, raw: String| {
        let Ok(households) = raw.trim().parse::<u32>() else {
            problem.set(Some(i18n::HOUSEHOLD_COUNT_NOT_A_NUMBER.into()));
            return;
        };
        let Some(token) = token(notebook) else { return };
        spawn_local(async move {
            let change = VillageChange { households: Some(households), ..Default::default() };
            match api::change_village(&token, village.id, &change).await {
                Ok(changed) => {
                    problem.set(None);
                    saved.set(Some(i18n::village_saved(&changed.name, changed.households)));
                    load();
                }
                Err(error) => problem.set(Some(failure(&error))),
            }
        });
    };
    let add = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(token) = token(notebook) else { return };
        let change = VillageChange {
            name: Some(crate::text::nfc(&new_name.get_untracked())),
            households: new_count.get_untracked().trim().parse().ok(),
        };
        spawn_local(async move {
            match api::add_village(&token, &change).await {
                Ok(added) => {
                    problem.set(None);
                    saved.set(Some(i18n::village_saved(&added.name, added.households)));
                    new_name.set(String::new());
                    new_count.set(String::new());
                    load();
                }
                Err(error) => problem.set(Some(failure(&error))),
            }
        });
    };
    view! {
        <section class="card" data-testid="villages">
            <h2>{i18n::VILLAGES_TITLE}</h2>
            <p class="hint">{i18n::VILLAGES_EXPLAINED}</p>
            <Problem problem />
            <Show when=move || saved.with(Option::is_some)>
                <p class="notice" role="status">{move || saved.get()}</p>
            </Show>
            <ul class="rows">
                {move || villages.get().into_iter().map(|village| {
                    let count = RwSignal::new(village.households.to_string());
                    let label = format!("{} – {}", i18n::HOUSEHOLD_COUNT, village.name);
                    let row = village.clone();
                    view! {
                        <li class="row">
                            <span class="row-name">{village.name.clone()}</span>
                            <input type="number" inputmode="numeric" min="0" aria-label=label bind:value=count />
                            <button type="button" class="secondary" on:click=move |_| save_count(row.clone(), count.get_untracked())>{i18n::SAVE_ROW}</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <form class="inline-form" on:submit=add>
                <label for="new-village">{i18n::NEW_VILLAGE}</label>
                <input id="new-village" bind:value=new_name />
                <label for="new-village-households">{i18n::HOUSEHOLD_COUNT}</label>
                <input id="new-village-households" type="number" inputmode="numeric" min="0" bind:value=new_count />
                <button type="submit" class="primary">{i18n::ADD}</button>
            </form>
        </section>
    }
}
