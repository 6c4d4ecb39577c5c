//! A leader voids a teammate's visit logged by mistake: asked of the server
//! (an [`Action`]), then forgotten on this phone.

use crate::i18n;
use crate::notebook::Notebook;
use crate::pages::remote::{change_failure, failure, signed_in, Problem};
use gocua_domain::VisitId;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

#[component]
pub fn VoidVisit(id: VisitId) -> impl IntoView {
    let notebook = expect_context::<Notebook>();
    let navigate = use_navigate();
    let void = Action::new_local(move |_: &()| async move {
        let token = signed_in(notebook)?;
        crate::api::void_visit(&token, &id.to_string()).await.map_err(|error| failure(&error))
    });
    // Voided: it leaves this phone's notebook, and the leader goes home.
    Effect::new(move |_| {
        if let Some(Ok(())) = void.value().get() {
            notebook.forget(id);
            navigate("/", Default::default());
        }
    });
    let ask_and_void = move |_| {
        if window().confirm_with_message(i18n::VOID_CONFIRM).unwrap_or(false) {
            void.dispatch_local(());
        }
    };
    view! {
        <p class="notice warn">{i18n::TEAMMATES_VISIT}</p>
        <button type="button" class="danger wide" on:click=ask_and_void disabled=move || void.pending().get()>{i18n::VOID_VISIT}</button>
        <Problem problem=Signal::derive(move || change_failure(void)) />
    }
}
