//! Counting different households visited (or guided) in a period, fast
//! over a million visits. A household counts once however many of its
//! visits fall in the period. Each household has one row per team and year
//! (`household_months`, kept with the visits) with the months and
//! the days it was visited in, and guided in, as bits; so a period inside
//! one year is one pass over those rows, testing each row's bits against
//! the period's, without reading a single visit. A period across two or
//! three years reads each year's rows and counts each household once.
//! Timed in docs/benchmarks.md; checked below against gathering the visits.

use super::aggregates::{DAYS_PER_MONTH, DAY_COLUMNS};
use crate::db::DashboardScope;
use chrono::{Datelike, NaiveDate};
use gocua_domain::time::month_start;
use sqlx::query::Query;
use sqlx::sqlite::SqliteArguments;
use sqlx::Sqlite;

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
pub(super) enum Count {
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

/// A query answering `(team, households)` rows: the households of the scope
/// counted in its period, per team when `per_team` (else one row, team 0).
pub(super) struct HouseholdsQuery {
    sql: String,
    args: Vec<i64>,
}

impl HouseholdsQuery {
    pub fn new(scope: &DashboardScope, count: Count, per_team: bool) -> Self {
        let split = split(scope.first_day, scope.last_day);
        let one_year = split.years.len() == 1;
        // Which teams' rows: one (the scope's team, or 0: the whole commune's), or every team's.
        let every_team = per_team && scope.team_id.is_none();
        let one_team = scope.team_id.unwrap_or(0);
        // What one team's rows are counted under.
        let label = if per_team { one_team } else { 0 };
        // Across years, rows are merged in household order, a team at a time:
        // only the household is read, and the team comes from the label or the teams table.
        let columns = match (one_year, every_team) {
            (true, true) => "m.scope_team AS team, m.household_id".to_owned(),
            (true, false) => format!("{label} AS team, m.household_id"),
            (false, _) => "m.household_id".to_owned(),
        };
        let scope_rows = match (one_year, every_team) {
            (true, true) => "m.scope_team <> 0",
            (false, true) => "m.scope_team = t.id",
            (_, false) => "m.scope_team = ?",
        };
        let mut args = Vec::new();
        let parts: Vec<String> = split
            .years
            .iter()
            .map(|part| {
                args.push(scope.commune_id);
                if !every_team {
                    args.push(one_team);
                }
                args.push(i64::from(part.year));
                let prefix = count.prefix();
                let mut seen = Vec::new();
                if part.months != 0 {
                    seen.push(format!("m.{prefix}months & ? <> 0"));
                    args.push(part.months);
                }
                for (column, days) in part.days.iter().enumerate().filter(|(_, days)| **days != 0) {
                    seen.push(format!("m.{prefix}days_{column} & ? <> 0"));
                    args.push(*days);
                }
                format!(
                    "SELECT {columns} FROM household_months m
                     WHERE m.commune_id = ? AND {scope_rows} AND m.year = ? AND ({})",
                    seen.join(" OR ")
                )
            })
            .collect();
        // Inside one year each household has one row per team; across years
        // it may have one a year, and the merge (UNION) counts it once.
        let sql = match (one_year, every_team) {
            (true, _) => format!("SELECT team, COUNT(*) AS households FROM ({}) GROUP BY team", parts[0]),
            (false, false) => format!(
                "SELECT {label} AS team, COUNT(*) AS households FROM ({} ORDER BY household_id) HAVING COUNT(*) > 0",
                parts.join(" UNION ")
            ),
            (false, true) => {
                args.push(scope.commune_id);
                format!(
                    "SELECT team, households FROM (
                         SELECT t.id AS team, (SELECT COUNT(*) FROM ({} ORDER BY household_id)) AS households
                         FROM teams t WHERE t.commune_id = ?)
                     WHERE households > 0",
                    parts.join(" UNION ")
                )
            }
        };
        HouseholdsQuery { sql, args }
    }

    pub fn query(&self) -> Query<'_, Sqlite, SqliteArguments<'_>> {
        self.args.iter().fold(sqlx::query(&self.sql), |query, arg| query.bind(*arg))
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

/// The households counted from the kept bits must be those of the period's
/// visits, for any period, scope and count: checked by gathering every visit
/// of the period on a small generated commune.
#[cfg(test)]
mod bits_agree_with_visits {
    use super::*;
    use crate::db::sqlite::SqliteDatabase;
    use crate::db::storage::Setup;
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

    /// The oracle: every live visit of the period, its households counted apart.
    async fn gathered(db: &SqliteDatabase, scope: &DashboardScope, count: Count, per_team: bool) -> BTreeMap<i64, i64> {
        let team = if per_team { "v.team_id" } else { "0" };
        let guided = if count == Count::Guided { "AND v.outcome = 'guided'" } else { "" };
        let sql = format!(
            "SELECT {team} AS team, COUNT(DISTINCT v.household_id) AS households FROM visits v
             WHERE v.deleted_at IS NULL AND v.commune_id = ?1 AND (?2 IS NULL OR v.team_id = ?2)
               AND (?3 = 0 OR v.team_id IS NOT NULL) AND v.visited_at >= ?4 AND v.visited_at < ?5 {guided}
             GROUP BY team"
        );
        let query = sqlx::query(&sql).bind(scope.commune_id).bind(scope.team_id).bind(per_team);
        let rows = query.bind(scope.from).bind(scope.until).fetch_all(&db.pool).await.unwrap();
        rows.iter().map(|row| (row.get("team"), row.get("households"))).collect()
    }

    #[tokio::test]
    async fn the_households_counted_from_bits_are_those_of_the_periods_visits() {
        let (_dir, db) = commune().await;
        let start = NaiveDate::from_ymd_opt(2024, 12, 1).unwrap();
        for k in 0..80u64 {
            let first = start + chrono::Days::new(k * 37 % 760);
            let last = first + chrono::Days::new(k * 53 % 400);
            for team_id in [None, Some(1)] {
                let scope = DashboardScope::of_days(1, team_id, first, last);
                for count in [Count::Reached, Count::Guided] {
                    for per_team in [false, true] {
                        let rows =
                            HouseholdsQuery::new(&scope, count, per_team).query().fetch_all(&db.pool).await.unwrap();
                        let counted: BTreeMap<i64, i64> =
                            rows.iter().map(|row| (row.get("team"), row.get("households"))).collect();
                        let expected = gathered(&db, &scope, count, per_team).await;
                        assert_eq!(
                            counted, expected,
                            "{first}..{last}, team {team_id:?}, {count:?}, per team {per_team}"
                        );
                    }
                }
            }
        }
    }
}
