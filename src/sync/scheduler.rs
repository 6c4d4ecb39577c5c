//! When the phone syncs: at start (once every record on the phone is read),
//! when the browser comes back online, right after each save, and while
//! records are pending, on a retry schedule that backs off exponentially
//! with jitter after failures (`gocua_domain::sync::retry_delay_ms`).

use super::{push_pending, SyncStatus};
use crate::notebook::Notebook;
use gocua_domain::sync::retry_delay_ms;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Starts the schedule; call once, at the top of the app.
pub fn start(notebook: Notebook, status: SyncStatus) {
    // First finish reading the phone's older records, then sync, then keep retrying while anything is pending.
    spawn_local(async move {
        notebook.finish_loading().await;
        push_pending(notebook, status).await;
        let mut failures = 0;
        loop {
            gloo_timers::future::TimeoutFuture::new(retry_delay_ms(failures, js_sys::Math::random()) as u32).await;
            if notebook.pending_count_untracked() == 0 || !status.online.get_untracked() {
                continue;
            }
            push_pending(notebook, status).await;
            failures = if status.last_error.get_untracked().is_some() { failures.saturating_add(1) } else { 0 };
        }
    });
    // Listeners live as long as the app.
    let _ = window_event_listener(leptos::ev::online, move |_| {
        status.online.set(true);
        spawn_local(push_pending(notebook, status));
    });
    let _ = window_event_listener(leptos::ev::offline, move |_| status.online.set(false));
}
