//! Sending the quarterly report upward (issue 15). The plan asks every unit
//! to report each quarter "chậm nhất vào ngày 10 của tháng cuối quý", so that
//! the levels above can consolidate the reports. A commune's coordinator
//! submits the quarter's report; what was submitted is kept as it was (later
//! visits do not change it). Until the due date a resubmission replaces it;
//! after, what was sent upward stands — a commune that sent nothing by then
//! may still send it, late.

use crate::report::{Quarter, QuarterlyReport};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// Where a commune's report for a quarter stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    /// Submitted by the due date.
    OnTime,
    /// Submitted after the due date.
    Late,
    /// Not submitted, and the due date has not passed.
    Due,
    /// Not submitted, and the due date has passed.
    Missing,
}

impl Standing {
    /// Where the report of `quarter` stands on `today` (Vietnam's day), given
    /// the day it was submitted, if it was.
    pub fn of(quarter: Quarter, today: NaiveDate, submitted_on: Option<NaiveDate>) -> Standing {
        let due = quarter.report_due();
        match submitted_on {
            Some(day) if day <= due => Standing::OnTime,
            Some(_) => Standing::Late,
            None if today <= due => Standing::Due,
            None => Standing::Missing,
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Standing::OnTime => "Đã nộp đúng hạn",
            Standing::Late => "Đã nộp trễ hạn",
            Standing::Due => "Chưa nộp",
            Standing::Missing => "Quá hạn, chưa nộp",
        }
    }
}

/// Why a report may not be submitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubmitRefusal {
    /// The quarter has not begun: there is nothing to report yet.
    NotStarted,
    /// Submitted already, and the due date has passed: what was sent upward
    /// stands (the levels above may have consolidated it).
    Closed { due: NaiveDate },
}

impl SubmitRefusal {
    pub fn message_vi(self) -> String {
        match self {
            SubmitRefusal::NotStarted => "Quý này chưa bắt đầu: chưa có gì để báo cáo.".to_owned(),
            SubmitRefusal::Closed { due } => format!(
                "Báo cáo quý này đã nộp và đã quá hạn ({}): báo cáo đã nộp được giữ nguyên.",
                due.format("%d/%m/%Y")
            ),
        }
    }
}

/// Whether the report of `quarter` may be submitted on `today` (Vietnam's
/// day), given whether one was submitted before.
pub fn may_submit(quarter: Quarter, today: NaiveDate, submitted_before: bool) -> Result<(), SubmitRefusal> {
    if today < quarter.first_day() {
        return Err(SubmitRefusal::NotStarted);
    }
    let due = quarter.report_due();
    if submitted_before && today > due {
        return Err(SubmitRefusal::Closed { due });
    }
    Ok(())
}

/// A quarter's submitted report and where it stands:
/// `GET /api/v1/reports/quarterly/submission`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmissionStatus {
    /// `2026-Q4`.
    pub quarter: String,
    pub due: NaiveDate,
    pub standing: Standing,
    /// What was submitted, if anything.
    pub submission: Option<Submission>,
}

/// A report as it was submitted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Submission {
    pub submitted_at: DateTime<Utc>,
    /// The coordinator who submitted it last.
    pub submitted_by: String,
    /// How many times it was submitted: 1, then one more each time it was replaced.
    pub times: u32,
    /// The report's figures as they were when submitted.
    pub report: QuarterlyReport,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    const Q4: Quarter = Quarter { year: 2026, number: 4 };

    #[test]
    fn a_report_is_submitted_once_the_quarter_began_and_replaced_until_the_due_date() {
        assert_eq!(may_submit(Q4, day(2026, 9, 30), false), Err(SubmitRefusal::NotStarted));
        assert_eq!(may_submit(Q4, day(2026, 10, 1), false), Ok(()));
        assert_eq!(may_submit(Q4, day(2026, 12, 10), true), Ok(()), "replaced on the due date itself");
        assert_eq!(may_submit(Q4, day(2026, 12, 11), true), Err(SubmitRefusal::Closed { due: day(2026, 12, 10) }));
        assert_eq!(may_submit(Q4, day(2027, 2, 1), false), Ok(()), "sent late rather than never");
    }

    #[test]
    fn a_report_stands_on_time_late_due_or_missing() {
        assert_eq!(Standing::of(Q4, day(2026, 12, 1), None), Standing::Due);
        assert_eq!(Standing::of(Q4, day(2026, 12, 10), None), Standing::Due);
        assert_eq!(Standing::of(Q4, day(2026, 12, 11), None), Standing::Missing);
        assert_eq!(Standing::of(Q4, day(2026, 12, 20), Some(day(2026, 12, 10))), Standing::OnTime);
        assert_eq!(Standing::of(Q4, day(2026, 12, 20), Some(day(2026, 12, 11))), Standing::Late);
    }

    #[test]
    fn the_refusal_says_what_stands_in_vietnamese() {
        let closed = SubmitRefusal::Closed { due: day(2026, 12, 10) }.message_vi();
        assert!(closed.contains("10/12/2026") && closed.contains("giữ nguyên"), "{closed}");
    }
}
