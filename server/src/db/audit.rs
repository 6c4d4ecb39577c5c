//! The audit log, appended to and never changed: its writes and its read,
//! written once for both engines (`$N` placeholders, which SQLite reads as
//! numbered too). Each backend's `AuditLog` calls these with its pool, and
//! every change writes its entry through its own transaction, so the entry
//! commits with the change it describes.

use super::{AuditNote, DbResult};
use chrono::{DateTime, Utc};
use gocua_domain::api::AuditEntry;
use sqlx::{ColumnIndex, Database, Decode, Encode, Executor, IntoArguments, Row, Type};

/// Writes `note`, if any, through `executor` (the change's transaction);
/// `created` names the record the change created (`village:3`) when the note names none.
pub(super) async fn note<'e, DB>(
    executor: impl Executor<'e, Database = DB>,
    note: Option<&AuditNote>,
    created: impl FnOnce() -> String,
) -> DbResult<()>
where
    DB: Database,
    for<'q> i64: Encode<'q, DB> + Type<DB>,
    for<'q> &'q str: Encode<'q, DB> + Type<DB>,
    for<'q> DateTime<Utc>: Encode<'q, DB> + Type<DB>,
    for<'q> <DB as Database>::Arguments<'q>: IntoArguments<'q, DB>,
{
    let Some(note) = note else { return Ok(()) };
    let subject = note.subject.clone().unwrap_or_else(created);
    record(executor, (note.by.commune_id, note.by.user_id), note.action, &subject, &note.detail, crate::clock::now())
        .await
}

/// Appends an entry: `by`, a user of a commune as `(commune_id, user_id)`, did `action` to `subject`.
pub(super) async fn record<'e, DB>(
    executor: impl Executor<'e, Database = DB>,
    (commune_id, user_id): (i64, i64),
    action: &str,
    subject: &str,
    detail: &str,
    at: DateTime<Utc>,
) -> DbResult<()>
where
    DB: Database,
    for<'q> i64: Encode<'q, DB> + Type<DB>,
    for<'q> &'q str: Encode<'q, DB> + Type<DB>,
    for<'q> DateTime<Utc>: Encode<'q, DB> + Type<DB>,
    for<'q> <DB as Database>::Arguments<'q>: IntoArguments<'q, DB>,
{
    sqlx::query(
        "INSERT INTO audit_log (commune_id, at, actor_id, action, subject, detail) VALUES ($1, $2, $3, $4, $5, $6)",
    )
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

/// The commune's entries before the entry `before` (all, when `None`), newest first.
pub(super) async fn entries<'e, DB>(
    executor: impl Executor<'e, Database = DB>,
    commune_id: i64,
    before: Option<i64>,
    limit: usize,
) -> DbResult<Vec<AuditEntry>>
where
    DB: Database,
    for<'q> i64: Encode<'q, DB> + Type<DB> + Decode<'q, DB>,
    for<'q> Option<i64>: Encode<'q, DB> + Type<DB>,
    for<'q> String: Decode<'q, DB> + Type<DB>,
    for<'q> DateTime<Utc>: Decode<'q, DB> + Type<DB>,
    for<'q> <DB as Database>::Arguments<'q>: IntoArguments<'q, DB>,
    for<'c> &'c str: ColumnIndex<DB::Row>,
{
    let rows = sqlx::query(
        "SELECT a.id, a.at, a.actor_id, u.display_name, a.action, a.subject, a.detail
         FROM audit_log a JOIN users u ON u.id = a.actor_id
         WHERE a.commune_id = $1 AND (CAST($2 AS BIGINT) IS NULL OR a.id < $2)
         ORDER BY a.id DESC LIMIT $3",
    )
    .bind(commune_id)
    .bind(before)
    .bind(i64::try_from(limit).unwrap_or(i64::MAX))
    .fetch_all(executor)
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
