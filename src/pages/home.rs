//! Home: the sync state, the button to log a visit, and my visits.

use crate::components::{SyncBar, TopBar, VisitCard};
use crate::i18n;
use crate::notebook::Notebook;
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn HomePage() -> impl IntoView {
    let notebook = expect_context::<Notebook>();
    let visits = notebook.visits;
    view! {
        <TopBar />
        <main class="page home">
            <SyncBar />
            <A href="/visits/new" attr:class="button primary big">"+ " {i18n::NEW_VISIT}</A>
            <h2>{i18n::MY_VISITS}</h2>
            <Show when=move || visits.with(Vec::is_empty)>
                <p class="empty">{i18n::NO_VISITS_YET}</p>
            </Show>
            <ul class="visits">
                <For
                    each=move || visits.get()
                    key=|local| (local.visit.id, local.sync.clone())
                    children=|local| view! { <VisitCard local /> }
                />
            </ul>
        </main>
    }
}
