//! Deleting records phones created (visits, community sessions) as
//! tombstones: a deleted record stays, marked, so a late replay of it does
//! not bring it back; an id deleted before it ever arrived is remembered, so
//! its delayed push does not create it. Only a record's author deletes it.

use super::records::Tx;
use crate::db::pushes::{deleted_before_arrival, Deletion};
use crate::db::{DbResult, Scope};
use chrono::{DateTime, Utc};
use gocua_domain::sync::PushStatus;
use sqlx::Row;

/// A kind of record that phones delete: its table, and the table of ids deleted before they arrived.
pub(super) struct Deletable {
    pub table: &'static str,
    pub deleted_ids: &'static str,
}

pub(super) const VISITS: Deletable = Deletable { table: "visits", deleted_ids: "deleted_visit_ids" };
pub(super) const COMMUNITY_SESSIONS: Deletable =
    Deletable { table: "community_sessions", deleted_ids: "deleted_community_session_ids" };

impl Deletable {
    /// The answer to a push of a record deleted before it ever arrived, if it was.
    pub async fn deleted_before_arrival(
        &self,
        tx: &mut Tx<'_>,
        actor: &Scope,
        id: &str,
    ) -> DbResult<Option<PushStatus>> {
        let author_id: Option<i64> =
            sqlx::query_scalar(&format!("SELECT author_id FROM {} WHERE commune_id = ? AND id = ?", self.deleted_ids))
                .bind(actor.commune_id)
                .bind(id)
                .fetch_optional(&mut **tx)
                .await?;
        Ok(author_id.map(|author_id| deleted_before_arrival(author_id, actor)))
    }

    /// Deletes the record `id` on behalf of `actor`, its author.
    pub async fn delete(&self, tx: &mut Tx<'_>, actor: &Scope, id: &str, now: DateTime<Utc>) -> DbResult<Deletion> {
        let row = sqlx::query(&format!("SELECT author_id, deleted_at FROM {} WHERE id = ?", self.table))
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?;
        let held = match &row {
            Some(row) => Some((row.try_get("author_id")?, row.try_get::<Option<String>, _>("deleted_at")?.is_some())),
            None => None,
        };
        let deletion = Deletion::of(held, actor);
        if deletion == Deletion::Remembered {
            // Remembered already: the deletion sent again, or another user's.
            if let Some(status) = self.deleted_before_arrival(tx, actor, id).await? {
                return Ok(Deletion::Unchanged(status));
            }
            sqlx::query(&format!(
                "INSERT INTO {} (commune_id, id, author_id, deleted_at) VALUES (?, ?, ?, ?)
                 ON CONFLICT (commune_id, id) DO NOTHING",
                self.deleted_ids
            ))
            .bind(actor.commune_id)
            .bind(id)
            .bind(actor.user_id)
            .bind(now)
            .execute(&mut **tx)
            .await?;
        }
        if deletion == Deletion::Deleted {
            sqlx::query(&format!("UPDATE {} SET deleted_at = ? WHERE id = ?", self.table))
                .bind(now)
                .bind(id)
                .execute(&mut **tx)
                .await?;
        }
        Ok(deletion)
    }
}
