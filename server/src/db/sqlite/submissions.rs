//! Quarterly reports sent upward, kept as they were submitted: one
//! implementation for both engines (`crate::db::submissions`); here, how
//! this engine opens the write.

use super::{begin_write, SqliteDatabase};
use crate::db::storage::ReportSubmissions;
use crate::db::submissions::Submissions;
use crate::db::{Actor, DbResult, StoredSubmission};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use gocua_domain::report::Quarter;
use gocua_domain::submission::SubmitRefusal;

#[async_trait]
impl ReportSubmissions for SqliteDatabase {
    async fn report_submission(&self, commune_id: i64, quarter: Quarter) -> DbResult<Option<StoredSubmission>> {
        Submissions::of_commune(&self.pool, commune_id, quarter).await
    }

    async fn province_submissions(&self, province_id: i64, quarter: Quarter) -> DbResult<Vec<(i64, StoredSubmission)>> {
        Submissions::of_province(&self.pool, province_id, quarter).await
    }

    async fn submit_report(
        &self,
        actor: &Actor,
        quarter: Quarter,
        report: &str,
        now: DateTime<Utc>,
    ) -> DbResult<Result<StoredSubmission, SubmitRefusal>> {
        let mut tx = begin_write(&self.pool).await?;
        let submitted = Submissions::submit::<sqlx::Sqlite>(&mut tx, actor, quarter, report, now).await?;
        if submitted.is_ok() {
            tx.commit().await?;
        }
        Ok(submitted)
    }
}
