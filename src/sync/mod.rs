//! Pushing the phone's pending visits to the server, and when to do it.
//!
//! The outbox is simply every visit whose state is `Pending`. A push sends
//! them in batches; each visit becomes `Synced` only when the server's answer
//! names it `applied` or `duplicate`, so a push cut halfway is repeated and
//! the server's idempotency (same id, same content) makes the repeat harmless.

mod scheduler;

pub use scheduler::start;

use crate::api::{self, ApiError};
use crate::i18n;
use crate::notebook::Notebook;
use crate::store::SyncState;
use chrono::{DateTime, Utc};
use gocua_domain::sync::{PushRequest, PushResult, PushStatus};
use leptos::prelude::*;

/// Visits per push: well under the server's limit, small enough for one bar of signal.
pub const BATCH_SIZE: usize = 50;

/// What the sync bar shows.
#[derive(Clone, Copy)]
pub struct SyncStatus {
    pub running: RwSignal<bool>,
    pub online: RwSignal<bool>,
    pub last_synced: RwSignal<Option<DateTime<Utc>>>,
    /// The last failure, in Vietnamese; cleared by the next successful push.
    pub last_error: RwSignal<Option<String>>,
}

impl SyncStatus {
    pub fn new(last_synced: Option<DateTime<Utc>>) -> Self {
        SyncStatus {
            running: RwSignal::new(false),
            online: RwSignal::new(browser_online()),
            last_synced: RwSignal::new(last_synced),
            last_error: RwSignal::new(None),
        }
    }
}

fn browser_online() -> bool {
    window().navigator().on_line()
}

/// Pushes every pending visit, batch by batch, unless a push is already running.
pub async fn push_pending(notebook: Notebook, status: SyncStatus) {
    if status.running.get_untracked() {
        return;
    }
    let Some(token) = notebook.session.with_untracked(|session| session.as_ref().map(|s| s.token.clone())) else {
        return;
    };
    status.running.set(true);
    let outcome = push_all(&notebook, &token).await;
    status.running.set(false);
    match outcome {
        Ok(()) => {
            let now = Utc::now();
            status.last_synced.set(Some(now));
            status.last_error.set(None);
            if let Ok(store) = notebook.store() {
                let _ = store.save_last_sync(now);
            }
        }
        Err(error) => status.last_error.set(Some(describe(&error))),
    }
}

async fn push_all(notebook: &Notebook, token: &str) -> Result<(), ApiError> {
    loop {
        let batch: Vec<_> = notebook.pending().into_iter().take(BATCH_SIZE).collect();
        if batch.is_empty() {
            return Ok(());
        }
        let request = PushRequest { visits: batch.iter().map(|local| local.visit.to_input()).collect() };
        let response = api::push(token, &request).await?;
        let now = Utc::now();
        let mut settled = 0;
        for result in response.results {
            let Some(local) = batch.iter().find(|local| local.visit.id.to_string() == result.id) else {
                continue;
            };
            let mut local = local.clone();
            local.sync = settle(result, now);
            settled += 1;
            if notebook.keep(local).is_err() {
                // The server has the visit; the phone could not note it. It stays
                // pending and the next push is answered `duplicate`.
                return Ok(());
            }
        }
        if settled == 0 {
            return Err(ApiError::Decode("the server answered for none of the visits pushed".into()));
        }
    }
}

/// The state a visit reaches after the server's answer about it.
fn settle(result: PushResult, now: DateTime<Utc>) -> SyncState {
    match result.status {
        status if status.is_stored() => SyncState::Synced { at: now },
        PushStatus::Conflict => SyncState::Conflict { message: result.message.unwrap_or_default() },
        _ => SyncState::Rejected { message: result.message.unwrap_or_default(), errors: result.errors },
    }
}

/// The Vietnamese sentence for a failed push.
pub fn describe(error: &ApiError) -> String {
    match error {
        ApiError::Network(_) => i18n::ERROR_NETWORK.to_owned(),
        ApiError::Unauthorized { .. } => i18n::ERROR_SESSION_EXPIRED.to_owned(),
        ApiError::Server { message, .. } => i18n::server_error(message),
        ApiError::Decode(_) => i18n::ERROR_UNEXPECTED_ANSWER.to_owned(),
    }
}
