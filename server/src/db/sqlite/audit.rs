//! The audit log, appended to and never changed: one implementation for both
//! engines (`crate::db::audit`).

use super::SqliteDatabase;
use crate::db::storage::*;
use crate::db::{Actor, DbResult};
use async_trait::async_trait;
use gocua_domain::api::AuditEntry;

pub(super) use crate::db::audit::{note, record};

#[async_trait]
impl AuditLog for SqliteDatabase {
    async fn audit(&self, actor: &Actor, action: &str, subject: &str, detail: &str) -> DbResult<()> {
        record(&self.pool, (actor.commune_id, actor.user_id), action, subject, detail, crate::clock::now()).await
    }

    /// The commune's entries before `before` (all, when `None`), newest first.
    async fn audit_log(&self, commune_id: i64, before: Option<i64>, limit: usize) -> DbResult<Vec<AuditEntry>> {
        crate::db::audit::entries(&self.pool, commune_id, before, limit).await
    }
}
