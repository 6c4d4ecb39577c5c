//! Counting different households visited (or guided) in a period, fast
//! over a million visits. A household counts once however many of its
//! visits fall in the period. Each household has month bits per year
//! (`household_months`: the months it was visited in, and guided in), so:
//!
//! - a period of a few days or weeks inside one or two months gathers its
//!   visits' households and counts them apart;
//! - a period with whole months (a quarter, a year) walks the households
//!   once: its month bits answer for the whole months, and only a household
//!   whose bits show the month of an edge day is looked up in its visits.
//!
//! Both plans are timed in docs/benchmarks.md and checked against each other below.

use crate::db::DashboardScope;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use gocua_domain::time::{month_start, start_of_day};
use sqlx::query::Query;
use sqlx::sqlite::SqliteArguments;
use sqlx::Sqlite;

/// A period, year by year: its whole months, and the days outside them.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Split {
    years: Vec<YearPart>,
}

/// The part of a period in one calendar year (in Vietnam's time).
#[derive(Debug, Clone, PartialEq, Eq)]
struct YearPart {
    year: i32,
    /// The whole months, as bits (January is bit 0).
    months: i64,
    edges: Vec<Edge>,
}

/// Days of a month that the period covers only in part.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Edge {
    /// The month's bit, as in [`YearPart::months`].
    month: i64,
    /// `[from, until)`: the instants of those days.
    from: DateTime<Utc>,
    until: DateTime<Utc>,
}

impl Split {
    fn has_whole_months(&self) -> bool {
        self.years.iter().any(|part| part.months != 0)
    }

    fn edges(&self) -> impl Iterator<Item = &Edge> {
        self.years.iter().flat_map(|part| &part.edges)
    }
}

fn split(first_day: NaiveDate, last_day: NaiveDate) -> Split {
    let mut years: Vec<YearPart> = Vec::new();
    let mut month = month_start(first_day);
    while month <= last_day {
        let next = month.checked_add_months(chrono::Months::new(1)).expect("a month after a dashboard's exists");
        let month_end = next.pred_opt().expect("a month has a last day");
        if years.last().is_none_or(|part| part.year != month.year()) {
            years.push(YearPart { year: month.year(), months: 0, edges: Vec::new() });
        }
        let part = years.last_mut().expect("pushed above");
        let bit = 1i64 << month.month0();
        if first_day <= month && month_end <= last_day {
            part.months |= bit;
        } else {
            let (from, to) = (first_day.max(month), last_day.min(month_end));
            let until = start_of_day(to.succ_opt().expect("a next day exists"));
            part.edges.push(Edge { month: bit, from: start_of_day(from), until });
        }
        month = next;
    }
    Split { years }
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

impl Count {
    /// The `household_months` column of the months it counts.
    fn bits(self) -> &'static str {
        match self {
            Count::Reached => "months",
            Count::Guided => "guided_months",
        }
    }

    /// The condition on a visit `v` it counts.
    fn outcome(self) -> &'static str {
        match self {
            Count::Reached => "",
            Count::Guided => " AND v.outcome = 'guided'",
        }
    }
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
        if split.has_whole_months() {
            Self::from_households(scope, &split, count, per_team)
        } else {
            Self::from_visits(scope, &split, count, per_team)
        }
    }

    /// Gathers the households of the period's visits (its edges: `split` may
    /// name any days) and counts each once.
    fn from_visits(scope: &DashboardScope, split: &Split, count: Count, per_team: bool) -> Self {
        let mut args = Vec::new();
        let mut parts = Vec::new();
        for edge in split.edges() {
            args.push(Arg::Int(scope.commune_id));
            let by_team = match scope.team_id {
                Some(team) => {
                    args.push(Arg::Int(team));
                    " AND v.team_id = ?"
                }
                None if per_team => " AND v.team_id IS NOT NULL",
                None => "",
            };
            args.push(Arg::At(edge.from));
            args.push(Arg::At(edge.until));
            let team = if per_team { "v.team_id" } else { "0" };
            parts.push(format!(
                "SELECT {team} AS team, v.household_id FROM visits v INDEXED BY visits_reached
                 WHERE v.deleted_at IS NULL AND v.commune_id = ?{by_team}
                   AND v.visited_at >= ? AND v.visited_at < ?{}",
                count.outcome()
            ));
        }
        // A household visited several times (or on both edges) counts once.
        let sql = format!(
            "SELECT team, COUNT(DISTINCT household_id) AS households FROM ({}) GROUP BY team",
            parts.join(" UNION ALL ")
        );
        HouseholdsQuery { sql, args }
    }

    /// Walks the scope's households once, from their month bits: in one
    /// year, its `household_months` rows (`m`); across years, its progress
    /// rows (one a household ever visited), asking each year's row in turn.
    fn from_households(scope: &DashboardScope, split: &Split, count: Count, per_team: bool) -> Self {
        let mut args = vec![Arg::Int(scope.commune_id)];
        let (driver, team_column) = match &split.years[..] {
            [_] => ("household_months m", "m.scope_team"),
            _ => ("household_progress p", "p.scope_team"),
        };
        let scope_rows = match (per_team, scope.team_id) {
            (false, team) => {
                args.push(Arg::Int(team.unwrap_or(0)));
                format!("{team_column} = ?")
            }
            (true, Some(team)) => {
                args.push(Arg::Int(team));
                format!("{team_column} = ?")
            }
            (true, None) => format!("{team_column} <> 0"),
        };
        let team = if per_team { team_column } else { "0" };
        let sql = if let [part] = &split.years[..] {
            let seen = seen_in_year(part, count, &mut args);
            format!(
                "SELECT {team} AS team, COUNT(*) AS households FROM {driver}
                 WHERE m.commune_id = ? AND {scope_rows} AND {seen} GROUP BY team"
            )
        } else {
            args.push(Arg::At(scope.until));
            let years: Vec<String> = split
                .years
                .iter()
                .map(|part| {
                    let seen = seen_in_year(part, count, &mut args);
                    format!(
                        "EXISTS (SELECT 1 FROM household_months m WHERE m.household_id = p.household_id
                                 AND m.scope_team = p.scope_team AND {seen})"
                    )
                })
                .collect();
            format!(
                "SELECT {team} AS team, COUNT(*) AS households FROM {driver}
                 WHERE p.commune_id = ? AND {scope_rows} AND p.first_visit_at < ? AND ({}) GROUP BY team",
                years.join(" OR ")
            )
        };
        HouseholdsQuery { sql, args }
    }

    pub fn query(&self) -> Query<'_, Sqlite, SqliteArguments<'_>> {
        self.args.iter().fold(sqlx::query(&self.sql), |query, arg| match arg {
            Arg::Int(value) => query.bind(*value),
            Arg::At(value) => query.bind(*value),
        })
    }
}

/// Whether the household of the `household_months` row `m` was seen in
/// `part` of the period: in its whole months by the row's bits; on its edge
/// days by its own visits, looked up only if the bits show that month.
fn seen_in_year(part: &YearPart, count: Count, args: &mut Vec<Arg>) -> String {
    let bits = count.bits();
    args.push(Arg::Int(i64::from(part.year)));
    let mut seen = Vec::new();
    if part.months != 0 {
        seen.push(format!("m.{bits} & ? <> 0"));
        args.push(Arg::Int(part.months));
    }
    for edge in &part.edges {
        // A team's row counts that team's visits only; the commune's (team 0) every team's.
        seen.push(format!(
            "(m.{bits} & ? <> 0 AND EXISTS (SELECT 1 FROM visits v WHERE v.household_id = m.household_id
                 AND v.visited_at >= ? AND v.visited_at < ? AND v.deleted_at IS NULL
                 AND (m.scope_team = 0 OR v.team_id = m.scope_team){}))",
            count.outcome()
        ));
        args.push(Arg::Int(edge.month));
        args.push(Arg::At(edge.from));
        args.push(Arg::At(edge.until));
    }
    format!("m.year = ? AND ({})", seen.join(" OR "))
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
        assert_eq!(split.years, [YearPart { year: 2026, months: 0b1110_0000_0000, edges: Vec::new() }]);
    }

    #[test]
    fn the_days_outside_whole_months_are_edges_in_vietnam_time_under_their_year() {
        let split = split(day("2025-12-15"), day("2026-02-10"));
        let at = |raw: &str| raw.parse::<DateTime<Utc>>().unwrap();
        let december = Edge { month: 1 << 11, from: at("2025-12-14T17:00:00Z"), until: at("2025-12-31T17:00:00Z") };
        let february = Edge { month: 0b10, from: at("2026-01-31T17:00:00Z"), until: at("2026-02-10T17:00:00Z") };
        assert_eq!(
            split.years,
            [
                YearPart { year: 2025, months: 0, edges: vec![december] },
                YearPart { year: 2026, months: 0b1, edges: vec![february] },
            ]
        );
        assert!(split.has_whole_months());
    }

    #[test]
    fn a_few_days_inside_one_month_are_one_edge() {
        let split = split(day("2026-11-16"), day("2026-11-22"));
        assert!(!split.has_whole_months());
        assert_eq!(split.edges().count(), 1);
    }
}

/// The two plans must count the same households for any period, scope and
/// count: the plan that walks the households is checked against gathering
/// every visit of the period, on a small generated commune.
#[cfg(test)]
mod plans_agree {
    use super::*;
    use crate::db::sqlite::SqliteDatabase;
    use sqlx::Row;
    use std::collections::BTreeMap;

    /// Two teams, 60 households, 2,500 visits over 2025 and 2026 at every
    /// minute of the day (so across Vietnam's midnight), some by a
    /// coordinator without a team, some deleted, some not guided.
    async fn commune() -> (tempfile::TempDir, SqliteDatabase) {
        let dir = tempfile::tempdir().unwrap();
        let db = SqliteDatabase::connect(&format!("sqlite://{}", dir.path().join("plans.db").display())).await.unwrap();
        sqlx::raw_sql(
            "INSERT INTO communes (id, name) VALUES (1, 'Kiến Minh');
             INSERT INTO villages (id, commune_id, name, households) VALUES (1, 1, 'Thôn Đông', 60);
             INSERT INTO teams (id, commune_id, name) VALUES (1, 1, 'Tổ 1'), (2, 1, 'Tổ 2');
             INSERT INTO users (id, commune_id, team_id, username, display_name, role, password_hash, created_at)
               VALUES (1, 1, 1, 'a', 'A', 'volunteer', 'x', '2025-01-01T00:00:00+00:00'),
                      (2, 1, 2, 'b', 'B', 'volunteer', 'x', '2025-01-01T00:00:00+00:00'),
                      (3, 1, NULL, 'c', 'C', 'coordinator', 'x', '2025-01-01T00:00:00+00:00');
             WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 59)
             INSERT INTO households (id, commune_id, team_id, village_id, head_name, address, members, consent,
                                     revision, created_by, updated_at)
               SELECT printf('00000000-0000-7000-8000-%012d', i), 1, 1 + i % 2, 1, 'Hộ ' || i, '', 1, 1, 1, 1,
                      '2025-01-01T00:00:00+00:00' FROM n;
             WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 2499),
             shaped AS (SELECT i, (i * 7919) % 60 AS h, (i * 104729) % 1440 AS minute, (i * 7) % 11 AS kind,
                               datetime('2025-01-01T00:00:00', '+' || ((i * 6151) % 730) || ' days') AS day FROM n)
             INSERT INTO visits (id, author_id, commune_id, team_id, household_id, outcome, officials, pupils, adults,
                                 elderly, workers, skills, note, visited_at, revision, received_at, deleted_at)
               SELECT printf('00000001-0000-7000-8000-%012d', i),
                      CASE WHEN kind = 0 THEN 3 ELSE 1 + h % 2 END, 1, CASE WHEN kind = 0 THEN NULL ELSE 1 + h % 2 END,
                      printf('00000000-0000-7000-8000-%012d', h),
                      CASE WHEN kind < 6 THEN 'guided' ELSE 'nobody_home' END, 0, 0, 1, 0, 0, '[]', '',
                      replace(datetime(day, '+' || minute || ' minutes'), ' ', 'T') || '+00:00', 1,
                      '2025-01-01T00:00:00+00:00',
                      CASE WHEN kind = 10 THEN '2026-12-31T00:00:00+00:00' END
               FROM shaped;",
        )
        .execute(&db.pool)
        .await
        .unwrap();
        db.rebuild_aggregates().await.unwrap();
        (dir, db)
    }

    async fn counted(db: &SqliteDatabase, query: HouseholdsQuery) -> BTreeMap<i64, i64> {
        let rows = query.query().fetch_all(&db.pool).await.unwrap();
        rows.iter().map(|row| (row.get("team"), row.get("households"))).collect()
    }

    #[tokio::test]
    async fn walking_the_households_counts_what_gathering_the_visits_counts() {
        let (_dir, db) = commune().await;
        let start = NaiveDate::from_ymd_opt(2024, 12, 1).unwrap();
        for k in 0..60u64 {
            let first = start + chrono::Days::new(k * 37 % 760);
            let last = first + chrono::Days::new(k * 53 % 400);
            for team_id in [None, Some(1)] {
                let scope = DashboardScope::of_days(1, team_id, first, last);
                let every_day = Edge { month: 0, from: scope.from, until: scope.until };
                let every_visit =
                    Split { years: vec![YearPart { year: first.year(), months: 0, edges: vec![every_day] }] };
                for count in [Count::Reached, Count::Guided] {
                    for per_team in [false, true] {
                        let planned = counted(&db, HouseholdsQuery::new(&scope, count, per_team)).await;
                        let gathered =
                            counted(&db, HouseholdsQuery::from_visits(&scope, &every_visit, count, per_team)).await;
                        assert_eq!(
                            planned, gathered,
                            "{first}..{last}, team {team_id:?}, {count:?}, per team {per_team}"
                        );
                    }
                }
            }
        }
    }
}
