//! Deleting records phones created (visits, community sessions) as
//! tombstones: a deleted record stays, marked, so a late replay of it does
//! not bring it back; an id deleted before it ever arrived is remembered, so
//! its delayed push does not create it. Only a record's author deletes it.

use super::records::Tx;
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

/// What a deletion pushed by a phone did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Deletion {
    /// The stored record is now a tombstone: the caller logs the change.
    Deleted,
    /// Never stored here: the id is remembered.
    Remembered,
    /// Nothing changed: already deleted (`duplicate`) or another author's (`conflict`).
    Unchanged(PushStatus),
}

impl Deletion {
    pub fn status(self) -> PushStatus {
        match self {
            Deletion::Deleted | Deletion::Remembered => PushStatus::Applied,
            Deletion::Unchanged(status) => status,
        }
    }
}

impl Deletable {
    /// The answer to a push of a record deleted before it ever arrived, if it was.
    pub async fn deleted_before_arrival(
        &self,
        tx: &mut Tx<'_>,
        actor: &Scope,
        id: &str,
    ) -> DbResult<Option<PushStatus>> {
        let author_id: Option<i64> =
            sqlx::query_scalar(&format!("SELECT author_id FROM {} WHERE id = ?", self.deleted_ids))
                .bind(id)
                .fetch_optional(&mut **tx)
                .await?;
        Ok(author_id
            .map(|author_id| if author_id == actor.user_id { PushStatus::Duplicate } else { PushStatus::Conflict }))
    }

    /// Deletes the record `id` on behalf of `actor`, its author.
    pub async fn delete(&self, tx: &mut Tx<'_>, actor: &Scope, id: &str, now: DateTime<Utc>) -> DbResult<Deletion> {
        let row = sqlx::query(&format!("SELECT author_id, deleted_at FROM {} WHERE id = ?", self.table))
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?;
        let Some(row) = row else {
            sqlx::query(&format!(
                "INSERT INTO {} (id, author_id, deleted_at) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING",
                self.deleted_ids
            ))
            .bind(id)
            .bind(actor.user_id)
            .bind(now)
            .execute(&mut **tx)
            .await?;
            return Ok(Deletion::Remembered);
        };
        if row.try_get::<i64, _>("author_id")? != actor.user_id {
            return Ok(Deletion::Unchanged(PushStatus::Conflict));
        }
        if row.try_get::<Option<String>, _>("deleted_at")?.is_some() {
            return Ok(Deletion::Unchanged(PushStatus::Duplicate));
        }
        sqlx::query(&format!("UPDATE {} SET deleted_at = ? WHERE id = ?", self.table))
            .bind(now)
            .bind(id)
            .execute(&mut **tx)
            .await?;
        Ok(Deletion::Deleted)
    }
}
