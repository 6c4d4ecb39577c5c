//! The dashboard's figures. Sums over a period come from the daily figures
//! and "ever" figures from the households' progress, both kept with the
//! visits ([`super::aggregates`]: each read folds what pushes queued first);
//! different households in a period are counted by [`crate::db::period_households`].
//! Text is ordered by bytes (`COLLATE "C"`), as SQLite orders it, whatever
//! the database's locale.

use super::records::{people_from, u32_at};
use super::PostgresDatabase;
use crate::db::period_households::{Count, HouseholdsQuery};
use crate::db::storage::*;
use crate::db::stored::count_from;
use crate::db::{DashboardScope, DbResult, Engine, FollowUps};
use async_trait::async_trait;
use chrono::NaiveDate;
use gocua_domain::dashboard::{
    CommunitySessionFigures, DayFigures, FollowUpOwed, SkillFigures, Totals, VillageFigures, VillageSessions,
    VolunteerFigures, FOLLOW_UPS_LISTED,
};
use gocua_domain::report::TeamFigures;
use sqlx::postgres::PgArguments;
use sqlx::query::Query;
use sqlx::{Postgres, Row};
use std::collections::HashMap;

/// The `scope_team` of progress that counts the visits of every team of the commune.
const COMMUNE_WIDE: i64 = 0;

/// The daily figures of the scope and period; `$1` commune, `$2` team or NULL, `$3`–`$4` the days.
const ON_DAYS: &str = "d.commune_id = $1 AND ($2::BIGINT IS NULL OR d.team_id = $2) AND d.day >= $3 AND d.day <= $4";

/// The community sessions of the scope held on its days; `$1` commune, `$2` team or NULL, `$3`–`$4` the days.
const HELD: &str = "c.deleted_at IS NULL AND c.commune_id = $1 AND ($2::BIGINT IS NULL OR c.team_id = $2)
                    AND c.held_on >= $3 AND c.held_on <= $4";

/// The scope's returns owed by `$3`; `$1` commune, `$2` the owner's team or NULL.
const OWED: &str =
    "p.commune_id = $1 AND p.scope_team = 0 AND p.due_on <= $3 AND ($2::BIGINT IS NULL OR p.owner_team = $2)";

/// `sql` with [`OWED`]'s commune, team and day bound.
fn owed<'q>(sql: &'q str, scope: &DashboardScope, by: NaiveDate) -> Query<'q, Postgres, PgArguments> {
    sqlx::query(sql).bind(scope.commune_id).bind(scope.team_id).bind(by)
}

/// `sql` with the scope's commune, team and first and last days bound to `$1`–`$4`.
fn on_days<'q>(sql: &'q str, scope: &DashboardScope) -> Query<'q, Postgres, PgArguments> {
    sqlx::query(sql).bind(scope.commune_id).bind(scope.team_id).bind(scope.first_day).bind(scope.last_day)
}

impl PostgresDatabase {
    /// Different households of the scope counted in its period, per team (or all under team 0).
    async fn households_in_period(
        &self,
        scope: &DashboardScope,
        count: Count,
        per_team: bool,
    ) -> DbResult<HashMap<i64, u32>> {
        let query = HouseholdsQuery::new(scope, count, per_team, Engine::Postgres);
        let rows = query.args().iter().fold(sqlx::query(query.sql()), |bound, arg| bound.bind(*arg));
        let rows = rows.fetch_all(&self.pool).await?;
        rows.iter().map(|row| -> DbResult<_> { Ok((row.try_get("team")?, u32_at(row, "households")?)) }).collect()
    }
}

#[async_trait]
impl Figures for PostgresDatabase {
    async fn dashboard_totals(&self, scope: &DashboardScope) -> DbResult<Totals> {
        self.folding.fold_queued(scope.commune_id).await?;
        let sql = format!(
            "SELECT COALESCE(SUM(d.doors), 0)::BIGINT AS doors, COALESCE(SUM(d.officials), 0)::BIGINT AS officials,
                    COALESCE(SUM(d.pupils), 0)::BIGINT AS pupils, COALESCE(SUM(d.adults), 0)::BIGINT AS adults,
                    COALESCE(SUM(d.elderly), 0)::BIGINT AS elderly, COALESCE(SUM(d.workers), 0)::BIGINT AS workers
             FROM visit_days d WHERE {ON_DAYS}"
        );
        // Three statements side by side, on three of the pool's connections:
        // each is a round trip to the database, which runs them at once.
        let (sums, reached, guided) = tokio::try_join!(
            async { Ok(on_days(&sql, scope).fetch_one(&self.pool).await?) },
            self.households_in_period(scope, Count::Reached, false),
            self.households_in_period(scope, Count::Guided, false),
        )?;
        Ok(Totals {
            doors: u32_at(&sums, "doors")?,
            households_reached: reached.get(&0).copied().unwrap_or(0),
            households_guided: guided.get(&0).copied().unwrap_or(0),
            people: people_from(&sums)?,
        })
    }

    /// Every village of the commune, with the period's doors, and the
    /// households reached and at the national target up to its end.
    async fn dashboard_villages(&self, scope: &DashboardScope) -> DbResult<Vec<VillageFigures>> {
        self.folding.fold_queued(scope.commune_id).await?;
        let villages = sqlx::query("SELECT id, name, households FROM villages WHERE commune_id = $1")
            .bind(scope.commune_id)
            .fetch_all(&self.pool)
            .await?;
        let doors: HashMap<i64, u32> = on_days(
            &format!(
                "SELECT d.village_id, SUM(d.doors)::BIGINT AS doors FROM visit_days d WHERE {ON_DAYS}
                 GROUP BY d.village_id"
            ),
            scope,
        )
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|row| -> DbResult<_> { Ok((row.try_get("village_id")?, u32_at(row, "doors")?)) })
        .collect::<DbResult<_>>()?;
        let progress: HashMap<i64, (u32, u32)> = sqlx::query(
            "SELECT village_id, COUNT(*) AS reached, COUNT(*) FILTER (WHERE target_at < $3) AS at_target
             FROM household_progress WHERE commune_id = $1 AND scope_team = $2 AND first_visit_at < $3
             GROUP BY village_id",
        )
        .bind(scope.commune_id)
        .bind(scope.team_id.unwrap_or(COMMUNE_WIDE))
        .bind(scope.until)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|row| -> DbResult<_> {
            Ok((row.try_get("village_id")?, (u32_at(row, "reached")?, u32_at(row, "at_target")?)))
        })
        .collect::<DbResult<_>>()?;
        let mut figures: Vec<VillageFigures> = villages
            .iter()
            .map(|row| -> DbResult<_> {
                Ok({
                    let id: i64 = row.try_get("id")?;
                    let (reached, at_target) = progress.get(&id).copied().unwrap_or_default();
                    VillageFigures {
                        village_id: id,
                        name: row.try_get("name")?,
                        doors: doors.get(&id).copied().unwrap_or(0),
                        households: count_from(row.try_get("households")?, "a village's households")?,
                        households_reached_ever: reached,
                        households_at_target: at_target,
                    }
                })
            })
            .collect::<DbResult<_>>()?;
        figures.sort_by(|a, b| gocua_domain::search::compare_names(&a.name, &b.name));
        Ok(figures)
    }

    /// The community sessions held on the scope's days: totals and per village.
    async fn dashboard_community_sessions(&self, scope: &DashboardScope) -> DbResult<CommunitySessionFigures> {
        self.folding.fold_queued(scope.commune_id).await?;
        let totals = on_days(
            &format!(
                "SELECT COUNT(*) AS sessions, COALESCE(SUM(c.officials), 0)::BIGINT AS officials,
                    COALESCE(SUM(c.pupils), 0)::BIGINT AS pupils, COALESCE(SUM(c.adults), 0)::BIGINT AS adults,
                    COALESCE(SUM(c.elderly), 0)::BIGINT AS elderly, COALESCE(SUM(c.workers), 0)::BIGINT AS workers
             FROM community_sessions c WHERE {HELD}"
            ),
            scope,
        )
        .fetch_one(&self.pool)
        .await?;
        let rows = on_days(
            &format!(
                "SELECT vi.id, vi.name, COUNT(*) AS sessions,
                    SUM(c.officials + c.pupils + c.adults + c.workers)::BIGINT AS attendees
             FROM community_sessions c JOIN villages vi ON vi.id = c.village_id
             WHERE {HELD} GROUP BY vi.id"
            ),
            scope,
        )
        .fetch_all(&self.pool)
        .await?;
        let mut villages: Vec<VillageSessions> = rows
            .iter()
            .map(|row| -> DbResult<_> {
                Ok(VillageSessions {
                    village_id: row.try_get("id")?,
                    name: row.try_get("name")?,
                    sessions: u32_at(row, "sessions")?,
                    attendees: u32_at(row, "attendees")?,
                })
            })
            .collect::<DbResult<_>>()?;
        villages.sort_by(|a, b| gocua_domain::search::compare_names(&a.name, &b.name));
        Ok(CommunitySessionFigures {
            sessions: u32_at(&totals, "sessions")?,
            attendees: people_from(&totals)?,
            villages,
        })
    }

    async fn dashboard_volunteers(&self, scope: &DashboardScope) -> DbResult<Vec<VolunteerFigures>> {
        self.folding.fold_queued(scope.commune_id).await?;
        let rows = on_days(
            &format!(
                "SELECT u.id, u.display_name, SUM(d.doors)::BIGINT AS doors,
                    SUM(d.officials + d.pupils + d.adults + d.workers)::BIGINT AS people
                 FROM visit_days d JOIN users u ON u.id = d.author_id
                 WHERE {ON_DAYS} GROUP BY u.id HAVING SUM(d.doors) > 0 ORDER BY doors DESC, u.display_name COLLATE \"C\""
            ),
            scope,
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| -> DbResult<_> {
                Ok(VolunteerFigures {
                    user_id: row.try_get("id")?,
                    name: row.try_get("display_name")?,
                    doors: u32_at(row, "doors")?,
                    people: u32_at(row, "people")?,
                })
            })
            .collect()
    }

    /// Doors and people per day of Vietnam (UTC+7, no daylight saving).
    async fn dashboard_days(&self, scope: &DashboardScope) -> DbResult<Vec<DayFigures>> {
        self.folding.fold_queued(scope.commune_id).await?;
        let rows = on_days(
            &format!(
                "SELECT d.day, SUM(d.doors)::BIGINT AS doors,
                        SUM(d.officials + d.pupils + d.adults + d.workers)::BIGINT AS people
                 FROM visit_days d WHERE {ON_DAYS} GROUP BY d.day HAVING SUM(d.doors) > 0 ORDER BY d.day"
            ),
            scope,
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| -> DbResult<_> {
                Ok(DayFigures {
                    day: row.try_get("day")?,
                    doors: u32_at(row, "doors")?,
                    people: u32_at(row, "people")?,
                })
            })
            .collect()
    }

    /// Households of the scope whose last visit set a return (a follow-up or a
    /// "come back" day) on or before `by`: the soonest [`FOLLOW_UPS_LISTED`],
    /// with who owes each, and how many are owed in all.
    async fn dashboard_follow_ups(&self, scope: &DashboardScope, by: NaiveDate) -> DbResult<FollowUps> {
        self.folding.fold_queued(scope.commune_id).await?;
        let list = format!(
            "SELECT p.household_id, h.head_name, vi.name AS village, p.due_on, p.reason, p.owner_id,
                    u.display_name AS owner
             FROM household_progress p
             JOIN households h ON h.id = p.household_id
             JOIN villages vi ON vi.id = p.village_id
             JOIN users u ON u.id = p.owner_id
             WHERE {OWED} ORDER BY p.due_on, h.head_name COLLATE \"C\", p.household_id COLLATE \"C\" LIMIT {FOLLOW_UPS_LISTED}"
        );
        let count = format!("SELECT COUNT(*) AS owed FROM household_progress p WHERE {OWED}");
        // One snapshot for both, so a push in between cannot make the total disagree with the list
        // (PostgreSQL's default isolation takes a snapshot a statement).
        let mut snapshot = self.pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").await?;
        let rows = owed(&list, scope, by).fetch_all(&mut *snapshot).await?;
        let total = u32_at(&owed(&count, scope, by).fetch_one(&mut *snapshot).await?, "owed")?;
        snapshot.commit().await?;
        let listed = rows
            .iter()
            .map(|row| -> DbResult<_> {
                Ok(FollowUpOwed {
                    household_id: row.try_get("household_id")?,
                    household: row.try_get("head_name")?,
                    village: row.try_get("village")?,
                    on: row.try_get("due_on")?,
                    reason: row.try_get("reason")?,
                    owner_id: row.try_get("owner_id")?,
                    owner: row.try_get("owner")?,
                })
            })
            .collect::<DbResult<_>>()?;
        Ok(FollowUps { listed, total })
    }

    /// The period's figures per team of the scope, most doors first.
    async fn dashboard_teams(&self, scope: &DashboardScope) -> DbResult<Vec<TeamFigures>> {
        self.folding.fold_queued(scope.commune_id).await?;
        let sql = format!(
            "SELECT t.id, t.name, SUM(d.doors)::BIGINT AS doors,
                    SUM(d.officials + d.pupils + d.adults + d.workers)::BIGINT AS people
             FROM visit_days d JOIN teams t ON t.id = d.team_id
             WHERE {ON_DAYS} GROUP BY t.id HAVING SUM(d.doors) > 0 ORDER BY doors DESC, t.name COLLATE \"C\""
        );
        // Side by side, as the totals' statements.
        let (guided, rows) = tokio::try_join!(self.households_in_period(scope, Count::Guided, true), async {
            Ok(on_days(&sql, scope).fetch_all(&self.pool).await?)
        })?;
        rows.iter()
            .map(|row| -> DbResult<_> {
                Ok({
                    let team_id: i64 = row.try_get("id")?;
                    TeamFigures {
                        team_id,
                        name: row.try_get("name")?,
                        doors: u32_at(row, "doors")?,
                        households_guided: guided.get(&team_id).copied().unwrap_or(0),
                        people: u32_at(row, "people")?,
                    }
                })
            })
            .collect()
    }

    async fn dashboard_skills(&self, scope: &DashboardScope) -> DbResult<Vec<SkillFigures>> {
        self.folding.fold_queued(scope.commune_id).await?;
        let rows = on_days(
            &format!(
                "SELECT d.code, SUM(d.guided)::BIGINT AS guided, SUM(d.completed)::BIGINT AS completed
                 FROM skill_days d WHERE {ON_DAYS} GROUP BY d.code HAVING SUM(d.guided) > 0
                 ORDER BY guided DESC, d.code COLLATE \"C\""
            ),
            scope,
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| -> DbResult<_> {
                Ok(SkillFigures {
                    code: row.try_get("code")?,
                    guided: u32_at(row, "guided")?,
                    completed: u32_at(row, "completed")?,
                })
            })
            .collect()
    }
}
