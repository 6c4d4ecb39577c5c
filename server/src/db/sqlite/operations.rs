//! Running the SQLite backend as a service: readiness and online backup.

use super::SqliteDatabase;
use crate::db::storage::{Operations, Readiness};
use crate::db::{DbError, DbResult};
use async_trait::async_trait;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::Connection;
use std::path::Path;
use std::str::FromStr;

#[async_trait]
impl Operations for SqliteDatabase {
    async fn readiness(&self) -> DbResult<Readiness> {
        let found: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success")
            .fetch_one(&self.pool)
            .await?;
        let expected = SqliteDatabase::schema_version();
        Ok(if found == expected { Readiness::Ready } else { Readiness::SchemaMismatch { found, expected } })
    }
}

impl SqliteDatabase {
    /// `VACUUM INTO`: one read transaction, so the copy is the database as of
    /// its start, while pushes go on committing (WAL readers never block
    /// writers). One connection of its own, opened without creating the file.
    pub async fn back_up(url: &str, to: &Path) -> DbResult<()> {
        let refuse = |why: &str| DbError::BackupTarget(format!("{}: {why}", to.display()));
        if to.exists() {
            return Err(refuse("the file exists; a backup never overwrites one"));
        }
        let to = to.to_str().ok_or_else(|| refuse("not a UTF-8 path"))?;
        let options = SqliteConnectOptions::from_str(url)?.create_if_missing(false);
        let mut source = SqliteConnection::connect_with(&options).await?;
        sqlx::query("VACUUM INTO ?").bind(to).execute(&mut source).await?;
        source.close().await?;
        Ok(())
    }
}
