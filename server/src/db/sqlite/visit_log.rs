//! The visit log for exports, read as a stream: rows go to the exporter as
//! they come off the disk, so 100,000 visits take no more memory than 100.

use super::records::stored_visit;
use super::SqliteDatabase;
use crate::db::storage::*;
use crate::db::{DbResult, VisitLogFilter};
use async_trait::async_trait;
use futures_util::TryStreamExt;
use gocua_domain::export::VisitLogRow;
use sqlx::Row;
use tokio::sync::mpsc;

#[async_trait]
impl VisitLog for SqliteDatabase {
    /// Sends the commune's (or one team's) visits matching `filter`, oldest
    /// first, into `rows`; stops when the receiver is gone. Returns how many were sent.
    async fn stream_visit_log(
        &self,
        filter: &VisitLogFilter,
        rows: mpsc::Sender<DbResult<VisitLogRow>>,
    ) -> DbResult<u64> {
        let mut found = sqlx::query(
            "SELECT v.id, v.author_id, v.household_id, v.outcome, v.come_back_on, v.officials, v.pupils, v.adults,
                    v.elderly, v.workers, v.skills, v.note, v.visited_at, v.follow_up_on, v.follow_up_reason,
                    v.revision, v.text_erased_revision, v.received_at,
                    vi.name AS village_name, h.head_name, h.address, COALESCE(t.name, '') AS team_name,
                    u.display_name AS author_name
             FROM visits v
             JOIN households h ON h.id = v.household_id
             JOIN villages vi ON vi.id = h.village_id
             JOIN users u ON u.id = v.author_id
             LEFT JOIN teams t ON t.id = v.team_id
             WHERE v.deleted_at IS NULL AND v.commune_id = ?1
               AND (?2 IS NULL OR v.team_id = ?2)
               AND (?3 IS NULL OR v.visited_at >= ?3)
               AND (?4 IS NULL OR v.visited_at < ?4)
               AND (?5 IS NULL OR h.village_id = ?5)
               AND (?6 IS NULL OR v.author_id = ?6)
             ORDER BY v.visited_at, v.id",
        )
        .bind(filter.commune_id)
        .bind(filter.team_id)
        .bind(filter.from)
        .bind(filter.until)
        .bind(filter.village_id)
        .bind(filter.author_id)
        .fetch(&self.pool);
        let mut sent = 0;
        while let Some(row) = found.try_next().await? {
            let row = stored_visit(&row).and_then(|stored| {
                Ok(VisitLogRow {
                    visit: stored.visit,
                    village: row.try_get("village_name")?,
                    head_name: row.try_get("head_name")?,
                    address: row.try_get("address")?,
                    team: row.try_get("team_name")?,
                    author: row.try_get("author_name")?,
                })
            });
            if rows.send(row).await.is_err() {
                break;
            }
            sent += 1;
        }
        Ok(sent)
    }
}
