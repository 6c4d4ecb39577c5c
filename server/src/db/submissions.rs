//! Quarterly reports sent upward, kept as they were submitted: the reads and
//! the guarded write, written once for both engines. Each backend opens the
//! write's transaction its own way (SQLite's `BEGIN IMMEDIATE`, PostgreSQL
//! under the commune's lock) and hands its connection here. One query text
//! for both: `$N` placeholders (SQLite reads them as numbered too) and the
//! count cast to BIGINT.

use super::audit::record;
use super::stored::count_from;
use super::{Actor, DbResult, StoredSubmission};
use chrono::{DateTime, Utc};
use gocua_domain::report::Quarter;
use gocua_domain::submission::{may_submit, SubmitRefusal};
use gocua_domain::time::today;
use sqlx::{ColumnIndex, Database, Decode, Encode, Executor, IntoArguments, Pool, Row, Type};

const SELECT_SUBMISSION: &str = "SELECT s.submitted_at, u.display_name, CAST(s.times AS BIGINT) AS times, s.report
     FROM report_submissions s JOIN users u ON u.id = s.submitted_by
     WHERE s.commune_id = $1 AND s.quarter = $2";

/// A row of [`SELECT_SUBMISSION`], from either engine.
fn submission_from<R>(row: &R) -> DbResult<StoredSubmission>
where
    R: Row,
    for<'c> &'c str: ColumnIndex<R>,
    for<'r> i64: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> String: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> DateTime<Utc>: Decode<'r, R::Database> + Type<R::Database>,
{
    Ok(StoredSubmission {
        submitted_at: row.try_get("submitted_at")?,
        submitted_by: row.try_get("display_name")?,
        times: count_from(row.try_get("times")?, "a submission's times")?,
        report: row.try_get("report")?,
    })
}

/// The reads and the write of kept submissions, for either engine's pool.
pub(super) struct Submissions;

impl Submissions {
    /// A commune's submission of `quarter`, if it sent one.
    pub async fn of_commune<DB>(
        pool: &Pool<DB>,
        commune_id: i64,
        quarter: Quarter,
    ) -> DbResult<Option<StoredSubmission>>
    where
        DB: Database,
        for<'q> i64: Encode<'q, DB> + Type<DB> + Decode<'q, DB>,
        for<'q> String: Encode<'q, DB> + Type<DB> + Decode<'q, DB>,
        for<'q> DateTime<Utc>: Decode<'q, DB> + Type<DB>,
        for<'q> <DB as Database>::Arguments<'q>: IntoArguments<'q, DB>,
        for<'c> &'c mut <DB as Database>::Connection: Executor<'c, Database = DB>,
        for<'c> &'c str: ColumnIndex<DB::Row>,
    {
        let row =
            sqlx::query(SELECT_SUBMISSION).bind(commune_id).bind(quarter.to_string()).fetch_optional(pool).await?;
        row.as_ref().map(submission_from).transpose()
    }

    /// Every submission of `quarter` by a commune of the province, with the commune's id.
    pub async fn of_province<DB>(
        pool: &Pool<DB>,
        province_id: i64,
        quarter: Quarter,
    ) -> DbResult<Vec<(i64, StoredSubmission)>>
    where
        DB: Database,
        for<'q> i64: Encode<'q, DB> + Type<DB> + Decode<'q, DB>,
        for<'q> String: Encode<'q, DB> + Type<DB> + Decode<'q, DB>,
        for<'q> DateTime<Utc>: Decode<'q, DB> + Type<DB>,
        for<'q> <DB as Database>::Arguments<'q>: IntoArguments<'q, DB>,
        for<'c> &'c mut <DB as Database>::Connection: Executor<'c, Database = DB>,
        for<'c> &'c str: ColumnIndex<DB::Row>,
    {
        let rows = sqlx::query(
            "SELECT s.commune_id, s.submitted_at, u.display_name, CAST(s.times AS BIGINT) AS times, s.report
             FROM report_submissions s JOIN users u ON u.id = s.submitted_by
             WHERE s.commune_id IN (SELECT id FROM communes WHERE province_id = $1) AND s.quarter = $2",
        )
        .bind(province_id)
        .bind(quarter.to_string())
        .fetch_all(pool)
        .await?;
        rows.iter().map(|row| Ok((row.try_get("commune_id")?, submission_from(row)?))).collect()
    }

    /// Keeps `report` as the actor's commune's submission of `quarter`, if
    /// the quarter may be submitted now, with its audit entry — through `tx`,
    /// a write transaction the backend opened so two submissions at once are
    /// judged in turn. The caller commits.
    pub async fn submit<DB>(
        tx: &mut DB::Connection,
        actor: &Actor,
        quarter: Quarter,
        report: &str,
        now: DateTime<Utc>,
    ) -> DbResult<Result<StoredSubmission, SubmitRefusal>>
    where
        DB: Database,
        for<'q> i64: Encode<'q, DB> + Type<DB> + Decode<'q, DB>,
        for<'q> String: Encode<'q, DB> + Type<DB> + Decode<'q, DB>,
        for<'q> &'q str: Encode<'q, DB> + Type<DB>,
        for<'q> DateTime<Utc>: Encode<'q, DB> + Decode<'q, DB> + Type<DB>,
        for<'q> <DB as Database>::Arguments<'q>: IntoArguments<'q, DB>,
        for<'c> &'c mut <DB as Database>::Connection: Executor<'c, Database = DB>,
        for<'c> &'c str: ColumnIndex<DB::Row>,
    {
        let before = sqlx::query(
            "SELECT CAST(times AS BIGINT) AS times, submitted_at FROM report_submissions
             WHERE commune_id = $1 AND quarter = $2",
        )
        .bind(actor.commune_id)
        .bind(quarter.to_string())
        .fetch_optional(&mut *tx)
        .await?
        .map(|row| -> DbResult<(u32, DateTime<Utc>)> {
            Ok((count_from(row.try_get("times")?, "a submission's times")?, row.try_get("submitted_at")?))
        })
        .transpose()?;
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
                 VALUES ($1, $2, $3, $4, $5, $6)
                 ON CONFLICT (commune_id, quarter) DO UPDATE SET submitted_at = excluded.submitted_at,
                     submitted_by = excluded.submitted_by, times = excluded.times, report = excluded.report",
            )
            .bind(actor.commune_id)
            .bind(quarter.to_string())
            .bind(now)
            .bind(actor.user_id)
            .bind(i64::from(times))
            .bind(report)
            .execute(&mut *tx)
            .await?;
            let action = if times == 1 { "report.submitted" } else { "report.resubmitted" };
            let subject = format!("report:{quarter}");
            record(&mut *tx, (actor.commune_id, actor.user_id), action, &subject, &format!("lần {times}"), now).await?;
        }
        let row =
            sqlx::query(SELECT_SUBMISSION).bind(actor.commune_id).bind(quarter.to_string()).fetch_one(&mut *tx).await?;
        Ok(Ok(submission_from(&row)?))
    }
}
