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
    // Checked: chrono panics on the last hours of its range, and a record
    // edited by hand or restored from an odd backup may be dated there.
    instant.naive_utc().checked_add_offset(vietnam()).map_or_else(|| instant.date_naive(), |local| local.date())
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
    fn the_ends_of_the_calendar_have_a_day_and_a_week() {
        // A record dated at the very end of what chrono holds (a hand edit, an odd backup) never panics.
        assert_eq!(local_day(DateTime::<Utc>::MAX_UTC), DateTime::<Utc>::MAX_UTC.date_naive());
        assert_eq!(local_day(DateTime::<Utc>::MIN_UTC), NaiveDate::MIN);
        assert_eq!(week_start(NaiveDate::MIN), NaiveDate::MIN);
        assert_eq!(week_start(NaiveDate::MAX).weekday(), chrono::Weekday::Mon);
    }

    #[test]
    fn local_format_is_day_month_year() {
        let instant: DateTime<Utc> = "2026-11-25T02:05:00Z".parse().unwrap();
        assert_eq!(format_local(instant), "25/11/2026 09:05");
    }
}

/// Records dated before the movement's first year are refused: on a phone
/// whose clock was reset they would land in 1970.
pub fn movement_start() -> DateTime<Utc> {
    chrono::TimeZone::with_ymd_and_hms(&Utc, 2025, 1, 1, 0, 0, 0).single().expect("a valid date")
}

/// Today's date in Vietnam.
pub fn today(now: DateTime<Utc>) -> NaiveDate {
    local_day(now)
}

/// The Monday that starts the week (Vietnamese weeks start on Monday) of `day`.
pub fn week_start(day: NaiveDate) -> NaiveDate {
    let back = chrono::Duration::days(i64::from(day.weekday().num_days_from_monday()));
    // The first days chrono can hold have no Monday before them: that week starts on them.
    day.checked_sub_signed(back).unwrap_or(day)
}

/// An HTML `datetime-local` value ("2026-11-25T09:05"), read as Vietnam's time.
pub fn parse_local_input(value: &str) -> Option<DateTime<Utc>> {
    let naive = chrono::NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M").ok()?;
    naive.and_local_timezone(vietnam()).single().map(|local| local.with_timezone(&Utc))
}

/// The `datetime-local` value of an instant, in Vietnam's time.
pub fn format_local_input(instant: DateTime<Utc>) -> String {
    let local = instant.with_timezone(&vietnam());
    format!("{:04}-{:02}-{:02}T{:02}:{:02}", local.year(), local.month(), local.day(), local.hour(), local.minute())
}

/// An instant as every storage engine keeps it: to the microsecond
/// (PostgreSQL's precision; SQLite would keep nanoseconds). Instants are cut
/// to it where they enter — a visit's time as parsed, the server's clock — so
/// a replayed visit compares equal to the one stored, on any engine.
pub fn to_microseconds(instant: DateTime<Utc>) -> DateTime<Utc> {
    use chrono::SubsecRound;
    instant.trunc_subsecs(6)
}

/// The years a report, a dashboard or an export may ask about. Wider than
/// the movement needs; narrow enough that every date sum stays far inside
/// what chrono can hold (a day asked at its edge made it panic).
pub const REPORTABLE_YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// Whether a day may be asked about (see [`REPORTABLE_YEARS`]).
pub fn is_reportable(day: NaiveDate) -> bool {
    REPORTABLE_YEARS.contains(&day.year())
}

/// The instant a local day starts (midnight in Vietnam), for bounding periods of whole days.
pub fn start_of_day(day: NaiveDate) -> DateTime<Utc> {
    let midnight = day.and_hms_opt(0, 0, 0).expect("midnight exists");
    midnight.and_local_timezone(vietnam()).single().expect("Vietnam has no daylight saving").with_timezone(&Utc)
}

/// The first day of `day`'s month.
pub fn month_start(day: NaiveDate) -> NaiveDate {
    day.with_day(1).expect("every month has a first day")
}

/// The first day of `day`'s quarter (1 January, 1 April, 1 July, 1 October).
pub fn quarter_start(day: NaiveDate) -> NaiveDate {
    let first_month = (day.month0() / 3) * 3 + 1;
    NaiveDate::from_ymd_opt(day.year(), first_month, 1).expect("a quarter starts on a real day")
}

/// "dd/mm/yyyy".
pub fn format_date(day: NaiveDate) -> String {
    format!("{:02}/{:02}/{}", day.day(), day.month(), day.year())
}

#[cfg(test)]
mod input_tests {
    use super::*;

    #[test]
    fn form_times_are_vietnam_times() {
        let instant = parse_local_input("2026-11-25T23:30").unwrap();
        assert_eq!(instant, "2026-11-25T16:30:00Z".parse::<DateTime<Utc>>().unwrap());
        assert_eq!(format_local_input(instant), "2026-11-25T23:30");
        assert!(parse_local_input("25/11/2026").is_none());
    }

    #[test]
    fn weeks_start_on_monday() {
        let wednesday = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        assert_eq!(week_start(wednesday), NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
        let monday = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(week_start(monday), monday);
        assert_eq!(format_date(monday), "23/11/2026");
    }

    #[test]
    fn a_local_day_starts_at_five_in_the_evening_utc_the_day_before() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        assert_eq!(start_of_day(day), "2026-03-01T17:00:00Z".parse::<DateTime<Utc>>().unwrap());
    }

    #[test]
    fn months_and_quarters_start_where_the_calendar_says() {
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        assert_eq!(month_start(day(11, 25)), day(11, 1));
        assert_eq!(quarter_start(day(11, 25)), day(10, 1));
        assert_eq!(quarter_start(day(3, 31)), day(1, 1));
        assert_eq!(quarter_start(day(4, 1)), day(4, 1));
    }
}
