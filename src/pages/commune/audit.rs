//! The audit log: who created, changed, erased or exported personal data,
//! and account changes, newest first. Each page is read by an [`Action`]
//! (one at a time: "more" waits while a page is on its way) and appended.

use crate::api;
use crate::i18n;
use crate::notebook::Notebook;
use crate::pages::remote::{change_failure, failure, signed_in, Problem};
use gocua_domain::api::AuditEntry;
use gocua_domain::time::format_local;
use leptos::prelude::*;

#[component]
pub fn AuditLog() -> impl IntoView {
    let notebook = expect_context::<Notebook>();
    let entries = RwSignal::new(Vec::<AuditEntry>::new());
    let next = RwSignal::new(None::<i64>);
    let load_page = Action::new_local(move |before: &Option<i64>| {
        let before = *before;
        async move {
            let token = signed_in(notebook)?;
            api::audit(&token, before).await.map_err(|error| failure(&error))
        }
    });
    // Pages accumulate: each one read is appended to what is shown.
    Effect::new(move |_| {
        if let Some(Ok(page)) = load_page.value().get() {
            entries.update(|shown| shown.extend(page.entries));
            next.set(page.next_before);
        }
    });
    let problem = Signal::derive(move || change_failure(load_page));
    load_page.dispatch_local(None);
    view! {
        <section class="card" data-testid="audit">
            <h2>{i18n::AUDIT_TITLE}</h2>
            <Problem problem />
            <ul class="audit">
                {move || entries.get().into_iter().map(|entry| view! {
                    <li>
                        <span class="hint">{format_local(entry.at)}</span>
                        " " <strong>{entry.actor_name}</strong> " " {i18n::audit_action(&entry.action).to_owned()}
                        " " <span class="hint">{entry.subject} {(!entry.detail.is_empty()).then(|| format!(" · {}", entry.detail))}</span>
                    </li>
                }).collect_view()}
            </ul>
            <Show when=move || next.get().is_some()>
                <button type="button" class="secondary" disabled=move || load_page.pending().get()
                    on:click=move |_| { load_page.dispatch_local(next.get_untracked()); }>{i18n::MORE}</button>
            </Show>
        </section>
    }
}
