//! When the phone syncs: at start (once every visit on the phone is read), when the browser comes back online,
//! right after each save (see the visit form), and every half minute while
//! visits are pending.

use super::{push_pending, SyncStatus};
use crate::notebook::Notebook;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::time::Duration;

const RETRY_EVERY: Duration = Duration::from_secs(30);

/// Starts the schedule; call once, at the top of the app.
pub fn start(notebook: Notebook, status: SyncStatus) {
    let sync_now = move || spawn_local(push_pending(notebook, status));

    // First finish reading the phone's older visits, then sync.
    spawn_local(async move {
        notebook.finish_loading().await;
        push_pending(notebook, status).await;
    });
    // Listeners live as long as the app.
    let _ = window_event_listener(leptos::ev::online, move |_| {
        status.online.set(true);
        sync_now();
    });
    let _ = window_event_listener(leptos::ev::offline, move |_| status.online.set(false));
    let _ = set_interval_with_handle(
        move || {
            if notebook.pending_count() > 0 {
                sync_now();
            }
        },
        RETRY_EVERY,
    );
}
