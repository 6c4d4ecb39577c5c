//! The audit log: appended to, never changed.

use super::SqliteDatabase;
use crate::db::storage::*;
use crate::db::{Actor, AuditNote, DbResult};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use gocua_domain::api::AuditEntry;
use sqlx::{Row, Sqlite};
/// Appends an entry through `executor`: the pool, or a transaction so the
/// entry commits with the change it describes.
/// Writes `note`, if any, through `executor` (the change's transaction);
/// `created` names the record the change created (`village:3`) when the note names none.
pub(super) async fn note<'e>(
    executor: impl sqlx::Executor<'e, Database = Sqlite>,
    note: Option<&AuditNote>,
    created: impl FnOnce() -> String,
) -> DbResult<()> {
    let Some(note) = note else { return Ok(()) };
    let subject = note.subject.clone().unwrap_or_else(created);
    record(executor, (note.by.commune_id, note.by.user_id), note.action, &subject, &note.detail, crate::clock::now())
        .await
}

/// Appends an entry: `by`, a user of a commune as `(commune_id, user_id)`, did `action` to `subject`.
pub(super) async fn record<'e>(
    executor: impl sqlx::Executor<'e, Database = Sqlite>,
    (commune_id, user_id): (i64, i64),
    action: &str,
    subject: &str,
    detail: &str,
    at: DateTime<Utc>,
) -> DbResult<()> {
    sqlx::query("INSERT INTO audit_log (commune_id, at, actor_id, action, subject, detail) VALUES (?, ?, ?, ?, ?, ?)")
        .bind(commune_id)
        .bind(at)
        .bind(user_id)
        .bind(action)
        .bind(subject)
        .bind(detail)
        .execute(executor)
        .await?;
    Ok(())
}

#[async_trait]
impl AuditLog for SqliteDatabase {
    async fn audit(&self, actor: &Actor, action: &str, subject: &str, detail: &str) -> DbResult<()> {
        record(&self.pool, (actor.commune_id, actor.user_id), action, subject, detail, crate::clock::now()).await
    }

    /// The commune's entries before `before` (all, when `None`), newest first.
    async fn audit_log(&self, commune_id: i64, before: Option<i64>, limit: usize) -> DbResult<Vec<AuditEntry>> {
        let rows = sqlx::query(
            "SELECT a.id, a.at, a.actor_id, u.display_name, a.action, a.subject, a.detail
             FROM audit_log a JOIN users u ON u.id = a.actor_id
             WHERE a.commune_id = ?1 AND (?2 IS NULL OR a.id < ?2)
             ORDER BY a.id DESC LIMIT ?3",
        )
        .bind(commune_id)
        .bind(before)
        .bind(limit as i64)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(AuditEntry {
                    id: row.try_get("id")?,
                    at: row.try_get("at")?,
                    actor_id: row.try_get("actor_id")?,
                    actor_name: row.try_get("display_name")?,
                    action: row.try_get("action")?,
                    subject: row.try_get("subject")?,
                    detail: row.try_get("detail")?,
                })
            })
            .collect()
    }
}
