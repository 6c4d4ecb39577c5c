//! The level above the commune reads each commune's quarter from a few kept
//! rows (`commune_quarters`, `commune_quarter_skills`, `commune_author_days`:
//! SQLite migration 0024, PostgreSQL 0008), never from the day-by-day figures
//! a province holds millions of. Triggers keep those rows with every change of
//! the commune's kept figures; a rebuild of the figures fills them again at
//! its end ([`fill`]). One query text for both engines — `$N` placeholders
//! (SQLite reads them as numbered too), integers cast to BIGINT — but the
//! quarter of a day, which each engine writes its own way.

use super::stored::count_from;
use super::{DbResult, Engine};
use chrono::NaiveDate;
use gocua_domain::api::Commune;
use gocua_domain::catalogue::SkillGroup;
use gocua_domain::report::Quarter;
use gocua_domain::target_group::PeopleGuided;
use sqlx::{ColumnIndex, Database, Decode, Encode, Executor, IntoArguments, Pool, Row, Type};

/// A commune's quarter, as the level above reads it ([`PROVINCE_QUARTER`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommuneQuarter {
    pub commune: Commune,
    /// Households in its villages, as its coordinator set them.
    pub households: u32,
    pub doors: u32,
    /// People guided at home in the quarter.
    pub people: PeopleGuided,
    /// Different households visited, and guided, in the quarter.
    pub households_reached: u32,
    pub households_guided: u32,
    /// Households visited at least once, and at the national target, by the quarter's end.
    pub households_reached_ever: u32,
    pub households_at_target: u32,
    /// Community sessions held in the quarter, and the people at them.
    pub community_sessions: u32,
    pub attendees: PeopleGuided,
}

/// A commune's activity over some days ([`PROVINCE_ACTIVITY`]): is it quiet?
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CommuneActivity {
    /// Volunteers who knocked on a door.
    pub active_volunteers: u32,
    /// Community sessions held.
    pub sessions: u32,
}

/// A commune's skills of one group guided and completed in a quarter ([`PROVINCE_SKILLS`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommuneSkills {
    pub commune_id: i64,
    /// `None`: skills no longer in the commune's catalogue.
    pub group: Option<SkillGroup>,
    pub guided: u32,
    pub completed: u32,
}

/// The reads of a province, written once for both engines' pools: each
/// backend folds what is queued first, then calls these.
pub(super) struct ProvinceReads;

impl ProvinceReads {
    /// [`PROVINCE_QUARTER`] of `quarter`.
    pub async fn quarter<DB>(pool: &Pool<DB>, province_id: i64, quarter: Quarter) -> DbResult<Vec<CommuneQuarter>>
    where
        DB: Database,
        for<'q> i64: Encode<'q, DB> + Type<DB> + Decode<'q, DB>,
        for<'q> NaiveDate: Encode<'q, DB> + Type<DB>,
        for<'q> String: Decode<'q, DB> + Type<DB>,
        for<'q> <DB as Database>::Arguments<'q>: IntoArguments<'q, DB>,
        for<'c> &'c mut <DB as Database>::Connection: Executor<'c, Database = DB>,
        for<'c> &'c str: ColumnIndex<DB::Row>,
    {
        let rows = sqlx::query(PROVINCE_QUARTER)
            .bind(province_id)
            .bind(quarter_key(quarter))
            .bind(quarter.first_day())
            .bind(quarter.last_day())
            .fetch_all(pool)
            .await?;
        rows.iter().map(commune_quarter_from).collect()
    }

    /// [`PROVINCE_ACTIVITY`] of the days `days.0` to `days.1`.
    pub async fn activity<DB>(
        pool: &Pool<DB>,
        province_id: i64,
        days: (NaiveDate, NaiveDate),
    ) -> DbResult<Vec<(i64, CommuneActivity)>>
    where
        DB: Database,
        for<'q> i64: Encode<'q, DB> + Type<DB> + Decode<'q, DB>,
        for<'q> NaiveDate: Encode<'q, DB> + Type<DB>,
        for<'q> <DB as Database>::Arguments<'q>: IntoArguments<'q, DB>,
        for<'c> &'c mut <DB as Database>::Connection: Executor<'c, Database = DB>,
        for<'c> &'c str: ColumnIndex<DB::Row>,
    {
        let rows = sqlx::query(PROVINCE_ACTIVITY).bind(province_id).bind(days.0).bind(days.1).fetch_all(pool).await?;
        rows.iter().map(commune_activity_from).collect()
    }

    /// [`PROVINCE_SKILLS`] of `quarter`.
    pub async fn skills<DB>(pool: &Pool<DB>, province_id: i64, quarter: Quarter) -> DbResult<Vec<CommuneSkills>>
    where
        DB: Database,
        for<'q> i64: Encode<'q, DB> + Type<DB> + Decode<'q, DB>,
        for<'q> Option<String>: Decode<'q, DB> + Type<DB>,
        for<'q> <DB as Database>::Arguments<'q>: IntoArguments<'q, DB>,
        for<'c> &'c mut <DB as Database>::Connection: Executor<'c, Database = DB>,
        for<'c> &'c str: ColumnIndex<DB::Row>,
    {
        let rows = sqlx::query(PROVINCE_SKILLS).bind(province_id).bind(quarter_key(quarter)).fetch_all(pool).await?;
        rows.iter().map(commune_skills_from).collect()
    }
}

/// A row of [`PROVINCE_QUARTER`], from either engine.
fn commune_quarter_from<R>(row: &R) -> DbResult<CommuneQuarter>
where
    R: Row,
    for<'c> &'c str: ColumnIndex<R>,
    for<'r> i64: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> String: Decode<'r, R::Database> + Type<R::Database>,
{
    let count = |column: &str| -> DbResult<u32> { count_from(row.try_get::<i64, _>(column)?, column) };
    let people = |prefix: &str| -> DbResult<PeopleGuided> {
        Ok(PeopleGuided {
            officials: count(&format!("{prefix}officials"))?,
            pupils: count(&format!("{prefix}pupils"))?,
            adults: count(&format!("{prefix}adults"))?,
            elderly: count(&format!("{prefix}elderly"))?,
            workers: count(&format!("{prefix}workers"))?,
        })
    };
    Ok(CommuneQuarter {
        commune: Commune { id: row.try_get("id")?, name: row.try_get("name")? },
        households: count("households")?,
        doors: count("doors")?,
        people: people("")?,
        households_reached: count("households_reached")?,
        households_guided: count("households_guided")?,
        households_reached_ever: count("households_reached_ever")?,
        households_at_target: count("households_at_target")?,
        community_sessions: count("sessions")?,
        attendees: people("at_")?,
    })
}

/// A row of [`PROVINCE_ACTIVITY`], from either engine: the commune's id and its activity.
fn commune_activity_from<R>(row: &R) -> DbResult<(i64, CommuneActivity)>
where
    R: Row,
    for<'c> &'c str: ColumnIndex<R>,
    for<'r> i64: Decode<'r, R::Database> + Type<R::Database>,
{
    let count = |column: &str| -> DbResult<u32> { count_from(row.try_get::<i64, _>(column)?, column) };
    let activity = CommuneActivity { active_volunteers: count("active_volunteers")?, sessions: count("sessions")? };
    Ok((row.try_get("commune_id")?, activity))
}

/// A row of [`PROVINCE_SKILLS`], from either engine.
fn commune_skills_from<R>(row: &R) -> DbResult<CommuneSkills>
where
    R: Row,
    for<'c> &'c str: ColumnIndex<R>,
    for<'r> i64: Decode<'r, R::Database> + Type<R::Database>,
    for<'r> Option<String>: Decode<'r, R::Database> + Type<R::Database>,
{
    let group: Option<String> = row.try_get("skill_group")?;
    Ok(CommuneSkills {
        commune_id: row.try_get("commune_id")?,
        group: group.map(|group| super::stored::parse_group(&group)).transpose()?,
        guided: count_from(row.try_get("guided")?, "guided")?,
        completed: count_from(row.try_get("completed")?, "completed")?,
    })
}

/// A quarter as the kept rows number it: year × 4 + the quarter's index (0: January to March).
pub fn quarter_key(quarter: Quarter) -> i64 {
    i64::from(quarter.year) * 4 + i64::from(quarter.number) - 1
}

/// The quarter key of the day `day` (a column of days), in `engine`'s SQL.
fn quarter_of_day(engine: Engine, day: &str) -> String {
    match engine {
        Engine::Sqlite => {
            format!("(CAST(substr({day}, 1, 4) AS INTEGER) * 4 + (CAST(substr({day}, 6, 2) AS INTEGER) - 1) / 3)")
        }
        Engine::Postgres => format!("quarter_of({day})"),
    }
}

/// The quarter key of the instant `at`'s day in Vietnam (UTC+7), in `engine`'s SQL.
fn quarter_of_instant(engine: Engine, at: &str) -> String {
    match engine {
        Engine::Sqlite => quarter_of_day(engine, &format!("date({at}, '+7 hours')")),
        Engine::Postgres => format!("quarter_of_instant({at})"),
    }
}

/// The statements that fill the quarter rows again from the kept figures,
/// of commune `$1` — or of every commune, without `$1`, when `commune` is
/// false (SQLite rebuilds every commune in one go).
pub fn fill(engine: Engine, commune: bool) -> Vec<String> {
    let only = |table: &str| if commune { format!("{table}.commune_id = $1") } else { "TRUE".to_owned() };
    let day = quarter_of_day(engine, "visit_days.day");
    let skill_day = quarter_of_day(engine, "skill_days.day");
    let first = quarter_of_instant(engine, "household_progress.first_visit_at");
    let target = quarter_of_instant(engine, "household_progress.target_at");
    let in_quarter =
        |bits: &str| format!("CASE WHEN (household_months.{bits} >> (3 * q.n)) & 7 <> 0 THEN 1 ELSE 0 END");
    let (reached, guided) = (in_quarter("months"), in_quarter("guided_months"));
    let quarters = "(SELECT 0 AS n UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3) AS q";
    let sum = |column: &str| format!("SUM({column})");
    let people = ["doors", "officials", "pupils", "adults", "elderly", "workers"];
    let mut statements: Vec<String> = ["commune_quarters", "commune_quarter_skills", "commune_author_days"]
        .iter()
        .map(|table| format!("DELETE FROM {table} WHERE {}", only(table)))
        .collect();
    statements.push(format!(
        "INSERT INTO commune_quarters (commune_id, quarter, {})
         SELECT commune_id, {day}, {} FROM visit_days WHERE {} GROUP BY commune_id, {day}",
        people.join(", "),
        people.map(sum).join(", "),
        only("visit_days"),
    ));
    statements.push(format!(
        "INSERT INTO commune_quarters (commune_id, quarter, households_reached, households_guided)
         SELECT household_months.commune_id, household_months.year * 4 + q.n, SUM({reached}), SUM({guided})
         FROM household_months CROSS JOIN {quarters}
         WHERE household_months.scope_team = 0 AND {}
         GROUP BY household_months.commune_id, household_months.year * 4 + q.n
         HAVING SUM({reached}) > 0
         ON CONFLICT (commune_id, quarter) DO UPDATE SET
             households_reached = EXCLUDED.households_reached, households_guided = EXCLUDED.households_guided",
        only("household_months"),
    ));
    for (column, at, known) in [("first_reached", &first, "TRUE"), ("reached_target", &target, "target_at IS NOT NULL")]
    {
        statements.push(format!(
            "INSERT INTO commune_quarters (commune_id, quarter, {column})
             SELECT commune_id, {at}, COUNT(*) FROM household_progress
             WHERE scope_team = 0 AND {known} AND {} GROUP BY commune_id, {at}
             ON CONFLICT (commune_id, quarter) DO UPDATE SET {column} = EXCLUDED.{column}",
            only("household_progress"),
        ));
    }
    statements.push(format!(
        "INSERT INTO commune_quarter_skills (commune_id, quarter, code, guided, completed)
         SELECT commune_id, {skill_day}, code, SUM(guided), SUM(completed) FROM skill_days
         WHERE {} GROUP BY commune_id, {skill_day}, code",
        only("skill_days"),
    ));
    statements.push(format!(
        "INSERT INTO commune_author_days (commune_id, day, author_id, doors)
         SELECT commune_id, day, author_id, SUM(doors) FROM visit_days WHERE {} GROUP BY commune_id, day, author_id",
        only("visit_days"),
    ));
    statements
}

/// The communes of province `$1` (in no order; not one its Department added
/// after the quarter, see migration 0025), each with its
/// quarter `$2` (a [`quarter_key`]): households in its villages; doors and
/// people of the quarter; different households visited and guided in it;
/// households reached, and at the national target, by its end; community
/// sessions held from day `$3` to `$4` (the quarter's days) and their people.
pub const PROVINCE_QUARTER: &str = "
    WITH communes_of AS (
        SELECT id, name FROM communes WHERE province_id = $1 AND (created_on IS NULL OR created_on <= $4)),
    households AS (
        SELECT commune_id, CAST(SUM(households) AS BIGINT) AS households FROM villages
        WHERE commune_id IN (SELECT id FROM communes_of) GROUP BY commune_id),
    quarters AS (
        SELECT commune_id,
            CAST(SUM(CASE WHEN quarter = $2 THEN doors ELSE 0 END) AS BIGINT) AS doors,
            CAST(SUM(CASE WHEN quarter = $2 THEN officials ELSE 0 END) AS BIGINT) AS officials,
            CAST(SUM(CASE WHEN quarter = $2 THEN pupils ELSE 0 END) AS BIGINT) AS pupils,
            CAST(SUM(CASE WHEN quarter = $2 THEN adults ELSE 0 END) AS BIGINT) AS adults,
            CAST(SUM(CASE WHEN quarter = $2 THEN elderly ELSE 0 END) AS BIGINT) AS elderly,
            CAST(SUM(CASE WHEN quarter = $2 THEN workers ELSE 0 END) AS BIGINT) AS workers,
            CAST(SUM(CASE WHEN quarter = $2 THEN households_reached ELSE 0 END) AS BIGINT) AS households_reached,
            CAST(SUM(CASE WHEN quarter = $2 THEN households_guided ELSE 0 END) AS BIGINT) AS households_guided,
            CAST(SUM(first_reached) AS BIGINT) AS households_reached_ever,
            CAST(SUM(reached_target) AS BIGINT) AS households_at_target
        FROM commune_quarters WHERE commune_id IN (SELECT id FROM communes_of) AND quarter <= $2
        GROUP BY commune_id),
    sessions AS (
        SELECT commune_id, CAST(COUNT(*) AS BIGINT) AS sessions,
            CAST(SUM(officials) AS BIGINT) AS at_officials, CAST(SUM(pupils) AS BIGINT) AS at_pupils,
            CAST(SUM(adults) AS BIGINT) AS at_adults, CAST(SUM(elderly) AS BIGINT) AS at_elderly,
            CAST(SUM(workers) AS BIGINT) AS at_workers
        FROM community_sessions
        WHERE commune_id IN (SELECT id FROM communes_of) AND deleted_at IS NULL AND held_on >= $3 AND held_on <= $4
        GROUP BY commune_id)
    SELECT c.id, c.name, COALESCE(h.households, 0) AS households,
        COALESCE(q.doors, 0) AS doors, COALESCE(q.officials, 0) AS officials, COALESCE(q.pupils, 0) AS pupils,
        COALESCE(q.adults, 0) AS adults, COALESCE(q.elderly, 0) AS elderly, COALESCE(q.workers, 0) AS workers,
        COALESCE(q.households_reached, 0) AS households_reached,
        COALESCE(q.households_guided, 0) AS households_guided,
        COALESCE(q.households_reached_ever, 0) AS households_reached_ever,
        COALESCE(q.households_at_target, 0) AS households_at_target,
        COALESCE(s.sessions, 0) AS sessions, COALESCE(s.at_officials, 0) AS at_officials,
        COALESCE(s.at_pupils, 0) AS at_pupils, COALESCE(s.at_adults, 0) AS at_adults,
        COALESCE(s.at_elderly, 0) AS at_elderly, COALESCE(s.at_workers, 0) AS at_workers
    FROM communes_of c
    LEFT JOIN households h ON h.commune_id = c.id
    LEFT JOIN quarters q ON q.commune_id = c.id
    LEFT JOIN sessions s ON s.commune_id = c.id";

/// Per commune of province `$1` with any activity from day `$2` to `$3`: the
/// volunteers who knocked on a door, and the community sessions held.
pub const PROVINCE_ACTIVITY: &str = "
    WITH communes_of AS (SELECT id FROM communes WHERE province_id = $1),
    active AS (
        SELECT commune_id, CAST(COUNT(DISTINCT author_id) AS BIGINT) AS volunteers FROM commune_author_days
        WHERE commune_id IN (SELECT id FROM communes_of) AND day >= $2 AND day <= $3 AND doors > 0
        GROUP BY commune_id),
    sessions AS (
        SELECT commune_id, CAST(COUNT(*) AS BIGINT) AS sessions FROM community_sessions
        WHERE commune_id IN (SELECT id FROM communes_of) AND deleted_at IS NULL AND held_on >= $2 AND held_on <= $3
        GROUP BY commune_id)
    SELECT c.id AS commune_id, COALESCE(a.volunteers, 0) AS active_volunteers, COALESCE(s.sessions, 0) AS sessions
    FROM communes_of c LEFT JOIN active a ON a.commune_id = c.id LEFT JOIN sessions s ON s.commune_id = c.id";

/// Per commune of province `$1` and skill group (`NULL`: a skill no longer in
/// its catalogue), the quarter `$2`'s skills guided and completed.
pub const PROVINCE_SKILLS: &str = "
    SELECT s.commune_id, k.skill_group, CAST(SUM(s.guided) AS BIGINT) AS guided,
        CAST(SUM(s.completed) AS BIGINT) AS completed
    FROM commune_quarter_skills s
    LEFT JOIN skills k ON k.commune_id = s.commune_id AND k.code = s.code
    WHERE s.commune_id IN (SELECT id FROM communes WHERE province_id = $1) AND s.quarter = $2
    GROUP BY s.commune_id, k.skill_group";

#[cfg(test)]
mod tests {
    use super::*;

    /// `text` with its whitespace folded to single spaces, however it is laid out.
    fn folded(text: &str) -> String {
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    /// The migrations that brought the quarter rows filled them from the kept
    /// figures already there with the rebuild's own statements: a database
    /// upgraded and one rebuilt hold the same rows.
    #[test]
    fn the_migrations_fill_the_quarter_rows_as_a_rebuild_does() {
        for (engine, migration) in [
            (Engine::Sqlite, include_str!("../../migrations/sqlite/0024_commune_quarters.sql")),
            (Engine::Postgres, include_str!("../../migrations/postgres/0008_commune_quarters.sql")),
        ] {
            let migration = folded(migration);
            // The first three empty the tables, new in the migration.
            for statement in fill(engine, false).iter().skip(3) {
                assert!(
                    migration.contains(&folded(statement)),
                    "{engine:?}'s migration fills as a rebuild: {statement}"
                );
            }
        }
    }
}
