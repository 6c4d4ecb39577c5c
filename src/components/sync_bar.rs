//! The sync state, always in sight: pending count, last sync, last error.

use crate::i18n;
use crate::notebook::Notebook;
use crate::sync::{self, SyncStatus};
use gocua_domain::time::format_local;
use leptos::prelude::*;

#[component]
pub fn SyncBar() -> impl IntoView {
    let notebook = expect_context::<Notebook>();
    let status = expect_context::<SyncStatus>();
    let pending = Memo::new(move |_| notebook.pending_count());
    // Conflicts and refusals wait for the volunteer, not for the network:
    // "all synced" would hide them until she happened to open the record.
    let attention = Memo::new(move |_| notebook.needs_attention_count());

    // Opening online, the first sync follows at once: it is under way, not done.
    let syncing = move || status.running.get() || (status.first_sync_due.get() && status.online.get());
    let headline = move || {
        if syncing() {
            i18n::SYNCING.to_owned()
        } else if pending.get() > 0 {
            i18n::pending_count(pending.get())
        } else if attention.get() > 0 {
            i18n::needs_attention(attention.get())
        } else {
            i18n::ALL_SYNCED.to_owned()
        }
    };
    let last = move || {
        let when = status.last_synced.get().map(format_local).unwrap_or_else(|| i18n::NEVER_SYNCED.to_owned());
        i18n::last_synced(&when)
    };
    let has_pending = move || pending.get() > 0;
    let needs_attention = move || attention.get() > 0;
    let can_sync_now = move || has_pending() && !status.running.get();
    let sync_now = move |_| sync::sync_soon(notebook, status);
    let problem = move || {
        notebook.storage_problem.get().map(|_| i18n::ERROR_STORAGE_FULL.to_owned()).or_else(|| {
            (notebook.corrupt_entries.get() > 0).then(|| i18n::corrupt_entries(notebook.corrupt_entries.get()))
        })
    };
    view! {
        <section class="sync-bar" class:pending=move || has_pending() || needs_attention() aria-live="polite">
            <p class="headline" data-testid="sync-state">{headline}</p>
            <p class="detail">{last}</p>
            {move || status.progress.get().map(|(done, total)| view! {
                <progress max=total.to_string() value=done.to_string() aria-label=i18n::SYNCING></progress>
            })}
            <Show when=move || !status.online.get()>
                <p class="detail offline">{i18n::OFFLINE}</p>
            </Show>
            // While a new attempt runs, the last one's failure is old news.
            <Show when=move || status.last_error.get().is_some() && !status.running.get()>
                <p class="error" role="alert">{move || status.last_error.get()}</p>
            </Show>
            <Show when=needs_attention>
                <p class="warning" role="alert" data-testid="needs-attention">{i18n::NEEDS_ATTENTION_EXPLAINED}</p>
            </Show>
            <Show when=move || problem().is_some()>
                <p class="error" role="alert">{problem}</p>
            </Show>
            <Show when=can_sync_now>
                <button class="secondary" on:click=sync_now>{i18n::SYNC_NOW}</button>
            </Show>
        </section>
    }
}
