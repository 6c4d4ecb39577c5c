//! Villages and their household counts: the denominator of "every door".
//! The list is a [`LocalResource`], read again after each change; a change
//! (a new village, a corrected count) is one [`Action`].

use crate::api;
use crate::i18n;
use crate::notebook::Notebook;
use crate::pages::remote::{change_failure, failure, listed, load_failure, signed_in, Problem};
use gocua_domain::api::{Village, VillageChange};
use leptos::prelude::*;

/// What the coordinator changes: a village's household count, or a new village.
#[derive(Debug, Clone)]
enum Edit {
    Count { village_id: i64, households: u32 },
    Add(VillageChange),
}

#[component]
pub fn Villages() -> impl IntoView {
    let notebook = expect_context::<Notebook>();
    let new_name = RwSignal::new(String::new());
    let new_count = RwSignal::new(String::new());
    let not_a_number = RwSignal::new(false);
    let villages = LocalResource::new(move || async move {
        let token = signed_in(notebook)?;
        api::villages(&token).await.map(|list| list.villages).map_err(|error| failure(&error))
    });
    let edit = Action::new_local(move |edit: &Edit| {
        let edit = edit.clone();
        async move {
            let token = signed_in(notebook)?;
            let answer = match edit {
                Edit::Count { village_id, households } => {
                    let change = VillageChange { households: Some(households), ..Default::default() };
                    api::change_village(&token, village_id, &change).await.map(|village| (village, false))
                }
                Edit::Add(change) => api::add_village(&token, &change).await.map(|village| (village, true)),
            };
            answer.map_err(|error| failure(&error))
        }
    });
    // A change stored: the list is read again, and a new village's form empties.
    Effect::new(move |_| {
        let Some(Ok((_, added))) = edit.value().get() else { return };
        if added {
            new_name.set(String::new());
            new_count.set(String::new());
        }
        villages.refetch();
    });
    let saved =
        move || edit.value().get().and_then(Result::ok).map(|(v, _)| i18n::village_saved(&v.name, v.households));
    let problem = Signal::derive(move || {
        let typed = not_a_number.get().then(|| i18n::HOUSEHOLD_COUNT_NOT_A_NUMBER.to_owned());
        typed.or_else(|| change_failure(edit)).or_else(|| load_failure(villages))
    });
    let save_count = move |village_id: i64, raw: String| match raw.trim().parse::<u32>() {
        Ok(households) => {
            not_a_number.set(false);
            edit.dispatch_local(Edit::Count { village_id, households });
        }
        Err(_) => not_a_number.set(true),
    };
    let add = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        not_a_number.set(false);
        edit.dispatch_local(Edit::Add(VillageChange {
            name: Some(crate::text::nfc(&new_name.get_untracked())),
            households: new_count.get_untracked().trim().parse().ok(),
        }));
    };
    view! {
        <section class="card" data-testid="villages">
            <h2>{i18n::VILLAGES_TITLE}</h2>
            <p class="hint">{i18n::VILLAGES_EXPLAINED}</p>
            <Problem problem />
            <Show when=move || saved().is_some()>
                <p class="notice" role="status">{saved}</p>
            </Show>
            <ul class="rows">
                {move || listed(villages).into_iter().map(|village| village_row(village, save_count)).collect_view()}
            </ul>
            <form class="inline-form" on:submit=add>
                <label for="new-village">{i18n::NEW_VILLAGE}</label>
                <input id="new-village" bind:value=new_name />
                <label for="new-village-households">{i18n::HOUSEHOLD_COUNT}</label>
                <input id="new-village-households" type="number" inputmode="numeric" min="0" bind:value=new_count />
                <button type="submit" class="primary" disabled=move || edit.pending().get()>{i18n::ADD}</button>
            </form>
        </section>
    }
}

/// One village, its household count editable in place.
fn village_row(village: Village, save_count: impl Fn(i64, String) + Copy + 'static) -> impl IntoView {
    let count = RwSignal::new(village.households.to_string());
    let label = format!("{} – {}", i18n::HOUSEHOLD_COUNT, village.name);
    let id = village.id;
    view! {
        <li class="row">
            <span class="row-name">{village.name}</span>
            <input type="number" inputmode="numeric" min="0" aria-label=label bind:value=count />
            <button type="button" class="secondary" on:click=move |_| save_count(id, count.get_untracked())>{i18n::SAVE_ROW}</button>
        </li>
    }
}
