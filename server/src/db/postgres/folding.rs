//! Folds the visits pushes queue into the dashboard's figures, off the
//! push's path: a task folds them a moment after pushes, and whatever reads
//! the figures folds what is still queued first ([`super::aggregates`]).

use super::aggregates;
use crate::db::DbResult;
use sqlx::PgPool;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, Mutex};

/// How long the fold after a push waits, so that the next batches of a
/// phone's outbox (and other phones' pushes) land first and are folded in
/// the same go: a household visited in several of them then makes one row
/// to merge, not one per batch. Nobody waits for it: what reads the figures
/// folds what is queued first.
const FOLD_DELAY: Duration = Duration::from_secs(1);

/// The folding of one database: cloned with it.
#[derive(Clone)]
pub(super) struct Folding {
    folder: Arc<Folder>,
    /// Wakes the task that folds after pushes; it ends when every clone is dropped.
    wake: mpsc::Sender<()>,
}

/// What folds, shared by the clones of a [`Folding`] and its task.
struct Folder {
    pool: PgPool,
    /// One fold at a time in this process: a dashboard's figures are read
    /// together, and each would otherwise wait its turn on the database's
    /// lock only to find the queue folded. Other servers take turns there.
    one_at_a_time: Mutex<()>,
}

impl Folding {
    /// Starts the task that folds after pushes.
    pub fn start(pool: PgPool) -> Self {
        let folder = Arc::new(Folder { pool, one_at_a_time: Mutex::new(()) });
        // One waiting wake-up is enough: the fold takes everything queued.
        let (wake, woken) = mpsc::channel(1);
        tokio::spawn(fold_after_pushes(folder.clone(), woken));
        Folding { folder, wake }
    }

    /// Folds the queued visits into the figures, if any are.
    pub async fn fold_queued(&self) -> DbResult<()> {
        self.folder.fold().await
    }

    /// Asks for the visits just queued to be folded in soon.
    pub fn fold_soon(&self) {
        // Full: a wake-up is already waiting, and will fold these too.
        let _ = self.wake.try_send(());
    }
}

impl Folder {
    /// Folds in a transaction of its own ([`aggregates::fold_queued`]): the
    /// database's lock lets one fold in at a time, across servers, and each
    /// takes exactly the entries it read under it.
    async fn fold(&self) -> DbResult<()> {
        // Nothing queued, the usual case for a reader: no lock to wait for.
        if !self.queued().await? {
            return Ok(());
        }
        let _turn = self.one_at_a_time.lock().await;
        let mut tx = self.pool.begin().await?;
        // Nothing left (folded by whoever had the turn before) commits nothing.
        aggregates::fold_queued(&mut tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Whether any visits wait in the queue.
    async fn queued(&self) -> DbResult<bool> {
        let queued = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM visits_to_fold)").fetch_one(&self.pool).await?;
        Ok(queued)
    }
}

/// Folds queued visits a moment after pushes wake it, until the database is dropped.
async fn fold_after_pushes(folder: Arc<Folder>, mut woken: mpsc::Receiver<()>) {
    while woken.recv().await.is_some() {
        tokio::time::sleep(FOLD_DELAY).await;
        if let Err(error) = folder.fold().await {
            // Still queued, and durable: the next reader or push folds them.
            tracing::warn!(%error, "folding pushed visits into the figures failed");
        }
    }
}
