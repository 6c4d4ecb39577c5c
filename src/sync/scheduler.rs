//! When the phone syncs: at start (once every record on the phone is read),
//! when the browser comes back online, right after each save, and while
//! records are pending, on a retry schedule that backs off exponentially
//! with jitter after failures (`gocua_domain::sync::retry_delay_ms`), and
//! every two minutes to pull what teammates recorded.

use super::{push_pending, push_when_free, BusyWait, SyncRun, SyncStatus};
use crate::notebook::Notebook;
use chrono::Utc;
use gocua_domain::sync::retry_delay_ms;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Even with nothing to push, the phone pulls this often, so teammates' households arrive.
const PULL_EVERY_MS: i64 = 120_000;
/// When another tab was syncing, try again this soon.
const BUSY_RETRY_MS: u32 = 2_000;
/// How long the network's return waits for a sync under way: about a minute.
const ONLINE_WAIT: BusyWait = BusyWait { retries: 30, pause_ms: BUSY_RETRY_MS };

/// Starts the schedule; call once, at the top of the app.
pub fn start(notebook: Notebook, status: SyncStatus) {
    // First finish reading the phone's older records, then sync, then keep
    // syncing: soon while another tab holds the sync, with backoff after
    // failures while records are pending, and every two minutes to pull.
    spawn_local(async move {
        // In a task of its own, after the app's first render: the phone stays
        // answerable while it starts (Total Blocking Time, docs/benchmarks.md).
        gloo_timers::future::TimeoutFuture::new(0).await;
        notebook.finish_loading().await;
        let mut outcome = push_pending(notebook, status).await;
        status.first_sync_due.set(false);
        let mut failures = 0;
        loop {
            let wait = match outcome {
                SyncRun::Busy => BUSY_RETRY_MS,
                _ => retry_delay_ms(failures, js_sys::Math::random()) as u32,
            };
            gloo_timers::future::TimeoutFuture::new(wait).await;
            let stale = status
                .last_synced
                .get_untracked()
                .is_none_or(|at| (Utc::now() - at).num_milliseconds() >= PULL_EVERY_MS);
            let due = outcome == SyncRun::Busy || notebook.pending_count_untracked() > 0 || stale;
            if !due || !status.online.get_untracked() {
                continue;
            }
            outcome = push_pending(notebook, status).await;
            if outcome == SyncRun::Ran {
                failures = if status.last_error.get_untracked().is_some() { failures.saturating_add(1) } else { 0 };
            }
        }
    });
    // Listeners live as long as the app.
    let _ = window_event_listener(leptos::ev::online, move |_| {
        status.online.set(true);
        spawn_local(super::sign_out::end_waiting_sessions(notebook));
        // The network often comes back while a sync that failed for want of
        // it is still ending: turned away as busy, the return would wait for
        // the schedule's next turn (minutes, after failures). If the signal
        // goes again meanwhile, its next return asks anew.
        spawn_local(async move {
            push_when_free(notebook, status, ONLINE_WAIT, move || status.online.get_untracked()).await;
        });
    });
    let _ = window_event_listener(leptos::ev::offline, move |_| status.online.set(false));
}
