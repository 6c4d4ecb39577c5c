//! The dashboard's figures kept up to date with every visit write
//! (migration 0010), so a dashboard reads a few thousand rows instead of
//! every visit ever made — over a million visits the period's figures and
//! the "ever" ones (coverage, the national target, returns owed) would
//! otherwise take seconds (docs/benchmarks.md).
//!
//! A push's new visits are only queued (`visits_to_fold`, in the push's
//! transaction) and folded in soon after by a task of their own, so the
//! phone does not wait for the figures; whatever reads the figures, or
//! changes them otherwise (an edit, a deletion, a void, a household's move),
//! folds the queue first, in its own transaction ([`fold_queued`]). So the
//! figures are never seen behind the visits, and a visit is counted out
//! only after it was counted in.
//!
//! - `visit_days`, `skill_days`: sums per Vietnam day; a visit is counted in
//!   (`+1`) when stored and out (`-1`) when replaced, deleted or voided.
//! - `household_progress`: per household and team (and for the whole
//!   commune, team 0), the first visit, when the five basic skills were all
//!   completed, the latest visit and the return it asked for;
//!   `household_months`: the months and days it was visited and guided in. Both are
//!   recomputed from the household's own visits whenever one of them changes;
//!   when a commune's basic-skill mapping changes, only when each of its
//!   households completed the five basic skills is recounted.

use super::folded_rows;
use super::pushed_visits::json_ids;
use super::records::Tx;
use super::SqliteDatabase;
use crate::db::basic_skill_columns::{basic_columns, completed, earliest_completions, forget_completions};
use crate::db::storage::Setup;
use crate::db::{DbError, DbResult};
use gocua_domain::catalogue::BasicSkill;
use gocua_domain::figures::{self, Folded, PlacedVisit};
use sqlx::{Row, SqliteConnection};
use std::collections::{BTreeSet, HashMap};

/// Which visits to count in or out.
#[derive(Debug, Clone, Copy)]
pub(super) enum Visits<'a> {
    /// One visit, whatever its state: the caller counts each change of it once.
    One(&'a str),
    /// A household's live visits (its village changes).
    OfHousehold(&'a str),
    /// The live visits of households named by a JSON array of ids.
    OfHouseholds(&'a str),
    /// A commune's live visits (rebuilding).
    OfCommune(i64),
}

impl Visits<'_> {
    fn filter(self) -> &'static str {
        match self {
            Visits::One(_) => "v.id = ?1",
            Visits::OfHousehold(_) => "v.household_id = ?1 AND v.deleted_at IS NULL",
            Visits::OfHouseholds(_) => "v.household_id IN (SELECT value FROM json_each(?1)) AND v.deleted_at IS NULL",
            Visits::OfCommune(_) => "v.commune_id = ?1 AND v.deleted_at IS NULL",
        }
    }

    fn bind<'q>(
        self,
        query: sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>>,
    ) -> sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>> {
        match self {
            Visits::One(text) | Visits::OfHousehold(text) | Visits::OfHouseholds(text) => query.bind(text.to_owned()),
            Visits::OfCommune(commune_id) => query.bind(commune_id),
        }
    }
}

/// Queues new visits (a JSON array of ids, bound last) to be folded into the
/// figures: one row for them all (migration 0017).
pub(super) const QUEUE: &str = "INSERT INTO visits_to_fold (visit_ids) VALUES (";

/// Queues new visits (a JSON array of ids) to be folded into the figures.
pub(super) async fn queue(tx: &mut Tx<'_>, ids: &str) -> DbResult<()> {
    sqlx::query(&format!("{QUEUE}?1)")).bind(ids.to_owned()).execute(&mut **tx).await?;
    Ok(())
}

/// The queued visits folded ([`figures::fold`]), ready to be merged into the figures.
pub(super) struct QueuedFold {
    /// The queue's last entry folded.
    through_seq: i64,
    /// How many entries (each one push's, or one visit's) were folded.
    entries: u64,
    folded: Folded,
}

/// Reads the queued visits and folds them by the domain's rule, in memory:
/// what a new visit can change is known from the visit alone — an earlier
/// first visit or basic skill, a later latest visit, one more day — so
/// nothing else of its household is read. `None`: nothing is queued.
///
/// Needs no write lock: [`merge_queued`] finds out, under it, whether the
/// visits read were folded by someone else meanwhile.
pub(super) async fn read_queued(conn: &mut SqliteConnection) -> DbResult<Option<QueuedFold>> {
    let (through_seq, entries): (Option<i64>, i64) =
        sqlx::query_as("SELECT MAX(seq), COUNT(*) FROM visits_to_fold").fetch_one(&mut *conn).await?;
    let Some(through_seq) = through_seq else { return Ok(None) };
    // All in one row, each visit a JSON array in the order of the fields of
    // `PlacedVisit` (and its `CountedVisit`): handed over a row at a time,
    // the visits would cost about twenty times more to read, and named
    // fields about twice as much to write out and parse.
    let queued: String = sqlx::query_scalar(
        "SELECT json_group_array(json_array(
             json_array(v.id, v.household_id, v.outcome, v.come_back_on,
                        json_array(v.officials, v.pupils, v.adults, v.elderly, v.workers), json(v.skills), v.visited_at,
                        CASE WHEN v.follow_up_on IS NOT NULL
                             THEN json_array(v.follow_up_on, COALESCE(v.follow_up_reason, '')) END),
             v.commune_id, v.team_id, v.author_id, h.village_id))
         FROM visits_to_fold q, json_each(q.visit_ids) queued
              JOIN visits v ON v.id = queued.value JOIN households h ON h.id = v.household_id
         WHERE q.seq <= ?1",
    )
    .bind(through_seq)
    .fetch_one(&mut *conn)
    .await?;
    let visits: Vec<PlacedVisit> =
        serde_json::from_str(&queued).map_err(|error| DbError::Inconsistent(format!("a queued visit: {error}")))?;
    let communes: BTreeSet<i64> = visits.iter().map(|queued| queued.commune_id).collect();
    let mapping: HashMap<(i64, String), BasicSkill> = sqlx::query(
        "SELECT commune_id, code, basic_skill FROM skills
         WHERE basic_skill IS NOT NULL AND commune_id IN (SELECT value FROM json_each(?1))",
    )
    .bind(json_ids(&communes))
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|row| {
        let raw: String = row.try_get("basic_skill")?;
        let basic = BasicSkill::parse(&raw).ok_or_else(|| DbError::Inconsistent(format!("basic skill {raw:?}")))?;
        Ok(((row.try_get("commune_id")?, row.try_get("code")?), basic))
    })
    .collect::<DbResult<_>>()?;
    let folded = figures::fold(visits, |commune_id, code| mapping.get(&(commune_id, code.to_owned())).copied());
    Ok(Some(QueuedFold { through_seq, entries: entries as u64, folded }))
}

/// Merges a fold of the queue into the figures and takes its visits off the
/// queue, unless some were folded by someone else since it was read: then
/// nothing is merged, and `false` says the transaction is to be dropped.
pub(super) async fn merge_queued(tx: &mut Tx<'_>, fold: &QueuedFold) -> DbResult<bool> {
    // Seqs are never reused: the entries up to the last one read are exactly those read, less any folded since.
    let taken = sqlx::query("DELETE FROM visits_to_fold WHERE seq <= ?")
        .bind(fold.through_seq)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    if taken != fold.entries {
        return Ok(false);
    }
    folded_rows::merge(tx, &fold.folded).await?;
    Ok(true)
}

/// Folds every queued visit into the figures, in the write transaction
/// `tx`; whether there were any.
pub(super) async fn fold_queued(tx: &mut Tx<'_>) -> DbResult<bool> {
    let Some(fold) = read_queued(tx).await? else { return Ok(false) };
    if merge_queued(tx, &fold).await? {
        Ok(true)
    } else {
        Err(DbError::Inconsistent("the queue of visits to fold changed under a write lock".into()))
    }
}

/// Adds (`sign` 1) or takes away (`sign` -1) `visits` in the daily sums.
/// Before one is taken away, the queue is folded: it may be among them.
pub(super) async fn count(tx: &mut Tx<'_>, visits: Visits<'_>, sign: i64) -> DbResult<()> {
    if sign < 0 {
        fold_queued(tx).await?;
    }
    add(tx, visits, sign).await
}

/// [`count`] without folding the queue first.
async fn add(tx: &mut Tx<'_>, visits: Visits<'_>, sign: i64) -> DbResult<()> {
    let filter = visits.filter();
    let days = format!(
        "INSERT INTO visit_days (commune_id, day, team_id, author_id, village_id, doors, officials, pupils, adults,
                                 elderly, workers)
         SELECT v.commune_id, date(v.visited_at, '+7 hours'), COALESCE(v.team_id, 0), v.author_id, h.village_id,
                {sign} * COUNT(*), {sign} * SUM(v.officials), {sign} * SUM(v.pupils), {sign} * SUM(v.adults), {sign} * SUM(v.elderly),
                {sign} * SUM(v.workers)
         FROM visits v JOIN households h ON h.id = v.household_id
         WHERE {filter} GROUP BY 1, 2, 3, 4, 5
         ON CONFLICT (commune_id, day, team_id, author_id, village_id) DO UPDATE SET
             doors = doors + excluded.doors, officials = officials + excluded.officials,
             pupils = pupils + excluded.pupils, adults = adults + excluded.adults,
             elderly = elderly + excluded.elderly, workers = workers + excluded.workers"
    );
    visits.bind(sqlx::query(&days)).execute(&mut **tx).await?;
    let skills = format!(
        "INSERT INTO skill_days (commune_id, day, team_id, code, guided, completed)
         SELECT v.commune_id, date(v.visited_at, '+7 hours'), COALESCE(v.team_id, 0),
                json_extract(s.value, '$.code'), {sign} * COUNT(*),
                {sign} * SUM(CASE WHEN json_extract(s.value, '$.completed') THEN 1 ELSE 0 END)
         FROM visits v, json_each(v.skills) s
         WHERE {filter} GROUP BY 1, 2, 3, 4
         ON CONFLICT (commune_id, day, team_id, code) DO UPDATE SET
             guided = guided + excluded.guided, completed = completed + excluded.completed"
    );
    visits.bind(sqlx::query(&skills)).execute(&mut **tx).await?;
    Ok(())
}

/// Which households' progress to recompute.
#[derive(Debug, Clone, Copy)]
pub(super) enum Households<'a> {
    One(&'a str),
    /// Named by a JSON array of ids (the households a push touched, recomputed together).
    Listed(&'a str),
    OfCommune(i64),
}

/// Recomputes `households`' progress from their live visits (the queue
/// folded first: a queued visit folded after would be counted twice).
pub(super) async fn refresh_progress(tx: &mut Tx<'_>, households: Households<'_>) -> DbResult<()> {
    fold_queued(tx).await?;
    // Which rows to recompute (of the table named), and the visits they come from, all bound to ?1.
    let (rows, of): (fn(&str) -> String, Visits) = match households {
        Households::One(id) => (|table| format!("{table}.household_id = ?1"), Visits::OfHousehold(id)),
        Households::Listed(ids) => {
            (|table| format!("{table}.household_id IN (SELECT value FROM json_each(?1))"), Visits::OfHouseholds(ids))
        }
        Households::OfCommune(commune_id) => {
            (|table| format!("{table}.commune_id = ?1"), Visits::OfCommune(commune_id))
        }
    };
    let which = rows("household_progress");
    let visits = of.filter();
    let statements = [
        format!("DELETE FROM household_months WHERE {}", rows("household_months")),
        format!("INSERT INTO household_months {} {}", months_columns(), months_of(visits)),
        format!("DELETE FROM household_progress WHERE {which}"),
        format!(
            "INSERT INTO household_progress (household_id, scope_team, commune_id, village_id, first_visit_at)
             SELECT v.household_id, v.team_id, v.commune_id, h.village_id, MIN(v.visited_at)
             FROM visits v JOIN households h ON h.id = v.household_id
             WHERE {visits} AND v.team_id IS NOT NULL GROUP BY v.household_id, v.team_id
             UNION ALL
             SELECT v.household_id, 0, v.commune_id, h.village_id, MIN(v.visited_at)
             FROM visits v JOIN households h ON h.id = v.household_id
             WHERE {visits} GROUP BY v.household_id"
        ),
        basic_skills_completed(&which, visits),
        target_reached(&which),
        format!(
            "UPDATE household_progress SET last_visit_id = (
                 SELECT v.id FROM visits v WHERE v.household_id = household_progress.household_id
                   AND v.deleted_at IS NULL ORDER BY v.visited_at DESC, v.id DESC LIMIT 1)
             WHERE household_progress.scope_team = 0 AND {which}"
        ),
        format!(
            "UPDATE household_progress SET (last_visit_at, due_on, reason, owner_id, owner_team) = (
                 SELECT v.visited_at, COALESCE(v.follow_up_on, v.come_back_on), COALESCE(v.follow_up_reason, ''),
                        v.author_id, v.team_id
                 FROM visits v WHERE v.id = household_progress.last_visit_id)
             WHERE household_progress.scope_team = 0 AND {which}"
        ),
    ];
    for statement in &statements {
        of.bind(sqlx::query(statement)).execute(&mut **tx).await?;
    }
    Ok(())
}

/// Day-bit columns: two months to a column, 31 bits each (migration 0012).
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
/// SQLite has no OR aggregate, so the visits are first told apart per day
/// (each day then adds its own bit once, and a SUM is the OR), and the
/// months read off the days; no SUM(DISTINCT), which costs a temporary
/// tree per household.
fn months_of(filter: &str) -> String {
    let day_bits = |guided: &str| {
        (0..DAY_COLUMNS)
            .map(|c| {
                format!(
                    ", COALESCE(SUM(CASE WHEN month / 2 = {c}{guided}
                                         THEN 1 << ((month % 2) * {DAYS_PER_MONTH} + day) END), 0) AS {}days_{c}",
                    if guided.is_empty() { "" } else { "guided_" }
                )
            })
            .collect::<String>()
    };
    let days = format!("{}{}", day_bits(""), day_bits(" AND guided"));
    // A month is visited when any of its 31 day bits is set.
    let months_from_days = |prefix: &str| {
        (0..12)
            .map(|m| {
                format!(
                    "(CASE WHEN ({prefix}days_{} >> {}) & {} <> 0 THEN {} ELSE 0 END)",
                    m / 2,
                    (m % 2) * DAYS_PER_MONTH,
                    (1i64 << DAYS_PER_MONTH) - 1,
                    1i64 << m
                )
            })
            .collect::<Vec<_>>()
            .join(" + ")
    };
    let day_columns = |prefix: &str| (0..DAY_COLUMNS).map(|c| format!(", {prefix}days_{c}")).collect::<String>();
    // Each visit's Vietnam year, month (0-11) and day (0-30), then one row per household, team and day.
    let visit_days = format!(
        "SELECT household_id, team_id, commune_id, year, month, day, MAX(guided) AS guided FROM (
             SELECT v.household_id, v.team_id, v.commune_id, v.outcome = 'guided' AS guided,
                    CAST(strftime('%Y', v.visited_at, '+7 hours') AS INTEGER) AS year,
                    CAST(strftime('%m', v.visited_at, '+7 hours') AS INTEGER) - 1 AS month,
                    CAST(strftime('%d', v.visited_at, '+7 hours') AS INTEGER) - 1 AS day
             FROM visits v WHERE {filter})
         GROUP BY household_id, team_id, year, month, day"
    );
    let commune_days = "SELECT household_id, 0 AS team_id, commune_id, year, month, day, MAX(guided) AS guided
                        FROM team_days GROUP BY household_id, year, month, day";
    format!(
        "WITH team_days AS MATERIALIZED ({visit_days}),
              years AS (
                  SELECT household_id, team_id, commune_id, year{days} FROM team_days
                  WHERE team_id IS NOT NULL GROUP BY household_id, team_id, year
                  UNION ALL
                  SELECT household_id, team_id, commune_id, year{days} FROM ({commune_days})
                  GROUP BY household_id, year)
         SELECT household_id, team_id, commune_id, year, {} AS months, {} AS guided_months{}{}
         FROM years",
        months_from_days(""),
        months_from_days("guided_"),
        day_columns(""),
        day_columns("guided_")
    )
}

/// Sets the `basicN_at` columns of the progress rows `which` from the live
/// visits `visits` (of the same households), by the commune's basic-skill
/// mapping: each household's earliest completion of each basic skill, per
/// team and for the whole commune (team 0). One pass over the visits,
/// grouped; rows none of `visits` completed a basic skill for are left as they are.
fn basic_skills_completed(which: &str, visits: &str) -> String {
    let earliest = earliest_completions();
    format!(
        "WITH completed AS MATERIALIZED (
             SELECT * FROM (
                 SELECT v.household_id, v.team_id, {basic} AS basic, v.visited_at AS done_at
                 FROM visits v, json_each(v.skills) s
                 WHERE {visits} AND json_extract(s.value, '$.completed'))
             WHERE basic IS NOT NULL),
         earliest AS (
             SELECT c.household_id, c.team_id AS scope_team, {earliest} FROM completed c
             WHERE c.team_id IS NOT NULL GROUP BY c.household_id, c.team_id
             UNION ALL
             SELECT c.household_id, 0, {earliest} FROM completed c GROUP BY c.household_id)
         UPDATE household_progress SET ({basic_columns}) = ({earliest_columns})
         FROM earliest e
         WHERE {which} AND household_progress.household_id = e.household_id
           AND household_progress.scope_team = e.scope_team",
        basic = basic_skill_of_completed(),
        basic_columns = basic_columns(""),
        earliest_columns = basic_columns("e."),
    )
}

/// Recounts when a commune's households reached the national target, after
/// its basic-skill mapping changed: nothing else of their progress depends on it.
pub(super) async fn recount_targets(tx: &mut Tx<'_>, commune_id: i64) -> DbResult<()> {
    fold_queued(tx).await?;
    let which = "household_progress.commune_id = ?1";
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
        "UPDATE household_progress SET target_at = CASE WHEN {all_done} THEN MAX({}) END WHERE {which}",
        basic_columns("")
    )
}

/// A SQL expression naming the basic skill (by its place in
/// [`BasicSkill::ALL`], so its `basicN_at` column) that the skill `s` of
/// visit `v` counts for in the commune's own mapping (`skills.basic_skill`),
/// or NULL. A lookup by the catalogue's key: as a join, SQLite's planner
/// scanned every visit once per catalogue skill (13 s over 1,000,000 visits).
fn basic_skill_of_completed() -> String {
    let places: String =
        BasicSkill::ALL.iter().enumerate().map(|(k, basic)| format!(" WHEN '{}' THEN {k}", basic.as_str())).collect();
    format!(
        "CASE (SELECT k.basic_skill FROM skills k
               WHERE k.commune_id = v.commune_id AND k.code = json_extract(s.value, '$.code')){places} END"
    )
}

impl SqliteDatabase {
    /// Fills the figures from the visits once (a database older than them, or
    /// data loaded around the server); afterwards every write keeps them.
    pub(super) async fn build_aggregates_once(&self) -> DbResult<()> {
        let built: i64 = sqlx::query_scalar("SELECT built FROM aggregates").fetch_one(&self.pool).await?;
        if built == 0 {
            self.rebuild_aggregates().await?;
        }
        Ok(())
    }
}
