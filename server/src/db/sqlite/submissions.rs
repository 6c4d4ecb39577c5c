//! Quarterly reports sent upward, kept as they were submitted.

use super::{audit, begin_write, SqliteDatabase};
use crate::db::storage::ReportSubmissions;
use crate::db::{Actor, DbResult, StoredSubmission};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use gocua_domain::report::Quarter;
use gocua_domain::submission::{may_submit, SubmitRefusal};
use gocua_domain::time::today;
use sqlx::sqlite::SqliteRow;
use sqlx::Row;

const SELECT_SUBMISSION: &str = "SELECT s.submitted_at, u.display_name, s.times, s.report
     FROM report_submissions s JOIN users u ON u.id = s.submitted_by
     WHERE s.commune_id = ?1 AND s.quarter = ?2";

fn submission_from(row: &SqliteRow) -> DbResult<StoredSubmission> {
    Ok(StoredSubmission {
        submitted_at: row.try_get("submitted_at")?,
        submitted_by: row.try_get("display_name")?,
        times: row.try_get("times")?,
        report: row.try_get("report")?,
    })
}

#[async_trait]
impl ReportSubmissions for SqliteDatabase {
    async fn report_submission(&self, commune_id: i64, quarter: Quarter) -> DbResult<Option<StoredSubmission>> {
        let row = sqlx::query(SELECT_SUBMISSION)
            .bind(commune_id)
            .bind(quarter.to_string())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(submission_from).transpose()
    }

    async fn province_submissions(&self, province_id: i64, quarter: Quarter) -> DbResult<Vec<(i64, StoredSubmission)>> {
        let rows = sqlx::query(
            "SELECT s.commune_id, s.submitted_at, u.display_name, s.times, s.report
             FROM report_submissions s JOIN users u ON u.id = s.submitted_by
             WHERE s.commune_id IN (SELECT id FROM communes WHERE province_id = ?1) AND s.quarter = ?2",
        )
        .bind(province_id)
        .bind(quarter.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|row| Ok((row.try_get("commune_id")?, submission_from(row)?))).collect()
    }

    async fn submit_report(
        &self,
        actor: &Actor,
        quarter: Quarter,
        report: &str,
        now: DateTime<Utc>,
    ) -> DbResult<Result<StoredSubmission, SubmitRefusal>> {
        let mut tx = begin_write(&self.pool).await?;
        let before: Option<(u32, DateTime<Utc>)> =
            sqlx::query_as("SELECT times, submitted_at FROM report_submissions WHERE commune_id = ?1 AND quarter = ?2")
                .bind(actor.commune_id)
                .bind(quarter.to_string())
                .fetch_optional(&mut *tx)
                .await?;
        if let Err(refusal) = may_submit(quarter, today(now), before.is_some()) {
            return Ok(Err(refusal));
        }
        // Kept meanwhile: a report compiled after this one, holding at least
        // what it holds, stays; it is what this submission is answered.
        let kept_meanwhile = before.is_some_and(|(_, kept_at)| kept_at > now);
        if !kept_meanwhile {
            let times = before.map_or(0, |(times, _)| times) + 1;
            sqlx::query(
                "INSERT INTO report_submissions (commune_id, quarter, submitted_at, submitted_by, times, report)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (commune_id, quarter) DO UPDATE SET submitted_at = excluded.submitted_at,
                     submitted_by = excluded.submitted_by, times = excluded.times, report = excluded.report",
            )
            .bind(actor.commune_id)
            .bind(quarter.to_string())
            .bind(now)
            .bind(actor.user_id)
            .bind(times)
            .bind(report)
            .execute(&mut *tx)
            .await?;
            let action = if times == 1 { "report.submitted" } else { "report.resubmitted" };
            let subject = format!("report:{quarter}");
            audit::record(&mut *tx, (actor.commune_id, actor.user_id), action, &subject, &format!("lần {times}"), now)
                .await?;
        }
        let row =
            sqlx::query(SELECT_SUBMISSION).bind(actor.commune_id).bind(quarter.to_string()).fetch_one(&mut *tx).await?;
        let stored = submission_from(&row)?;
        tx.commit().await?;
        Ok(Ok(stored))
    }
}
