//! Counting different households visited (or guided) in a period, fast
//! over a million visits: the period's whole months are read from each
//! household's month bits (`household_months`, one row per household and
//! year), and only the days at its edges from the visits themselves.
//! A household counts once however many of its visits fall in the period.

use crate::db::DashboardScope;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use gocua_domain::time::{month_start, start_of_day};
use sqlx::query::Query;
use sqlx::sqlite::SqliteArguments;
use sqlx::Sqlite;

/// A period as whole months (per year, as bits: January is bit 0) and the days outside them.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Split {
    months: Vec<(i32, i64)>,
    /// `[from, until)` instants of the days at the period's edges.
    edges: Vec<(DateTime<Utc>, DateTime<Utc>)>,
}

fn split(first_day: NaiveDate, last_day: NaiveDate) -> Split {
    let mut split = Split { months: Vec::new(), edges: Vec::new() };
    let mut month = month_start(first_day);
    while month <= last_day {
        let next = month.checked_add_months(chrono::Months::new(1)).expect("a month after a dashboard's exists");
        let month_end = next.pred_opt().expect("a month has a last day");
        if first_day <= month && month_end <= last_day {
            let bit = 1i64 << month.month0();
            match split.months.last_mut() {
                Some((year, bits)) if *year == month.year() => *bits |= bit,
                _ => split.months.push((month.year(), bit)),
            }
        } else {
            let (from, to) = (first_day.max(month), last_day.min(month_end));
            split.edges.push((start_of_day(from), start_of_day(to.succ_opt().expect("a next day exists"))));
        }
        month = next;
    }
    split
}

/// A value to bind, in the order the SQL asks for it.
enum Arg {
    Int(i64),
    At(DateTime<Utc>),
}

/// What to count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Count {
    /// Households visited, whatever came of it.
    Reached,
    /// Households where someone was guided.
    Guided,
}

/// A query answering `(team, households)` rows: the households of the scope
/// counted in its period, per team when `per_team` (else one row, team 0).
pub(super) struct HouseholdsQuery {
    sql: String,
    args: Vec<Arg>,
}

impl HouseholdsQuery {
    pub fn new(scope: &DashboardScope, count: Count, per_team: bool) -> Self {
        let split = split(scope.first_day, scope.last_day);
        let (bits, outcome) = match count {
            Count::Reached => ("months", ""),
            Count::Guided => ("guided_months", " AND v.outcome = 'guided'"),
        };
        let mut args = Vec::new();
        let mut parts = Vec::new();
        if !split.months.is_empty() {
            args.push(Arg::Int(scope.commune_id));
            let scope_rows = match (per_team, scope.team_id) {
                (false, team) => {
                    args.push(Arg::Int(team.unwrap_or(0)));
                    "scope_team = ?"
                }
                (true, Some(team)) => {
                    args.push(Arg::Int(team));
                    "scope_team = ?"
                }
                (true, None) => "scope_team <> 0",
            };
            let mut years = Vec::new();
            for (year, months) in &split.months {
                years.push(format!("(year = ? AND {bits} & ? <> 0)"));
                args.push(Arg::Int(i64::from(*year)));
                args.push(Arg::Int(*months));
            }
            let team = if per_team { "scope_team" } else { "0" };
            parts.push(format!(
                "SELECT {team} AS team, household_id FROM household_months
                 WHERE commune_id = ? AND {scope_rows} AND ({})",
                years.join(" OR ")
            ));
        }
        for (from, until) in &split.edges {
            args.push(Arg::Int(scope.commune_id));
            let by_team = match scope.team_id {
                Some(team) => {
                    args.push(Arg::Int(team));
                    " AND v.team_id = ?"
                }
                None if per_team => " AND v.team_id IS NOT NULL",
                None => "",
            };
            args.push(Arg::At(*from));
            args.push(Arg::At(*until));
            let team = if per_team { "v.team_id" } else { "0" };
            parts.push(format!(
                "SELECT {team} AS team, v.household_id FROM visits v INDEXED BY visits_reached
                 WHERE v.deleted_at IS NULL AND v.commune_id = ?{by_team}
                   AND v.visited_at >= ? AND v.visited_at < ?{outcome}"
            ));
        }
        // UNION keeps each (team, household) once, wherever it was found.
        let sql = format!("SELECT team, COUNT(*) AS households FROM ({}) GROUP BY team", parts.join(" UNION "));
        HouseholdsQuery { sql, args }
    }

    pub fn query(&self) -> Query<'_, Sqlite, SqliteArguments<'_>> {
        self.args.iter().fold(sqlx::query(&self.sql), |query, arg| match arg {
            Arg::Int(value) => query.bind(*value),
            Arg::At(value) => query.bind(*value),
        })
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
        assert_eq!(split.months, [(2026, 0b1110_0000_0000)]);
        assert!(split.edges.is_empty());
    }

    #[test]
    fn the_days_outside_whole_months_are_edges_in_vietnam_time() {
        let split = split(day("2025-12-15"), day("2026-02-10"));
        assert_eq!(split.months, [(2026, 0b1)]);
        let edges: Vec<(String, String)> =
            split.edges.iter().map(|(from, until)| (from.to_rfc3339(), until.to_rfc3339())).collect();
        assert_eq!(
            edges,
            [
                ("2025-12-14T17:00:00+00:00".to_owned(), "2025-12-31T17:00:00+00:00".to_owned()),
                ("2026-01-31T17:00:00+00:00".to_owned(), "2026-02-10T17:00:00+00:00".to_owned()),
            ]
        );
    }

    #[test]
    fn a_few_days_inside_one_month_are_one_edge() {
        let split = split(day("2026-11-16"), day("2026-11-22"));
        assert!(split.months.is_empty());
        assert_eq!(split.edges.len(), 1);
    }
}
