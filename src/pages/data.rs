//! The phone's data: how much storage Gõ Cửa uses, whether the browser
//! promised to keep it, and a backup of everything not yet synced.

use crate::backup::{self, ImportError};
use crate::i18n;
use crate::notebook::Notebook;
use crate::sync::{self, SyncStatus};
use chrono::Utc;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

#[component]
pub fn DataPage() -> impl IntoView {
    let notebook = expect_context::<Notebook>();
    let status = expect_context::<SyncStatus>();
    let used = RwSignal::new(notebook.store().map(|store| store.bytes_used()).unwrap_or(0));
    let persisted = RwSignal::new(None::<bool>);
    let message = RwSignal::new(None::<String>);
    spawn_local(async move {
        if let Ok(promise) = window().navigator().storage().persisted() {
            if let Ok(value) = JsFuture::from(promise).await {
                persisted.set(value.as_bool());
            }
        }
    });
    let counts = move || {
        let households = notebook.households.with(Vec::len);
        let visits = notebook.visits.with(|vs| vs.iter().filter(|v| !v.deleted).count());
        i18n::stored_counts(households, visits, notebook.pending_count())
    };

    let download = move |_| {
        if !notebook.fully_loaded.get_untracked() {
            message.set(Some(i18n::STILL_LOADING.into()));
            return;
        }
        let backup = backup::export(&notebook, Utc::now());
        let json = serde_json::to_string(&backup).expect("a backup always serialises");
        match crate::download::save(
            json.as_bytes(),
            "application/json",
            &format!("gocua-sao-luu-{}.json", backup.exported_at.timestamp()),
        ) {
            Ok(()) => message.set(Some(i18n::backup_saved(
                backup.households.len() + backup.visits.len() + backup.community_sessions.len(),
            ))),
            Err(_) => message.set(Some(i18n::ERROR_UNEXPECTED_ANSWER.into())),
        }
    };
    let import = move |event: leptos::ev::Event| {
        let Some(input) = event.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        let Some(file) = input.files().and_then(|files| files.get(0)) else { return };
        spawn_local(async move {
            let text = JsFuture::from(file.text()).await.ok().and_then(|value| value.as_string()).unwrap_or_default();
            let outcome = backup::parse(&text).and_then(|backup| backup::import(&notebook, backup));
            match outcome {
                Ok(report) => {
                    message.set(Some(i18n::backup_imported(report.added, report.already_here)));
                    used.set(notebook.store().map(|store| store.bytes_used()).unwrap_or(0));
                    sync::push_pending(notebook, status).await;
                }
                Err(ImportError::NotABackup(_)) => message.set(Some(i18n::NOT_A_BACKUP.into())),
                Err(ImportError::Store(_)) => message.set(Some(i18n::ERROR_STORAGE_FULL.into())),
            }
        });
    };

    view! {
        <main class="page data">
            <h1>{i18n::DATA_TITLE}</h1>
            <p data-testid="storage-used">{move || i18n::storage_used(used.get())}</p>
            <p>{counts}</p>
            <p>{move || match persisted.get() {
                Some(true) => i18n::PERSISTED,
                Some(false) => i18n::NOT_PERSISTED,
                None => "",
            }}</p>
            <Show when=move || message.get().is_some()>
                <p class="notice" role="status">{move || message.get()}</p>
            </Show>
            <h2>{i18n::BACKUP}</h2>
            <p class="hint">{i18n::BACKUP_HINT}</p>
            <button type="button" class="primary wide" on:click=download>{i18n::DOWNLOAD_BACKUP}</button>
            <label for="import-backup" class="button secondary wide">{i18n::IMPORT_BACKUP}</label>
            <input id="import-backup" type="file" accept="application/json,.json" class="visually-hidden" on:change=import />
        </main>
    }
}
