//! Folds the visits pushes queue into the dashboard's figures, off the
//! push's path: a task folds them a moment after pushes, and whatever reads
//! the figures folds what is still queued first ([`super::aggregates`]).

use super::aggregates;
use super::begin_write;
use crate::db::DbResult;
use sqlx::SqlitePool;
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

struct Folder {
    pool: SqlitePool,
    /// One fold at a time in this process: a dashboard's figures are read
    /// together, and each would otherwise read the whole queue again.
    one_at_a_time: Mutex<()>,
}

impl Folding {
    pub fn start(pool: SqlitePool) -> Self {
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
    /// The visits are read and folded before the write lock is taken, so
    /// pushes go on meanwhile; under it, the fold is merged if nobody folded
    /// them since (another server on the same database), or else done again there.
    async fn fold(&self) -> DbResult<()> {
        if !self.queued().await? {
            return Ok(());
        }
        let _turn = self.one_at_a_time.lock().await;
        // One read transaction: the queue and the visits as of one moment.
        let mut read = self.pool.begin().await?;
        let fold = aggregates::read_queued(&mut read).await?;
        read.commit().await?;
        // Folded by whoever had the turn before.
        let Some(fold) = fold else { return Ok(()) };
        let mut tx = begin_write(&self.pool).await?;
        if aggregates::merge_queued(&mut tx, &fold).await? {
            tx.commit().await?;
        } else {
            tx.rollback().await?;
            let mut tx = begin_write(&self.pool).await?;
            if aggregates::fold_queued(&mut tx).await? {
                tx.commit().await?;
            }
        }
        Ok(())
    }

    async fn queued(&self) -> DbResult<bool> {
        let queued = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM visits_to_fold)").fetch_one(&self.pool).await?;
        Ok(queued)
    }
}

/// Folds queued visits a moment after pushes wake it, until the database is dropped.
async fn fold_after_pushes(folder: Arc<Folder>, mut woken: mpsc::Receiver<()>) {
    while woken.recv().await.is_some() {
        tokio::time::sleep(FOLD_DELAY).await;
        // A task of its own: a fold that panics (the server unwinds) ends that
        // fold, not this loop. What it left queued, the next one folds.
        let folding = Arc::clone(&folder);
        match tokio::spawn(async move { folding.fold().await }).await {
            Ok(Ok(_)) => {}
            // Still queued, and durable: the next reader or push folds them.
            Ok(Err(error)) => tracing::warn!(%error, "folding pushed visits into the figures failed"),
            Err(panicked) => tracing::error!(error = %panicked, "folding pushed visits into the figures panicked"),
        }
    }
}
