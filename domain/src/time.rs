//! Vietnam's clock. Instants are stored in UTC; days, weeks and quarters are
//! counted in Asia/Ho_Chi_Minh, which is UTC+7 all year (no daylight saving),
//! so a fixed offset is exact and spares the app a time-zone database.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Timelike, Utc};

const VIETNAM_OFFSET_SECONDS: i32 = 7 * 3600;

/// The Asia/Ho_Chi_Minh offset.
pub fn vietnam() -> FixedOffset {
    FixedOffset::east_opt(VIETNAM_OFFSET_SECONDS).expect("UTC+7 is a valid offset")
}

/// The local calendar day on which an instant falls in Vietnam.
pub fn local_day(instant: DateTime<Utc>) -> NaiveDate {
    instant.with_timezone(&vietnam()).date_naive()
}

/// "dd/mm/yyyy HH:MM", the way dates are written in Vietnam.
pub fn format_local(instant: DateTime<Utc>) -> String {
    // Written out rather than with chrono's `format`, whose pattern engine
    // would add kilobytes to the phone's download.
    let local = instant.with_timezone(&vietnam());
    format!("{:02}/{:02}/{} {:02}:{:02}", local.day(), local.month(), local.year(), local.hour(), local.minute())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_visit_at_half_past_eleven_at_night_counts_on_that_local_day() {
        // 23:30 in Vietnam on 31 March is 16:30 UTC the same day.
        let instant: DateTime<Utc> = "2026-03-31T16:30:00Z".parse().unwrap();
        assert_eq!(local_day(instant), NaiveDate::from_ymd_opt(2026, 3, 31).unwrap());
        // 00:30 in Vietnam on 1 April is still 31 March in UTC.
        let instant: DateTime<Utc> = "2026-03-31T17:30:00Z".parse().unwrap();
        assert_eq!(local_day(instant), NaiveDate::from_ymd_opt(2026, 4, 1).unwrap());
    }

    #[test]
    fn local_format_is_day_month_year() {
        let instant: DateTime<Utc> = "2026-11-25T02:05:00Z".parse().unwrap();
        assert_eq!(format_local(instant), "25/11/2026 09:05");
    }
}
