//! Running the PostgreSQL backend as a service: readiness. Backups are
//! PostgreSQL's own (`pg_dump`, or continuous archiving): README.

use super::{PostgresDatabase, MIGRATIONS};
use crate::db::storage::{Operations, Readiness};
use crate::db::DbResult;
use async_trait::async_trait;

#[async_trait]
impl Operations for PostgresDatabase {
    async fn readiness(&self) -> DbResult<Readiness> {
        let found: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success")
            .fetch_one(&self.pool)
            .await?;
        let expected = MIGRATIONS.iter().map(|migration| migration.version).max().unwrap_or(0);
        Ok(if found == expected { Readiness::Ready } else { Readiness::SchemaMismatch { found, expected } })
    }
}
