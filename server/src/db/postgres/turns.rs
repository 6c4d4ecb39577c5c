//! A commune's writers take turns in this process before they ask the pool
//! for a connection. They take turns in the database anyway (the commune's
//! advisory lock, shared by every server); without this, a burst of one
//! commune's pushes took every connection of the pool to wait on that lock
//! inside the database, and every other request of this server — another
//! commune's, or a reader of the same one — waited for a connection behind
//! them. Now each server holds at most one connection per commune waiting
//! for its lock, and the rest of a burst waits here, holding nothing.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use tokio::sync::{Mutex as Turn, OwnedMutexGuard};

/// One commune's turn, held until dropped: after its transaction ends.
pub(super) type CommuneTurn = OwnedMutexGuard<()>;

/// The turns of the communes this process has written to.
#[derive(Clone, Default)]
pub(super) struct Turns(Arc<Mutex<HashMap<i64, Arc<Turn<()>>>>>);

impl Turns {
    /// Waits for `commune_id`'s turn, in the order writers asked for it.
    pub async fn take(&self, commune_id: i64) -> CommuneTurn {
        // The map is only ever held for a lookup: a panic cannot leave it half-changed.
        let turn = self.0.lock().unwrap_or_else(PoisonError::into_inner).entry(commune_id).or_default().clone();
        turn.lock_owned().await
    }
}
