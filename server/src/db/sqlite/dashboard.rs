//! The dashboard's figures, each one aggregate query over the visits of the
//! period (indexes: visits by commune or team, then by time).

use super::records::people_from;
use super::SqliteDatabase;
use crate::db::{DashboardScope, DbResult};
use chrono::NaiveDate;
use gocua_domain::catalogue::BASIC_SKILL_MAPPING;
use gocua_domain::dashboard::{
    CommunitySessionFigures, DayFigures, FollowUpOwed, SkillFigures, Totals, VillageFigures, VillageSessions,
    VolunteerFigures,
};
use gocua_domain::report::TeamFigures;
use sqlx::query::Query;
use sqlx::sqlite::SqliteArguments;
use sqlx::{Row, Sqlite};
use std::collections::HashMap;

/// The visits of the scope and period; `?1` commune, `?2` team or NULL, `?3`–`?4` the instants.
const IN_PERIOD: &str = "v.deleted_at IS NULL AND v.commune_id = ?1 AND (?2 IS NULL OR v.team_id = ?2)
                         AND v.visited_at >= ?3 AND v.visited_at < ?4";

/// `sql` with the scope's commune, team and instants bound to `?1`–`?4`.
fn scoped<'q>(sql: &'q str, scope: &DashboardScope) -> Query<'q, Sqlite, SqliteArguments<'q>> {
    sqlx::query(sql).bind(scope.commune_id).bind(scope.team_id).bind(scope.from).bind(scope.until)
}

/// The community sessions of the scope held on its days; `?1` commune, `?2` team or NULL, `?3`–`?4` the days.
const HELD: &str = "c.deleted_at IS NULL AND c.commune_id = ?1 AND (?2 IS NULL OR c.team_id = ?2)
                    AND c.held_on >= ?3 AND c.held_on <= ?4";

/// `sql` with the scope's commune, team and first and last days bound to `?1`–`?4`.
fn on_days<'q>(sql: &'q str, scope: &DashboardScope) -> Query<'q, Sqlite, SqliteArguments<'q>> {
    sqlx::query(sql).bind(scope.commune_id).bind(scope.team_id).bind(scope.first_day).bind(scope.last_day)
}

/// A SQL expression naming the basic skill (by its place in
/// [`BASIC_SKILL_MAPPING`]) that the skill code `code` counts for, or NULL.
/// Built from the mapping, which is data: codes are only `a–z0–9._-`, and
/// any quote is doubled all the same.
fn basic_skill_case(code: &str) -> String {
    let mut case = String::from("CASE");
    for (index, (_, patterns)) in BASIC_SKILL_MAPPING.iter().enumerate() {
        for pattern in *patterns {
            let quoted = pattern.replace('\'', "''");
            let test = if pattern.ends_with('.') {
                format!("substr({code}, 1, {}) = '{quoted}'", pattern.len())
            } else {
                format!("{code} = '{quoted}'")
            };
            case.push_str(&format!(" WHEN {test} THEN {index}"));
        }
    }
    case.push_str(" END");
    case
}

impl SqliteDatabase {
    pub async fn dashboard_totals(&self, scope: &DashboardScope) -> DbResult<Totals> {
        let row = scoped(
            &format!(
                "SELECT COUNT(*) AS doors, COUNT(DISTINCT v.household_id) AS reached,
                    COUNT(DISTINCT CASE WHEN v.outcome = 'guided' THEN v.household_id END) AS guided,
                    COALESCE(SUM(v.officials), 0) AS officials, COALESCE(SUM(v.pupils), 0) AS pupils,
                    COALESCE(SUM(v.adults), 0) AS adults, COALESCE(SUM(v.elderly), 0) AS elderly,
                    COALESCE(SUM(v.workers), 0) AS workers
             FROM visits v WHERE {IN_PERIOD}"
            ),
            scope,
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(Totals {
            doors: row.get("doors"),
            households_reached: row.get("reached"),
            households_guided: row.get("guided"),
            people: people_from(&row),
        })
    }

    /// Every village of the commune, with the period's doors and the households reached up to its end.
    pub async fn dashboard_villages(&self, scope: &DashboardScope) -> DbResult<Vec<VillageFigures>> {
        let rows = scoped(
            "SELECT vi.id, vi.name, vi.households,
                    (SELECT COUNT(*) FROM visits v JOIN households h ON h.id = v.household_id
                     WHERE h.village_id = vi.id AND v.deleted_at IS NULL AND v.commune_id = ?1
                       AND (?2 IS NULL OR v.team_id = ?2) AND v.visited_at >= ?3 AND v.visited_at < ?4) AS doors,
                    (SELECT COUNT(DISTINCT v.household_id) FROM visits v JOIN households h ON h.id = v.household_id
                     WHERE h.village_id = vi.id AND v.deleted_at IS NULL AND v.commune_id = ?1
                       AND (?2 IS NULL OR v.team_id = ?2) AND v.visited_at < ?4) AS reached_ever
             FROM villages vi WHERE vi.commune_id = ?1",
            scope,
        )
        .fetch_all(&self.pool)
        .await?;
        let at_target = self.households_at_target(scope).await?;
        let mut villages: Vec<VillageFigures> = rows
            .iter()
            .map(|row| VillageFigures {
                village_id: row.get("id"),
                name: row.get("name"),
                doors: row.get("doors"),
                households: row.get("households"),
                households_reached_ever: row.get("reached_ever"),
                households_at_target: at_target.get(&row.get::<i64, _>("id")).copied().unwrap_or(0),
            })
            .collect();
        villages.sort_by(|a, b| gocua_domain::search::compare_names(&a.name, &b.name));
        Ok(villages)
    }

    /// Per village, the households of the scope whose visits up to the
    /// period's end show each of the five basic skills completed.
    async fn households_at_target(&self, scope: &DashboardScope) -> DbResult<HashMap<i64, u32>> {
        let sql = format!(
            "SELECT h.village_id, COUNT(*) AS households FROM (
                 SELECT v.household_id FROM visits v, json_each(v.skills) s
                 WHERE v.deleted_at IS NULL AND v.commune_id = ?1 AND (?2 IS NULL OR v.team_id = ?2)
                   AND v.visited_at < ?4 AND json_extract(s.value, '$.completed')
                 GROUP BY v.household_id
                 HAVING COUNT(DISTINCT {basic}) = {all}
             ) reached JOIN households h ON h.id = reached.household_id
             GROUP BY h.village_id",
            basic = basic_skill_case("json_extract(s.value, '$.code')"),
            all = BASIC_SKILL_MAPPING.len(),
        );
        let rows = scoped(&sql, scope).fetch_all(&self.pool).await?;
        Ok(rows.iter().map(|row| (row.get("village_id"), row.get("households"))).collect())
    }

    /// The community sessions held on the scope's days: totals and per village.
    pub async fn dashboard_community_sessions(&self, scope: &DashboardScope) -> DbResult<CommunitySessionFigures> {
        let totals = on_days(
            &format!(
                "SELECT COUNT(*) AS sessions, COALESCE(SUM(c.officials), 0) AS officials,
                    COALESCE(SUM(c.pupils), 0) AS pupils, COALESCE(SUM(c.adults), 0) AS adults,
                    COALESCE(SUM(c.elderly), 0) AS elderly, COALESCE(SUM(c.workers), 0) AS workers
             FROM community_sessions c WHERE {HELD}"
            ),
            scope,
        )
        .fetch_one(&self.pool)
        .await?;
        let rows = on_days(
            &format!(
                "SELECT vi.id, vi.name, COUNT(*) AS sessions,
                    SUM(c.officials + c.pupils + c.adults + c.workers) AS attendees
             FROM community_sessions c JOIN villages vi ON vi.id = c.village_id
             WHERE {HELD} GROUP BY vi.id"
            ),
            scope,
        )
        .fetch_all(&self.pool)
        .await?;
        let mut villages: Vec<VillageSessions> = rows
            .iter()
            .map(|row| VillageSessions {
                village_id: row.get("id"),
                name: row.get("name"),
                sessions: row.get("sessions"),
                attendees: row.get("attendees"),
            })
            .collect();
        villages.sort_by(|a, b| gocua_domain::search::compare_names(&a.name, &b.name));
        Ok(CommunitySessionFigures { sessions: totals.get("sessions"), attendees: people_from(&totals), villages })
    }

    pub async fn dashboard_volunteers(&self, scope: &DashboardScope) -> DbResult<Vec<VolunteerFigures>> {
        let rows = scoped(
            &format!(
                "SELECT u.id, u.display_name, COUNT(*) AS doors,
                    COALESCE(SUM(v.officials + v.pupils + v.adults + v.workers), 0) AS people
             FROM visits v JOIN users u ON u.id = v.author_id
             WHERE {IN_PERIOD} GROUP BY u.id ORDER BY doors DESC, u.display_name"
            ),
            scope,
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|row| VolunteerFigures {
                user_id: row.get("id"),
                name: row.get("display_name"),
                doors: row.get("doors"),
                people: row.get("people"),
            })
            .collect())
    }

    /// Doors and people per day of Vietnam (UTC+7, no daylight saving).
    pub async fn dashboard_days(&self, scope: &DashboardScope) -> DbResult<Vec<DayFigures>> {
        let rows = scoped(
            &format!(
                "SELECT date(v.visited_at, '+7 hours') AS day, COUNT(*) AS doors,
                    COALESCE(SUM(v.officials + v.pupils + v.adults + v.workers), 0) AS people
             FROM visits v WHERE {IN_PERIOD} GROUP BY day ORDER BY day"
            ),
            scope,
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let day: String = row.get("day");
                Ok(DayFigures {
                    day: day.parse::<NaiveDate>().map_err(|e| sqlx::Error::Decode(format!("day {day}: {e}").into()))?,
                    doors: row.get("doors"),
                    people: row.get("people"),
                })
            })
            .collect()
    }

    /// Households of the scope whose last visit set a return (a follow-up or a
    /// "come back" day) on or before `by`, soonest first, with who owes it.
    pub async fn dashboard_follow_ups(&self, scope: &DashboardScope, by: NaiveDate) -> DbResult<Vec<FollowUpOwed>> {
        let rows = sqlx::query(
            "SELECT v.household_id, h.head_name, vi.name AS village, COALESCE(v.follow_up_on, v.come_back_on) AS due_on,
                    COALESCE(v.follow_up_reason, '') AS reason, u.id AS owner_id, u.display_name AS owner
             FROM visits v
             JOIN households h ON h.id = v.household_id
             JOIN villages vi ON vi.id = h.village_id
             JOIN users u ON u.id = v.author_id
             WHERE v.deleted_at IS NULL AND v.commune_id = ?1 AND (?2 IS NULL OR v.team_id = ?2)
               AND COALESCE(v.follow_up_on, v.come_back_on) <= ?3
               AND v.visited_at = (SELECT MAX(w.visited_at) FROM visits w
                                   WHERE w.household_id = v.household_id AND w.deleted_at IS NULL)
             ORDER BY due_on, h.head_name",
        )
        .bind(scope.commune_id)
        .bind(scope.team_id)
        .bind(by)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|row| FollowUpOwed {
                household_id: row.get("household_id"),
                household: row.get("head_name"),
                village: row.get("village"),
                on: row.get("due_on"),
                reason: row.get("reason"),
                owner_id: row.get("owner_id"),
                owner: row.get("owner"),
            })
            .collect())
    }

    /// The period's figures per team of the scope, most doors first.
    pub async fn dashboard_teams(&self, scope: &DashboardScope) -> DbResult<Vec<TeamFigures>> {
        let sql = format!(
            "SELECT t.id, t.name, COUNT(*) AS doors,
                    COUNT(DISTINCT CASE WHEN v.outcome = 'guided' THEN v.household_id END) AS guided,
                    COALESCE(SUM(v.officials + v.pupils + v.adults + v.workers), 0) AS people
             FROM visits v JOIN teams t ON t.id = v.team_id
             WHERE {IN_PERIOD} GROUP BY t.id ORDER BY doors DESC, t.name"
        );
        let rows = scoped(&sql, scope).fetch_all(&self.pool).await?;
        Ok(rows
            .iter()
            .map(|row| TeamFigures {
                team_id: row.get("id"),
                name: row.get("name"),
                doors: row.get("doors"),
                households_guided: row.get("guided"),
                people: row.get("people"),
            })
            .collect())
    }

    pub async fn dashboard_skills(&self, scope: &DashboardScope) -> DbResult<Vec<SkillFigures>> {
        let rows = scoped(
            &format!(
                "SELECT json_extract(s.value, '$.code') AS code, COUNT(*) AS guided,
                    SUM(CASE WHEN json_extract(s.value, '$.completed') THEN 1 ELSE 0 END) AS completed
             FROM visits v, json_each(v.skills) s WHERE {IN_PERIOD} GROUP BY code ORDER BY guided DESC, code"
            ),
            scope,
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(|row| SkillFigures {
                code: row.get("code"),
                guided: row.get("guided"),
                completed: row.get("completed"),
            })
            .collect())
    }
}
