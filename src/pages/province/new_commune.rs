//! The Department adds a commune to its province: a name, and the commune
//! is there, empty, for its coordinator to be invited.

use crate::api;
use crate::i18n;
use crate::notebook::Notebook;
use crate::pages::remote::{change_failure, failure, signed_in, Problem};
use leptos::prelude::*;

/// `on_added` runs with the new commune's id once the server has it.
#[component]
pub fn NewCommune(on_added: Callback<i64>) -> impl IntoView {
    let notebook = expect_context::<Notebook>();
    let name = RwSignal::new(String::new());
    let add = Action::new_local(move |name: &String| {
        let name = name.clone();
        async move {
            let token = signed_in(notebook)?;
            api::add_province_commune(&token, &name).await.map_err(|error| failure(&error))
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(commune)) = add.value().get() {
            name.set(String::new());
            on_added.run(commune.id);
        }
    });
    let added = move || add.value().get().and_then(Result::ok).map(|commune| i18n::commune_added(&commune.name));
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        add.dispatch_local(crate::text::nfc(&name.get_untracked()));
    };
    view! {
        <section class="card no-print" data-testid="new-commune">
            <h2>{i18n::NEW_COMMUNE_TITLE}</h2>
            <p class="hint">{i18n::NEW_COMMUNE_EXPLAINED}</p>
            <Problem problem=Signal::derive(move || change_failure(add)) />
            <Show when=move || added().is_some()>
                <p class="notice" role="status">{added}</p>
            </Show>
            <form on:submit=submit>
                <label for="new-commune-name">{i18n::NEW_COMMUNE_NAME}</label>
                <input id="new-commune-name" autocomplete="off" bind:value=name />
                <button type="submit" class="primary" disabled=move || add.pending().get()>{i18n::NEW_COMMUNE_ADD}</button>
            </form>
        </section>
    }
}
