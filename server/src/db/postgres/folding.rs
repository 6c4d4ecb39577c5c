//! Folds the visits pushes queue into the dashboard's figures, off the
//! push's path: a task folds them a moment after pushes, and whatever reads
//! a commune's figures folds what the commune still has queued first
//! ([`super::aggregates`]).

use super::aggregates;
use super::turns::Turns;
use crate::db::DbResult;
use sqlx::PgPool;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc;

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
    /// One fold of a commune at a time in this process: a dashboard's
    /// figures are read together, and each would otherwise wait its turn on
    /// the database's lock only to find the queue folded. Other servers take
    /// turns there.
    turns: Turns,
}

impl Folding {
    /// Starts the task that folds after pushes.
    pub fn start(pool: PgPool) -> Self {
        let folder = Arc::new(Folder { pool, turns: Turns::default() });
        // One waiting wake-up is enough: the fold takes everything queued.
        let (wake, woken) = mpsc::channel(1);
        tokio::spawn(fold_after_pushes(folder.clone(), woken));
        Folding { folder, wake }
    }

    /// Folds a commune's queued visits into its figures, if any are.
    pub async fn fold_queued(&self, commune_id: i64) -> DbResult<()> {
        self.folder.fold(commune_id).await
    }

    /// Folds every commune's queued visits.
    pub async fn fold_all_queued(&self) -> DbResult<()> {
        self.folder.fold_all().await
    }

    /// Asks for the visits just queued to be folded in soon.
    pub fn fold_soon(&self) {
        // Full: a wake-up is already waiting, and will fold these too.
        let _ = self.wake.try_send(());
    }
}

impl Folder {
    /// Folds in a transaction of its own ([`aggregates::fold_queued`]): the
    /// database's lock lets one fold of the commune in at a time, across
    /// servers, and each takes exactly the entries it read under it.
    async fn fold(&self, commune_id: i64) -> DbResult<()> {
        // Nothing queued, the usual case for a reader: no lock to wait for.
        if !self.queued(commune_id).await? {
            return Ok(());
        }
        let _turn = self.turns.take(commune_id).await;
        let mut tx = self.pool.begin().await?;
        // Nothing left (folded by whoever had the turn before) commits nothing.
        aggregates::fold_queued(&mut tx, commune_id).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Folds each commune that has visits queued, one after the other; one
    /// commune's failure does not hold back the others' (its visits stay
    /// queued, durable, for its next reader or fold), and is answered last.
    async fn fold_all(&self) -> DbResult<()> {
        let communes: Vec<i64> =
            sqlx::query_scalar("SELECT DISTINCT commune_id FROM visits_to_fold").fetch_all(&self.pool).await?;
        let mut first_failure = None;
        for commune_id in communes {
            if let Err(error) = self.fold(commune_id).await {
                tracing::warn!(%error, commune_id, "folding a commune's pushed visits into its figures failed");
                first_failure.get_or_insert(error);
            }
        }
        first_failure.map_or(Ok(()), Err)
    }

    /// Whether any visits of the commune wait in the queue.
    async fn queued(&self, commune_id: i64) -> DbResult<bool> {
        let queued = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM visits_to_fold WHERE commune_id = $1)")
            .bind(commune_id)
            .fetch_one(&self.pool)
            .await?;
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
        match tokio::spawn(async move { folding.fold_all().await }).await {
            Ok(Ok(_)) => {}
            // Still queued, and durable: the next reader or push folds them.
            Ok(Err(error)) => tracing::warn!(%error, "folding pushed visits into the figures failed"),
            Err(panicked) => tracing::error!(error = %panicked, "folding pushed visits into the figures panicked"),
        }
    }
}
