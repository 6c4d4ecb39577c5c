//! The dashboard's figures kept up to date with every visit write, as in
//! SQLite (`super::super::sqlite::aggregates`, which tells why they are
//! kept): `visit_days` and `skill_days` sum visits per Vietnam day, counted
//! in (`+1`) when stored and out (`-1`) when replaced, deleted or voided;
//! `household_progress` and `household_months` are recomputed from a
//! household's own visits whenever one of them changes.
//!
//! A push's new visits are only queued (`visits_to_fold`, in the push's
//! transaction) and folded in soon after ([`super::folding`]); whatever
//! reads the figures, or changes them otherwise, folds the queue first.
//!
//! Unlike SQLite, PostgreSQL runs writers side by side, and hands out queue
//! seqs that may commit out of order: a fold cannot take "every entry up to
//! the last seq it read", as one committed late below it would be dropped
//! unfolded. So a fold ([`fold_queued`]) is one locked step, in the caller's
//! transaction: it takes the commune's [`Lock::Fold`], then reads the
//! commune's queue entries and their visits (one statement, one snapshot),
//! folds them in memory by the domain's rule ([`figures::fold`]), merges the
//! rows and deletes exactly the entries it read. There is no reading outside
//! the lock to merge later: under the lock, nobody else folds or counts
//! that commune's figures. Each commune is folded on its own, so communes
//! never wait for each other's folds (and on a deployment distributed by
//! commune, each fold's statements go to the commune's node).
//!
//! Every change to a commune's figures is made under its [`Lock::Fold`],
//! held until the transaction ends: a fold, a count in or out, a
//! recomputation, a rebuild.
//! This relies on READ COMMITTED (PostgreSQL's default): each statement after
//! the lock sees what the previous holder committed. A write that changes a
//! visit must count it out ([`count`], which folds first) before it changes
//! what the figures read of it (its time, people, skills, household), or a
//! fold running meanwhile could count in the old version while the write
//! counts out the new. Writers take a commune's lock before this one, never
//! after, so the two never wait on each other in a circle.

use super::folded_rows;
use super::{hold, Lock, PostgresDatabase, Tx};
use crate::db::basic_skill_columns::{basic_columns, completed, earliest_completions, forget_completions};
use crate::db::{quarter_figures, DbError, DbResult, Engine};
use gocua_domain::catalogue::BasicSkill;
use gocua_domain::figures::{self, PlacedVisit};
use sqlx::postgres::PgArguments;
use sqlx::query::Query;
use sqlx::{Postgres, Row};
use std::collections::HashMap;

/// Ids as a JSON array, for `json_array_elements_text($1::json)`.
pub(super) fn json_ids<T: serde::Serialize>(ids: &T) -> String {
    serde_json::to_string(ids).expect("ids always serialise")
}

/// The Vietnam day (UTC+7, no daylight saving) of visit `v`, as a DATE.
const VIETNAM_DAY: &str = "((v.visited_at AT TIME ZONE 'UTC') + INTERVAL '7 hours')::DATE";

/// Which visits to count in or out.
#[derive(Debug, Clone, Copy)]
pub(super) enum Visits<'a> {
    /// One visit of a commune, whatever its state: the caller counts each change of it once.
    One(i64, &'a str),
    /// The live visits of a household of a commune (its village changes).
    OfHousehold(i64, &'a str),
    /// The live visits of households of a commune, named by a JSON array of ids.
    OfHouseholds(i64, &'a str),
    /// A commune's live visits not waiting in the queue (rebuilding): those
    /// are counted when it is folded, and pushes of other communes go on
    /// queueing while a rebuild runs.
    OfCommune(i64),
}

impl Visits<'_> {
    fn commune(self) -> i64 {
        match self {
            Visits::One(commune_id, _)
            | Visits::OfHousehold(commune_id, _)
            | Visits::OfHouseholds(commune_id, _)
            | Visits::OfCommune(commune_id) => commune_id,
        }
    }

    /// A condition on visit `v` selecting these visits, by the commune `$1`
    /// (every statement names it: docs/scaling.md) and the ids `$2`.
    fn filter(self) -> &'static str {
        match self {
            Visits::One(..) => "v.commune_id = $1 AND v.id = $2",
            Visits::OfHousehold(..) => "v.commune_id = $1 AND v.household_id = $2 AND v.deleted_at IS NULL",
            Visits::OfHouseholds(..) => {
                "v.commune_id = $1
                 AND v.household_id IN (SELECT j.value FROM json_array_elements_text($2::json) AS j(value))
                 AND v.deleted_at IS NULL"
            }
            Visits::OfCommune(_) => {
                "v.commune_id = $1 AND v.deleted_at IS NULL
                 AND v.id NOT IN (SELECT q.value FROM visits_to_fold
                                  CROSS JOIN LATERAL json_array_elements_text(visits_to_fold.visit_ids::json) AS q(value)
                                  WHERE visits_to_fold.commune_id = $1)"
            }
        }
    }

    /// Binds what [`Visits::filter`] names `$1` (and `$2`).
    fn bind<'q>(self, query: Query<'q, Postgres, PgArguments>) -> Query<'q, Postgres, PgArguments> {
        match self {
            Visits::One(commune_id, ids)
            | Visits::OfHousehold(commune_id, ids)
            | Visits::OfHouseholds(commune_id, ids) => query.bind(commune_id).bind(ids.to_owned()),
            Visits::OfCommune(commune_id) => query.bind(commune_id),
        }
    }
}

/// Queues new visits of a commune (a JSON array of ids) to be folded into
/// its figures: one row for them all. Needs no lock: a fold takes only the
/// entries committed when it reads.
pub(super) async fn queue(tx: &mut Tx, commune_id: i64, ids: &str) -> DbResult<()> {
    sqlx::query("INSERT INTO visits_to_fold (commune_id, visit_ids) VALUES ($1, $2)")
        .bind(commune_id)
        .bind(ids)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A commune's (`$1`) queue entries and their visits, read in one statement (so as of one
/// moment): the entries' seqs (NULL: none queued), and the visits in one
/// JSON array, each an array in the order of the fields of `PlacedVisit`
/// (and its `CountedVisit`), as SQLite reads them: handed over a row at a
/// time, the visits would cost far more to read. Each queued visit is looked
/// up by its key in a subquery the planner keeps apart (`OFFSET 0`): joined
/// plainly, a table's statistics not yet gathered (a new database's first
/// minute) made it read every visit of the commune for each queue entry —
/// 16 s instead of milliseconds for 10,000 visits. Its household likewise,
/// by commune and id in a subquery of its own: joined plainly, on such
/// statistics, the planner read every household of the commune for each
/// visit (310 → 80 ms for 10,000 visits).
const READ_QUEUED: &str = "
    SELECT (SELECT array_agg(seq) FROM visits_to_fold WHERE commune_id = $1),
           (SELECT COALESCE(json_agg(json_build_array(
                json_build_array(v.id, v.household_id, v.outcome, v.come_back_on,
                                 json_build_array(v.officials, v.pupils, v.adults, v.elderly, v.workers),
                                 v.skills::json, v.visited_at,
                                 CASE WHEN v.follow_up_on IS NOT NULL
                                      THEN json_build_array(v.follow_up_on, COALESCE(v.follow_up_reason, '')) END),
                v.commune_id, v.team_id, v.author_id, v.village_id)), '[]')::TEXT
            FROM visits_to_fold q
                 CROSS JOIN LATERAL json_array_elements_text(q.visit_ids::json) AS queued(value)
                 CROSS JOIN LATERAL (
                     SELECT v.*, h.village_id FROM visits v
                          CROSS JOIN LATERAL (SELECT h.village_id FROM households h
                                              WHERE h.commune_id = $1 AND h.id = v.household_id OFFSET 0) AS h
                     WHERE v.commune_id = $1 AND v.id = queued.value OFFSET 0) AS v
            WHERE q.commune_id = $1)";

/// Folds a commune's queued visits into its figures, in the transaction
/// `tx`, holding its [`Lock::Fold`] until it ends; whether there were any.
///
/// What a new visit can change is known from the visit alone — an earlier
/// first visit or basic skill, a later latest visit, one more day — so
/// nothing else of its household is read.
pub(super) async fn fold_queued(tx: &mut Tx, commune_id: i64) -> DbResult<bool> {
    hold(tx, Lock::Fold(commune_id)).await?;
    let (seqs, queued): (Option<Vec<i64>>, String) =
        sqlx::query_as(READ_QUEUED).bind(commune_id).fetch_one(&mut **tx).await?;
    let Some(seqs) = seqs else { return Ok(false) };
    let visits: Vec<PlacedVisit> =
        serde_json::from_str(&queued).map_err(|error| DbError::Inconsistent(format!("a queued visit: {error}")))?;
    let mapping: HashMap<String, BasicSkill> =
        sqlx::query("SELECT code, basic_skill FROM skills WHERE basic_skill IS NOT NULL AND commune_id = $1")
            .bind(commune_id)
            .fetch_all(&mut **tx)
            .await?
            .iter()
            .map(|row| {
                let raw: String = row.try_get("basic_skill")?;
                let basic =
                    BasicSkill::parse(&raw).ok_or_else(|| DbError::Inconsistent(format!("basic skill {raw:?}")))?;
                Ok((row.try_get("code")?, basic))
            })
            .collect::<DbResult<_>>()?;
    let folded = figures::fold(visits, |_, code| mapping.get(code).copied());
    folded_rows::merge(tx, &folded).await?;
    // Exactly the entries read: any committed since wait for the next fold.
    sqlx::query("DELETE FROM visits_to_fold WHERE seq = ANY($1)").bind(&seqs[..]).execute(&mut **tx).await?;
    Ok(true)
}

/// Adds (`sign` 1) or takes away (`sign` -1) `visits` in the daily sums.
/// Before one is taken away, the queue is folded: it may be among them.
pub(super) async fn count(tx: &mut Tx, visits: Visits<'_>, sign: i64) -> DbResult<()> {
    if sign < 0 {
        fold_queued(tx, visits.commune()).await?;
    } else {
        hold(tx, Lock::Fold(visits.commune())).await?;
    }
    add(tx, visits, sign).await
}

/// [`count`] without folding the queue first; the caller holds [`Lock::Fold`].
async fn add(tx: &mut Tx, visits: Visits<'_>, sign: i64) -> DbResult<()> {
    let filter = visits.filter();
    let days = format!(
        "INSERT INTO visit_days AS d (commune_id, day, team_id, author_id, village_id, doors, officials, pupils,
                                      adults, elderly, workers)
         SELECT v.commune_id, {VIETNAM_DAY}, COALESCE(v.team_id, 0), v.author_id, h.village_id,
                {sign} * COUNT(*), {sign} * SUM(v.officials)::BIGINT, {sign} * SUM(v.pupils)::BIGINT,
                {sign} * SUM(v.adults)::BIGINT, {sign} * SUM(v.elderly)::BIGINT, {sign} * SUM(v.workers)::BIGINT
         FROM visits v JOIN households h ON h.commune_id = v.commune_id AND h.id = v.household_id
         WHERE {filter} GROUP BY 1, 2, 3, 4, 5
         ON CONFLICT (commune_id, day, team_id, author_id, village_id) DO UPDATE SET
             doors = d.doors + excluded.doors, officials = d.officials + excluded.officials,
             pupils = d.pupils + excluded.pupils, adults = d.adults + excluded.adults,
             elderly = d.elderly + excluded.elderly, workers = d.workers + excluded.workers"
    );
    visits.bind(sqlx::query(&days)).execute(&mut **tx).await?;
    let skills = format!(
        "INSERT INTO skill_days AS d (commune_id, day, team_id, code, guided, completed)
         SELECT v.commune_id, {VIETNAM_DAY}, COALESCE(v.team_id, 0), s.value->>'code', {sign} * COUNT(*),
                {sign} * COUNT(*) FILTER (WHERE (s.value->>'completed')::BOOLEAN)
         FROM visits v CROSS JOIN LATERAL json_array_elements(v.skills::json) AS s(value)
         WHERE {filter} GROUP BY 1, 2, 3, 4
         ON CONFLICT (commune_id, day, team_id, code) DO UPDATE SET
             guided = d.guided + excluded.guided, completed = d.completed + excluded.completed"
    );
    visits.bind(sqlx::query(&skills)).execute(&mut **tx).await?;
    Ok(())
}

/// Which households' progress to recompute.
#[derive(Debug, Clone, Copy)]
pub(super) enum Households<'a> {
    /// One household of a commune, by id.
    One(i64, &'a str),
    /// Households of a commune named by a JSON array of ids (the households a push touched, recomputed together).
    Listed(i64, &'a str),
    /// Every household of a commune (rebuilding).
    OfCommune(i64),
}

/// Recomputes `households`' progress from their live visits, the queue
/// folded first (so the progress is not behind the daily sums).
pub(super) async fn refresh_progress(tx: &mut Tx, households: Households<'_>) -> DbResult<()> {
    let commune_id = match households {
        Households::One(commune_id, _) | Households::Listed(commune_id, _) | Households::OfCommune(commune_id) => {
            commune_id
        }
    };
    fold_queued(tx, commune_id).await?;
    recompute_progress(tx, households).await
}

/// [`refresh_progress`] without folding the queue first; the caller holds
/// [`Lock::Fold`]. A visit both read here and folded later changes nothing:
/// progress merges by earliest, latest and OR, never by adding.
async fn recompute_progress(tx: &mut Tx, households: Households<'_>) -> DbResult<()> {
    // Which rows to recompute (of the table named), and the visits they come from, all bound as `of` binds.
    let (rows, of): (fn(&str) -> String, Visits) = match households {
        Households::One(commune_id, id) => (
            |table| format!("{table}.commune_id = $1 AND {table}.household_id = $2"),
            Visits::OfHousehold(commune_id, id),
        ),
        Households::Listed(commune_id, ids) => (
            |table| {
                format!(
                    "{table}.commune_id = $1
                     AND {table}.household_id IN (SELECT j.value FROM json_array_elements_text($2::json) AS j(value))"
                )
            },
            Visits::OfHouseholds(commune_id, ids),
        ),
        Households::OfCommune(commune_id) => {
            (|table| format!("{table}.commune_id = $1"), Visits::OfCommune(commune_id))
        }
    };
    let which = rows("household_progress");
    let visits = of.filter();
    let statements = [
        format!("DELETE FROM household_months WHERE {}", rows("household_months")),
        format!("INSERT INTO household_months {} {}", months_columns(), months_of(visits)),
        format!("DELETE FROM household_progress WHERE {which}"),
        // A household's visits are all of its commune: MIN only names that one.
        format!(
            "INSERT INTO household_progress (household_id, scope_team, commune_id, village_id, first_visit_at)
             SELECT v.household_id, v.team_id, MIN(v.commune_id), h.village_id, MIN(v.visited_at)
             FROM visits v JOIN households h ON h.commune_id = v.commune_id AND h.id = v.household_id
             WHERE {visits} AND v.team_id IS NOT NULL GROUP BY v.household_id, v.team_id, h.village_id
             UNION ALL
             SELECT v.household_id, 0::BIGINT, MIN(v.commune_id), h.village_id, MIN(v.visited_at)
             FROM visits v JOIN households h ON h.commune_id = v.commune_id AND h.id = v.household_id
             WHERE {visits} GROUP BY v.household_id, h.village_id"
        ),
        basic_skills_completed(&which, visits),
        target_reached(&which),
        // Ties by id in byte order, as the fold's `LatestVisit::is_after` compares them.
        format!(
            "UPDATE household_progress SET last_visit_id = (
                 SELECT v.id FROM visits v
                 WHERE v.commune_id = household_progress.commune_id AND v.household_id = household_progress.household_id
                   AND v.deleted_at IS NULL ORDER BY v.visited_at DESC, v.id COLLATE \"C\" DESC LIMIT 1)
             WHERE household_progress.scope_team = 0 AND {which}"
        ),
        format!(
            "UPDATE household_progress SET (last_visit_at, due_on, reason, owner_id, owner_team) = (
                 SELECT v.visited_at, COALESCE(v.follow_up_on, v.come_back_on), COALESCE(v.follow_up_reason, ''),
                        v.author_id, v.team_id
                 FROM visits v
                 WHERE v.commune_id = household_progress.commune_id AND v.id = household_progress.last_visit_id)
             WHERE household_progress.scope_team = 0 AND {which}"
        ),
    ];
    for statement in &statements {
        of.bind(sqlx::query(statement)).execute(&mut **tx).await?;
    }
    Ok(())
}

/// Day-bit columns: two months to a column, 31 bits each.
pub(super) use gocua_domain::figures::{DAYS_PER_MONTH, DAY_COLUMNS};

/// `household_months`' columns, in the order [`months_of`] gives them.
fn months_columns() -> String {
    let days = (0..DAY_COLUMNS).map(|c| format!(", days_{c}")).collect::<String>();
    let guided_days = (0..DAY_COLUMNS).map(|c| format!(", guided_days_{c}")).collect::<String>();
    format!("(household_id, scope_team, commune_id, year, months, guided_months{days}{guided_days})")
}

/// The `household_months` rows (in [`months_columns`]' order) of the visits
/// `filter` selects: per household, team (0: the whole commune) and year in
/// Vietnam's time, the days and months visited and guided in, as bits.
/// PostgreSQL ORs bits in an aggregate (`bit_or`), so unlike SQLite the
/// visits need not be told apart per day first.
fn months_of(filter: &str) -> String {
    // Shifts are BIGINT by INTEGER: month and day stay INTEGER, and the 1 is a BIGINT.
    let day_bits = |guided: &str, prefix: &str| {
        (0..DAY_COLUMNS)
            .map(|c| {
                format!(
                    ", COALESCE(bit_or(CASE WHEN month / 2 = {c}{guided}
                                            THEN 1::BIGINT << ((month % 2) * {DAYS_PER_MONTH} + day) END), 0)
                       AS {prefix}days_{c}"
                )
            })
            .collect::<String>()
    };
    let bits = format!(
        "bit_or(1::BIGINT << month) AS months,
         COALESCE(bit_or(CASE WHEN guided THEN 1::BIGINT << month END), 0) AS guided_months{}{}",
        day_bits("", ""),
        day_bits(" AND guided", "guided_")
    );
    // Each visit's Vietnam year, month (0-11) and day (0-30); then one row per
    // household, team and year, and one per household and year for the commune.
    format!(
        "WITH local_days AS MATERIALIZED (
             SELECT v.household_id, v.team_id, v.commune_id, v.outcome = 'guided' AS guided,
                    EXTRACT(YEAR FROM vn.local_at)::BIGINT AS year,
                    EXTRACT(MONTH FROM vn.local_at)::INTEGER - 1 AS month,
                    EXTRACT(DAY FROM vn.local_at)::INTEGER - 1 AS day
             FROM visits v
                  CROSS JOIN LATERAL (SELECT (v.visited_at AT TIME ZONE 'UTC') + INTERVAL '7 hours') AS vn(local_at)
             WHERE {filter})
         SELECT household_id, team_id, MIN(commune_id), year, {bits} FROM local_days
         WHERE team_id IS NOT NULL GROUP BY household_id, team_id, year
         UNION ALL
         SELECT household_id, 0::BIGINT, MIN(commune_id), year, {bits} FROM local_days GROUP BY household_id, year"
    )
}

/// Sets the `basicN_at` columns of the progress rows `which` from the live
/// visits `visits` (of the same households), by the commune's basic-skill
/// mapping: each household's earliest completion of each basic skill, per
/// team and for the whole commune (team 0). One pass over the visits, grouped
/// — a lookup of each row's visits took 110 s over 1,000,000 visits — so
/// rows none of `visits` completed a basic skill for are left as they are.
fn basic_skills_completed(which: &str, visits: &str) -> String {
    let earliest = earliest_completions();
    format!(
        "WITH completed AS MATERIALIZED (
             SELECT v.household_id, v.team_id, {basic} AS basic, v.visited_at AS done_at
             FROM visits v CROSS JOIN LATERAL json_array_elements(v.skills::json) AS s(value)
                  JOIN skills k ON k.commune_id = v.commune_id AND k.code = s.value->>'code'
             WHERE {visits} AND k.basic_skill IS NOT NULL AND (s.value->>'completed')::BOOLEAN),
         earliest AS (
             SELECT c.household_id, c.team_id AS scope_team, {earliest} FROM completed c
             WHERE c.team_id IS NOT NULL GROUP BY c.household_id, c.team_id
             UNION ALL
             SELECT c.household_id, 0::BIGINT, {earliest} FROM completed c GROUP BY c.household_id)
         UPDATE household_progress SET ({basic_columns}) = ({earliest_columns})
         FROM earliest e
         WHERE {which} AND household_progress.household_id = e.household_id
           AND household_progress.scope_team = e.scope_team",
        basic = basic_skill_place(),
        basic_columns = basic_columns(""),
        earliest_columns = basic_columns("e."),
    )
}

/// Recounts when a commune's households reached the national target, after
/// its basic-skill mapping changed: nothing else of their progress depends on it.
pub(super) async fn recount_targets(tx: &mut Tx, commune_id: i64) -> DbResult<()> {
    fold_queued(tx, commune_id).await?;
    let which = "household_progress.commune_id = $1";
    // Forgotten first: a household may no longer have completed any basic skill.
    let forget = forget_completions(which);
    let visits = Visits::OfCommune(commune_id);
    for statement in [forget, basic_skills_completed(which, visits.filter()), target_reached(which)] {
        visits.bind(sqlx::query(&statement)).execute(&mut **tx).await?;
    }
    Ok(())
}

/// Sets `target_at` of the progress rows `which` from their basic skills' times.
fn target_reached(which: &str) -> String {
    let all_done = completed(" AND ");
    format!(
        "UPDATE household_progress SET target_at = CASE WHEN {all_done} THEN GREATEST({}) END WHERE {which}",
        basic_columns("")
    )
}

/// A SQL expression naming the place in [`BasicSkill::ALL`] (so the
/// `basicN_at` column) of the basic skill `k.basic_skill` (the commune's own
/// mapping of a catalogue skill), or NULL.
fn basic_skill_place() -> String {
    let places: String =
        BasicSkill::ALL.iter().enumerate().map(|(k, basic)| format!(" WHEN '{}' THEN {k}", basic.as_str())).collect();
    format!("CASE k.basic_skill{places} END")
}

/// Recomputes every figure from the visits, in `tx`, commune by commune,
/// holding each one's [`Lock::Fold`] (taken in the order of the communes'
/// ids, so two rebuilds never wait on each other in a circle).
///
/// Unlike SQLite's, the queue is kept: pushes go on while the rebuild runs,
/// and queue visits it cannot tell from those queued before. So the rebuild
/// counts the visits not waiting in the queue ([`Visits::OfCommune`]), then
/// folds the commune's queue as usual; what is queued after that is folded
/// later.
pub(super) async fn rebuild(tx: &mut Tx) -> DbResult<()> {
    // The quarter rows' triggers stand aside until each commune's are filled in one go.
    sqlx::query("UPDATE aggregates SET built = FALSE").execute(&mut **tx).await?;
    let communes: Vec<i64> = sqlx::query_scalar("SELECT id FROM communes ORDER BY id").fetch_all(&mut **tx).await?;
    for commune_id in communes {
        hold(tx, Lock::Fold(commune_id)).await?;
        for table in ["visit_days", "skill_days", "household_progress", "household_months"] {
            sqlx::query(&format!("DELETE FROM {table} WHERE commune_id = $1"))
                .bind(commune_id)
                .execute(&mut **tx)
                .await?;
        }
        add(tx, Visits::OfCommune(commune_id), 1).await?;
        recompute_progress(tx, Households::OfCommune(commune_id)).await?;
        fold_queued(tx, commune_id).await?;
        for statement in quarter_figures::fill(Engine::Postgres, true) {
            sqlx::query(&statement).bind(commune_id).execute(&mut **tx).await?;
        }
    }
    sqlx::query("UPDATE aggregates SET built = TRUE").execute(&mut **tx).await?;
    Ok(())
}

impl PostgresDatabase {
    /// Fills the figures from the visits once (a database older than them, or
    /// data loaded around the server); afterwards every write keeps them.
    pub(super) async fn build_aggregates_once(&self) -> DbResult<()> {
        let built: bool = sqlx::query_scalar("SELECT built FROM aggregates").fetch_one(&self.pool).await?;
        if built {
            return Ok(());
        }
        let mut tx = self.begin().await?;
        hold(&mut tx, Lock::FirstBuild).await?;
        // Several servers starting at once: the first builds, the others wait here and find it done.
        let built: bool = sqlx::query_scalar("SELECT built FROM aggregates").fetch_one(&mut *tx).await?;
        if !built {
            rebuild(&mut tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
