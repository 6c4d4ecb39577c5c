//! The households [`HouseholdsQuery`] counts from the kept bits, checked on
//! SQLite against gathering the period's visits; and the query bound for
//! SQLite.

use crate::db::period_households::HouseholdsQuery;
use sqlx::query::Query;
use sqlx::sqlite::SqliteArguments;
use sqlx::Sqlite;

/// The query with its values bound.
pub(super) fn bound(query: &HouseholdsQuery) -> Query<'_, Sqlite, SqliteArguments<'_>> {
    query.args().iter().fold(sqlx::query(query.sql()), |bound, arg| bound.bind(*arg))
}

/// The households counted from the kept bits must be those of the period's
/// visits, for any period, scope and count: checked by gathering every visit
/// of the period on a small generated commune.
#[cfg(test)]
mod bits_agree_with_visits {
    use super::*;
    use crate::db::period_households::Count;
    use crate::db::sqlite::SqliteDatabase;
    use crate::db::storage::Setup;
    use crate::db::{DashboardScope, Engine};
    use chrono::NaiveDate;
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
                    // Both engines' texts (they differ across years), run here.
                    for (per_team, engine) in [
                        (false, Engine::Sqlite),
                        (true, Engine::Sqlite),
                        (false, Engine::Postgres),
                        (true, Engine::Postgres),
                    ] {
                        let query = HouseholdsQuery::new(&scope, count, per_team, engine);
                        let rows = bound(&query).fetch_all(&db.pool).await.unwrap();
                        let counted: BTreeMap<i64, i64> =
                            rows.iter().map(|row| (row.get("team"), row.get("households"))).collect();
                        let expected = gathered(&db, &scope, count, per_team).await;
                        assert_eq!(
                            counted, expected,
                            "{first}..{last}, team {team_id:?}, {count:?}, per team {per_team}, {engine:?}"
                        );
                    }
                }
            }
        }
    }
}
