//! Ending a session on the server when the phone signs out. Signing out
//! offline must not leave the session usable for 60 days: the token is kept
//! aside and the server told as soon as the phone is online again.

use crate::api::{self, ApiError};
use crate::notebook::Notebook;

/// Tells the server the session of `token` is over, now or, if offline, later.
pub fn end_session(notebook: Notebook, token: String) {
    leptos::task::spawn_local(async move {
        if let Err(ApiError::Network(_)) = api::logout(&token).await {
            if let Ok(store) = notebook.store() {
                let mut waiting = store.ended_sessions();
                waiting.push(token);
                let _ = store.save_ended_sessions(&waiting);
            }
        }
    });
}

/// Ends on the server every session signed out of while offline; what still
/// cannot reach it waits for the next time.
pub async fn end_waiting_sessions(notebook: Notebook) {
    let Ok(store) = notebook.store() else { return };
    let waiting = store.ended_sessions();
    if waiting.is_empty() {
        return;
    }
    let mut still = Vec::new();
    for token in waiting {
        // Any answer but none at all means the server no longer accepts it.
        if let Err(ApiError::Network(_)) = api::logout(&token).await {
            still.push(token);
        }
    }
    let _ = store.save_ended_sessions(&still);
}
