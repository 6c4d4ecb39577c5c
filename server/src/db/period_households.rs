//! Counting different households visited (or guided) in a period, fast
//! over a million visits. A household counts once however many of its
//! visits fall in the period. Each household has one row per team and year
//! (`household_months`, kept with the visits) with the months and
//! the days it was visited in, and guided in, as bits; so a period is one
//! pass over those rows, testing each row's bits against the period's,
//! without reading a single visit. A period across two or three years
//! counts each household once.
//! Timed in docs/benchmarks.md; checked against gathering the visits (in
//! `sqlite/period_households.rs`).
//!
//! One query text for every backend — `$N` placeholders (SQLite reads them as
//! numbered too), named subqueries, integers cast to BIGINT — but for one
//! case each engine runs faster its own way ([`HouseholdsQuery::new`]).

use super::{DashboardScope, Engine};
use chrono::{Datelike, NaiveDate};
use gocua_domain::figures::{DAYS_PER_MONTH, DAY_COLUMNS};
use gocua_domain::time::month_start;

/// A period, year by year (in Vietnam's time).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Split {
    years: Vec<YearPart>,
}

/// The part of a period in one calendar year: its whole months, and the days of the months it covers in part.
#[derive(Debug, Clone, PartialEq, Eq)]
struct YearPart {
    year: i32,
    /// The whole months, as bits (January is bit 0).
    months: i64,
    /// Per day column (`days_0`…`days_5`), the bits of the days covered outside whole months.
    days: [i64; DAY_COLUMNS],
}

fn split(first_day: NaiveDate, last_day: NaiveDate) -> Split {
    let mut years: Vec<YearPart> = Vec::new();
    let mut month = month_start(first_day);
    while month <= last_day {
        let next = month.checked_add_months(chrono::Months::new(1)).expect("a month after a dashboard's exists");
        let month_end = next.pred_opt().expect("a month has a last day");
        if years.last().is_none_or(|part| part.year != month.year()) {
            years.push(YearPart { year: month.year(), months: 0, days: [0; DAY_COLUMNS] });
        }
        let part = years.last_mut().expect("pushed above");
        if first_day <= month && month_end <= last_day {
            part.months |= 1 << month.month0();
        } else {
            // Days `from..=to` of the month (0-based), shifted into the month's half of its column.
            let (from, to) = (first_day.max(month).day0(), last_day.min(month_end).day0());
            let days = ((1i64 << (to - from + 1)) - 1) << from;
            let shift = (month.month0() % 2) * DAYS_PER_MONTH;
            part.days[month.month0() as usize / 2] |= days << shift;
        }
        month = next;
    }
    Split { years }
}

/// What to count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Count {
    /// Households visited, whatever came of it.
    Reached,
    /// Households where someone was guided.
    Guided,
}

impl Count {
    /// The prefix of the `household_months` columns it reads: `months`/`days_N`, or `guided_…`.
    fn prefix(self) -> &'static str {
        match self {
            Count::Reached => "",
            Count::Guided => "guided_",
        }
    }
}

/// A query answering `(team, households)` rows, both BIGINT: the households
/// of the scope counted in its period, per team when `per_team` (else one
/// row, team 0). A backend runs [`Self::sql`] with [`Self::args`] bound in order.
pub struct HouseholdsQuery {
    sql: String,
    args: Vec<i64>,
}

impl HouseholdsQuery {
    /// The query for `engine`: the same text, but across years, where
    /// PostgreSQL reads the years' rows in one pass and groups them by
    /// household (22 ms over 1,000,000 visits, where a pass a year and a
    /// `UNION` took 29; every team's: 23 against 42), and SQLite merges
    /// them in household order through the primary key, a team at a time
    /// (20 ms, where one pass took 38: docs/benchmarks.md).
    pub fn new(scope: &DashboardScope, count: Count, per_team: bool, engine: Engine) -> Self {
        let split = split(scope.first_day, scope.last_day);
        let one_year = split.years.len() == 1;
        // Which teams' rows: one (the scope's team, or 0: the whole commune's), or every team's.
        let every_team = per_team && scope.team_id.is_none();
        let one_team = scope.team_id.unwrap_or(0);
        // What one team's rows are counted under.
        let label = if per_team { one_team } else { 0 };
        let mut args = Vec::new();
        // The next placeholder, `$N`, for a value pushed to `args`.
        let bind = |args: &mut Vec<i64>, value: i64| {
            args.push(value);
            format!("${}", args.len())
        };
        // Whether a row of `part`'s year saw the household in the period.
        let seen = |args: &mut Vec<i64>, part: &YearPart| {
            let prefix = count.prefix();
            let mut seen = Vec::new();
            if part.months != 0 {
                seen.push(format!("m.{prefix}months & {} <> 0", bind(args, part.months)));
            }
            for (column, days) in part.days.iter().enumerate().filter(|(_, days)| **days != 0) {
                seen.push(format!("m.{prefix}days_{column} & {} <> 0", bind(args, *days)));
            }
            seen.join(" OR ")
        };
        let sql = if one_year || engine == Engine::Postgres {
            // One pass over the rows of the period's years. Inside one year
            // each household has one row per team; across years it may have
            // one a year, and grouping counts it once.
            let commune = bind(&mut args, scope.commune_id);
            let (team, scope_rows) = if every_team {
                ("m.scope_team".to_owned(), "m.scope_team <> 0".to_owned())
            } else {
                (format!("CAST({label} AS BIGINT)"), format!("m.scope_team = {}", bind(&mut args, one_team)))
            };
            let years: Vec<String> = split
                .years
                .iter()
                .map(|part| {
                    format!("(m.year = {} AND ({}))", bind(&mut args, i64::from(part.year)), seen(&mut args, part))
                })
                .collect();
            format!(
                "SELECT team, COUNT(*) AS households FROM (
                     SELECT {team} AS team, m.household_id FROM household_months m
                     WHERE m.commune_id = {commune} AND {scope_rows} AND ({}){}) AS seen
                 GROUP BY team",
                years.join(" OR "),
                if one_year { "" } else { " GROUP BY 1, 2" }
            )
        } else {
            // SQLite, across years: each year's households of a team, merged
            // in household order (only the household is read; the team comes
            // from the label or the teams table).
            let parts: Vec<String> = split
                .years
                .iter()
                .map(|part| {
                    let commune = bind(&mut args, scope.commune_id);
                    let scope_rows = if every_team {
                        "m.scope_team = t.id".to_owned()
                    } else {
                        format!("m.scope_team = {}", bind(&mut args, one_team))
                    };
                    let year = bind(&mut args, i64::from(part.year));
                    format!(
                        "SELECT m.household_id FROM household_months m
                         WHERE m.commune_id = {commune} AND {scope_rows} AND m.year = {year} AND ({})",
                        seen(&mut args, part)
                    )
                })
                .collect();
            if every_team {
                let commune = bind(&mut args, scope.commune_id);
                format!(
                    "SELECT team, households FROM (
                         SELECT t.id AS team, (SELECT COUNT(*) FROM ({} ORDER BY household_id) AS seen) AS households
                         FROM teams t WHERE t.commune_id = {commune}) AS per_team
                     WHERE households > 0",
                    parts.join(" UNION ")
                )
            } else {
                format!(
                    "SELECT CAST({label} AS BIGINT) AS team, COUNT(*) AS households
                     FROM ({} ORDER BY household_id) AS seen HAVING COUNT(*) > 0",
                    parts.join(" UNION ")
                )
            }
        };
        HouseholdsQuery { sql, args }
    }

    pub fn sql(&self) -> &str {
        &self.sql
    }

    pub fn args(&self) -> &[i64] {
        &self.args
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(raw: &str) -> NaiveDate {
        raw.parse().unwrap()
    }

    #[test]
    fn a_quarter_is_three_whole_months() {
        let split = split(day("2026-10-01"), day("2026-12-31"));
        assert_eq!(split.years, [YearPart { year: 2026, months: 0b1110_0000_0000, days: [0; DAY_COLUMNS] }]);
    }

    #[test]
    fn the_days_outside_whole_months_are_day_bits_under_their_year() {
        let split = split(day("2025-12-15"), day("2026-02-10"));
        // 15-31 December: days 14-30 of the second month of column 5; 1-10 February: days 0-9 of column 0's second month.
        let december = ((1i64 << 17) - 1) << (14 + 31);
        let february = ((1i64 << 10) - 1) << 31;
        assert_eq!(
            split.years,
            [
                YearPart { year: 2025, months: 0, days: [0, 0, 0, 0, 0, december] },
                YearPart { year: 2026, months: 0b1, days: [february, 0, 0, 0, 0, 0] },
            ]
        );
    }

    #[test]
    fn a_few_days_inside_one_month_are_only_day_bits() {
        let split = split(day("2026-11-16"), day("2026-11-22"));
        assert_eq!(split.years, [YearPart { year: 2026, months: 0, days: [0, 0, 0, 0, 0, 0b111_1111 << 15] }]);
    }
}
