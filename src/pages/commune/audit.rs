//! The audit log: who created, changed, erased or exported personal data,
//! and account changes, newest first.

use super::Problem;
use crate::api;
use crate::i18n;
use crate::notebook::Notebook;
use crate::pages::account::{failure, token};
use gocua_domain::api::AuditEntry;
use gocua_domain::time::format_local;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn AuditLog() -> impl IntoView {
    let notebook = expect_context::<Notebook>();
    let entries = RwSignal::new(Vec::<AuditEntry>::new());
    let next = RwSignal::new(None::<i64>);
    let problem = RwSignal::new(None::<String>);
    let load = move |before: Option<i64>| {
        let Some(token) = token(notebook) else { return };
        spawn_local(async move {
            match api::audit(&token, before).await {
                Ok(page) => {
                    entries.update(|shown| shown.extend(page.entries));
                    next.set(page.next_before);
                }
                Err(error) => problem.set(Some(failure(&error))),
            }
        });
    };
    load(None);
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
                <button type="button" class="secondary" on:click=move |_| load(next.get_untracked())>{i18n::MORE}</button>
            </Show>
        </section>
    }
}
