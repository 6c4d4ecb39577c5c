//! Push and pull, households, visits and the change log, in SQLite (a
//! push's visits in [`super::pushed_visits`], community sessions in
//! [`super::community_sessions`], through the same push and pull).
//!
//! Every applied write appends to `changes` in the same transaction, so a
//! pull sees a write exactly when it is committed. What a repeated or
//! concurrent write means is decided by the domain's one rule,
//! [`gocua_domain::sync::judge`]; this module reads the held version for it
//! and does what it answers.

use super::aggregates::{self, Households, Visits};
use super::community_sessions::{self, community_session_from, SELECT_COMMUNITY_SESSION};
use super::pushed_visits::{self, json_ids, Touched};
use super::{audit, SqliteDatabase};
use crate::db::pushes::{judge_pushed, may_write_household};
use crate::db::storage::*;
use crate::db::stored::{parse_id, parse_outcome};
use crate::db::{
    Change, ChangeBatch, DbError, DbResult, PullPage, PulledVisit, Reach, Scope, StoreResult, Stored, VisitsBefore,
};
use async_trait::async_trait;

use chrono::{DateTime, NaiveDate, Utc};
use gocua_domain::api::StoredVisit;
use gocua_domain::sync::judge::{Erasure, HeldVersion};
use gocua_domain::sync::{HouseholdVisits, LastVisit, PulledChange, PushStatus, Pushed};
use gocua_domain::visit::{FollowUp, SkillTaught};
use gocua_domain::{CommunitySessionId, Household, HouseholdId, PeopleGuided, Visit, VisitId};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, Sqlite, Transaction};
use std::collections::{HashMap, HashSet};

pub(super) type Tx<'a> = Transaction<'a, Sqlite>;

impl SqliteDatabase {
    /// For each household listed (a JSON array of ids), its team's visits to
    /// it (never another team's): how many, and the last. Households nobody
    /// of the team visited are left out.
    async fn households_visits(&self, household_ids: &str) -> DbResult<HashMap<String, HouseholdVisits>> {
        // Per household, through the (household_id, visited_at) index: a
        // window over a much-visited household's visits would sort them all.
        let rows = sqlx::query(
            "SELECT s.household_id, s.visits, v.visited_at, v.outcome, u.display_name
             FROM (SELECT h.id AS household_id,
                          (SELECT COUNT(*) FROM visits v
                           WHERE v.household_id = h.id AND v.deleted_at IS NULL AND v.team_id = h.team_id) AS visits,
                          (SELECT v.id FROM visits v
                           WHERE v.household_id = h.id AND v.deleted_at IS NULL AND v.team_id = h.team_id
                           ORDER BY v.visited_at DESC, v.id DESC LIMIT 1) AS last_id
                   FROM json_each(?1) j JOIN households h ON h.id = j.value) s
             JOIN visits v ON v.id = s.last_id JOIN users u ON u.id = v.author_id",
        )
        .bind(household_ids)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let last = LastVisit {
                    at: row.try_get("visited_at")?,
                    by: row.try_get("display_name")?,
                    outcome: parse_outcome(row.try_get("outcome")?)?,
                };
                let visits = HouseholdVisits { count: row.try_get::<i64, _>("visits")? as u32, last: Some(last) };
                Ok((row.try_get("household_id")?, visits))
            })
            .collect()
    }
}

/// The column and value that select what `reach` covers in `scope`. A team
/// reach without a team selects nothing: NULL matches nothing.
fn selecting(scope: &Scope, reach: Reach) -> (&'static str, Option<i64>) {
    match reach {
        Reach::Own => ("author_id", Some(scope.user_id)),
        Reach::Team(team) => ("team_id", team),
        Reach::Commune => ("commune_id", Some(scope.commune_id)),
    }
}

/// Replaces a stored household's fields with `household`'s (its id's row),
/// written by the device `written_by` with where its run began (`None`: on
/// the server, by a coordinator).
pub(super) async fn update_household(
    tx: &mut Tx<'_>,
    household: &Household,
    written_by: Option<(i64, u32)>,
    now: DateTime<Utc>,
) -> DbResult<()> {
    let id = household.id.to_string();
    // Its visits are counted under its village: a move recounts them.
    let village: i64 =
        sqlx::query_scalar("SELECT village_id FROM households WHERE id = ?").bind(&id).fetch_one(&mut **tx).await?;
    let moved = village != household.village_id;
    if moved {
        aggregates::count(tx, Visits::OfHousehold(&id), -1).await?;
    }
    sqlx::query(
        "UPDATE households SET village_id = ?, head_name = ?, address = ?, phone = ?, members = ?, consent = ?,
                               revision = ?, written_by_session = ?, written_from = ?, updated_at = ? WHERE id = ?",
    )
    .bind(household.village_id)
    .bind(&household.head_name)
    .bind(&household.address)
    .bind(&household.phone)
    .bind(household.members)
    .bind(household.consent)
    .bind(household.revision)
    .bind(written_by.map(|(device, _)| device))
    .bind(written_by.map_or(0, |(_, from)| from))
    .bind(now)
    .bind(&id)
    .execute(&mut **tx)
    .await?;
    if moved {
        aggregates::count(tx, Visits::OfHousehold(&id), 1).await?;
        aggregates::refresh_progress(tx, Households::One(&id)).await?;
    }
    Ok(())
}

/// Appends a household's write to the change log, under the household's own team.
pub(super) async fn log_household(tx: &mut Tx<'_>, id: &str) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO changes (commune_id, team_id, author_id, kind, record_id)
         SELECT commune_id, team_id, created_by, 'household', id FROM households WHERE id = ?",
    )
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Appends a visit's write (or deletion) to the change log, under its author and team.
pub(super) async fn log_visit(tx: &mut Tx<'_>, id: &str) -> DbResult<()> {
    log_authored(tx, "visit", "visits", id).await
}

/// Appends the write of an authored record (`kind`, kept in `table`) to the change log, under its author and team.
pub(super) async fn log_authored(tx: &mut Tx<'_>, kind: &'static str, table: &'static str, id: &str) -> DbResult<()> {
    sqlx::query(&format!(
        "INSERT INTO changes (commune_id, team_id, author_id, kind, record_id)
         SELECT commune_id, team_id, author_id, '{kind}', id FROM {table} WHERE id = ?"
    ))
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn store_household(
    tx: &mut Tx<'_>,
    actor: &Scope,
    device: i64,
    pushed: &Pushed<Household>,
    now: DateTime<Utc>,
) -> DbResult<StoreResult> {
    let id = pushed.record.id.to_string();
    let existing = sqlx::query(&format!("{SELECT_HOUSEHOLD} WHERE id = ?")).bind(&id).fetch_optional(&mut **tx).await?;
    let held = match &existing {
        Some(row) => {
            let (commune_id, team_id): (i64, Option<i64>) = (row.try_get("commune_id")?, row.try_get("team_id")?);
            let created_by: i64 = row.try_get("created_by")?;
            let version = HeldVersion {
                revision: row.try_get("revision")?,
                written_by: row.try_get("written_by_session")?,
                written_from: row.try_get("written_from")?,
                writable_by_pusher: may_write_household(actor, commune_id, team_id, created_by),
                deleted: false,
                erased: match row.try_get::<Option<DateTime<Utc>>, _>("erased_at")? {
                    Some(_) => Erasure::ForGood,
                    None => Erasure::None,
                },
            };
            Some((version, household_from(row)?))
        }
        None => None,
    };
    let mut household = pushed.record.clone();
    let storing = match judge_pushed(pushed, device, household.consent, held.as_ref()) {
        Ok(storing) => storing,
        Err(answer) => return Ok(answer),
    };
    household.revision = storing.revision;
    if held.is_some() {
        update_household(tx, &household, Some((device, storing.written_from)), now).await?;
    } else {
        insert_household(tx, actor, device, &household, storing.written_from, now).await?;
    }
    log_household(tx, &id).await?;
    let action = if existing.is_some() { "household.changed" } else { "household.created" };
    let detail = if household.consent { "" } else { "không có thông tin cá nhân" };
    audit::record(&mut **tx, (actor.commune_id, actor.user_id), action, &format!("household:{id}"), detail, now)
        .await?;
    Ok(Ok(Stored { status: PushStatus::Applied, revision: Some(household.revision) }))
}

async fn insert_household(
    tx: &mut Tx<'_>,
    actor: &Scope,
    device: i64,
    household: &Household,
    written_from: u32,
    now: DateTime<Utc>,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO households (id, commune_id, team_id, village_id, head_name, address, phone, members, consent,
                                 revision, created_by, written_by_session, written_from, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(household.id.to_string())
    .bind(actor.commune_id)
    .bind(actor.team_id)
    .bind(household.village_id)
    .bind(&household.head_name)
    .bind(&household.address)
    .bind(&household.phone)
    .bind(household.members)
    .bind(household.consent)
    .bind(household.revision)
    .bind(actor.user_id)
    .bind(device)
    .bind(written_from)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub(super) const SELECT_HOUSEHOLD: &str =
    "SELECT id, commune_id, team_id, village_id, head_name, address, phone, members, consent, revision, erased_at,
            written_by_session, written_from, created_by
     FROM households";

/// A visit as a JSON object in the shape [`Visit`] reads, of the visits row `v`: many visits come
/// back as one row of a JSON array, since handing rows over one at a time costs sqlx far more
/// than SQLite takes to find them (docs/benchmarks.md, sync throughput).
pub(super) const VISIT_JSON: &str = "json_object('id', v.id, 'household_id', v.household_id, 'outcome', v.outcome,
    'come_back_on', v.come_back_on,
    'people', json_object('officials', v.officials, 'pupils', v.pupils, 'adults', v.adults, 'elderly', v.elderly,
                          'workers', v.workers),
    'skills', json(v.skills), 'note', v.note, 'visited_at', v.visited_at,
    'follow_up', CASE WHEN v.follow_up_on IS NOT NULL
                 THEN json_object('on', v.follow_up_on, 'reason', COALESCE(v.follow_up_reason, '')) END,
    'revision', v.revision, 'text_erased_revision', v.text_erased_revision)";

pub(super) const SELECT_VISIT: &str =
    "SELECT id, author_id, household_id, outcome, come_back_on, officials, pupils, adults,
    elderly, workers, skills, note, visited_at, follow_up_on, follow_up_reason, revision, text_erased_revision,
    received_at, deleted_at, written_by_session, written_from
    FROM visits";

pub(super) fn household_from(row: &SqliteRow) -> DbResult<Household> {
    let id: String = row.try_get("id")?;
    Ok(Household {
        id: parse_id(&id, HouseholdId::parse)?,
        village_id: row.try_get("village_id")?,
        head_name: row.try_get("head_name")?,
        address: row.try_get("address")?,
        phone: row.try_get("phone")?,
        members: row.try_get("members")?,
        consent: row.try_get("consent")?,
        revision: row.try_get("revision")?,
    })
}

/// The people per target group of a row with one column per group.
pub(super) fn people_from(row: &SqliteRow) -> DbResult<PeopleGuided> {
    Ok(PeopleGuided {
        officials: row.try_get("officials")?,
        pupils: row.try_get("pupils")?,
        adults: row.try_get("adults")?,
        elderly: row.try_get("elderly")?,
        workers: row.try_get("workers")?,
    })
}

pub(super) fn stored_visit(row: &SqliteRow) -> DbResult<StoredVisit> {
    let id: String = row.try_get("id")?;
    let skills: String = row.try_get("skills")?;
    let skills: Vec<SkillTaught> = serde_json::from_str(&skills)
        .map_err(|error| sqlx::Error::Decode(format!("visit {id}: skills: {error}").into()))?;
    let follow_up = match row.try_get::<Option<NaiveDate>, _>("follow_up_on")? {
        Some(on) => {
            Some(FollowUp { on, reason: row.try_get::<Option<String>, _>("follow_up_reason")?.unwrap_or_default() })
        }
        None => None,
    };
    Ok(StoredVisit {
        visit: Visit {
            id: parse_id(&id, VisitId::parse)?,
            household_id: parse_id(&row.try_get::<String, _>("household_id")?, HouseholdId::parse)?,
            outcome: parse_outcome(row.try_get("outcome")?)?,
            come_back_on: row.try_get("come_back_on")?,
            people: people_from(row)?,
            skills,
            note: row.try_get("note")?,
            visited_at: row.try_get("visited_at")?,
            follow_up,
            revision: row.try_get("revision")?,
            text_erased_revision: row.try_get("text_erased_revision")?,
        },
        author_id: row.try_get("author_id")?,
        received_at: row.try_get("received_at")?,
    })
}

#[async_trait]
impl Records for SqliteDatabase {
    async fn store_changes(
        &self,
        actor: &Scope,
        batch: &ChangeBatch,
        now: DateTime<Utc>,
    ) -> DbResult<Vec<StoreResult>> {
        let mut answers: Vec<Option<StoreResult>> = vec![None; batch.changes.len()];
        // IMMEDIATE takes the write lock up front, so two pushes wait for each
        // other instead of failing on a lock upgrade.
        let mut tx = self.begin_write().await?;
        let mut touched = Touched::default();
        // Households first: a visit of the same push may be to one of them.
        for (at, change) in batch.changes.iter().enumerate() {
            if let Change::Household(household) = change {
                answers[at] = Some(store_household(&mut tx, actor, batch.device, household, now).await?);
            }
        }
        // Visits a batch at a time: most are new, and stored together.
        let (places, visits): (Vec<usize>, Vec<&Pushed<Visit>>) = batch
            .changes
            .iter()
            .enumerate()
            .filter_map(|(at, change)| match change {
                Change::Visit(visit) => Some((at, visit)),
                _ => None,
            })
            .unzip();
        let stored = pushed_visits::store_visits(&mut tx, actor, batch.device, &visits, now, &mut touched).await?;
        for (at, answer) in places.into_iter().zip(stored) {
            answers[at] = Some(answer);
        }
        for (at, change) in batch.changes.iter().enumerate() {
            let answer = match change {
                Change::Household(_) | Change::Visit(_) => continue,
                Change::VisitDeleted(id) => pushed_visits::delete_visit(&mut tx, actor, id, now, &mut touched).await?,
                Change::CommunitySession(session) => {
                    community_sessions::store(&mut tx, actor, batch.device, session, now).await?
                }
                Change::CommunitySessionDeleted(id) => community_sessions::delete(&mut tx, actor, id, now).await?,
            };
            answers[at] = Some(answer);
        }
        touched.settle(&mut tx).await?;
        tx.commit().await?;
        if touched.queued {
            self.folding.fold_soon();
        }
        answers
            .into_iter()
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| DbError::Inconsistent("a pushed change left unanswered".into()))
    }

    async fn pull(&self, actor: &Scope, since: i64, limit: usize) -> DbResult<PullPage> {
        let newest: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM changes").fetch_one(&self.pool).await?;
        if since > newest {
            // Not a cursor this database gave (another server, or a restored older copy).
            return Err(DbError::InvalidCursor);
        }
        let rows = sqlx::query(
            "SELECT seq, kind, record_id FROM changes
             WHERE seq > ?1 AND commune_id = ?2 AND (
                 (kind = 'household' AND (?3 = 'commune' OR team_id = ?4))
              OR (kind IN ('visit', 'community_session')
                  AND (?5 = 'commune' OR (?5 = 'team' AND team_id = ?6) OR author_id = ?7)))
             ORDER BY seq LIMIT ?8",
        )
        .bind(since)
        .bind(actor.commune_id)
        .bind(actor.households.as_str())
        .bind(actor.households.team())
        .bind(actor.logged.as_str())
        .bind(actor.logged.team())
        .bind(actor.user_id)
        .bind(limit as i64 + 1)
        .fetch_all(&self.pool)
        .await?;
        let has_more = rows.len() > limit;
        let rows = &rows[..rows.len().min(limit)];
        let cursor = match rows.last() {
            Some(row) => row.try_get("seq")?,
            None => since,
        };

        // A record written several times in this page is sent once, as it stands now.
        let mut seen = HashSet::new();
        let mut latest_first = Vec::new();
        for row in rows.iter().rev() {
            let (kind, id): (String, String) = (row.try_get("kind")?, row.try_get("record_id")?);
            if seen.insert((kind.clone(), id.clone())) {
                latest_first.push((kind, id));
            }
        }
        // One query per kind for the whole page, not one per record.
        let ids_of = |wanted: &str| -> String {
            let ids: Vec<&str> =
                latest_first.iter().filter(|(kind, _)| kind == wanted).map(|(_, id)| id.as_str()).collect();
            json_ids(&ids)
        };
        let rows_by_id = |rows: Vec<SqliteRow>| -> DbResult<HashMap<String, SqliteRow>> {
            rows.into_iter().map(|row| Ok((row.try_get::<String, _>("id")?, row))).collect()
        };
        const LISTED: &str = "WHERE id IN (SELECT value FROM json_each(?1))";
        let household_ids = ids_of("household");
        let households = rows_by_id(
            sqlx::query(&format!("{SELECT_HOUSEHOLD} {LISTED}")).bind(&household_ids).fetch_all(&self.pool).await?,
        )?;
        let mut visits_of_households = self.households_visits(&household_ids).await?;
        // The page's visits in one row (most pages are mostly visits).
        let visits: String = sqlx::query_scalar(&format!(
            "SELECT json_group_array(json_array(
                 v.id, json(CASE WHEN v.deleted_at IS NULL THEN 'false' ELSE 'true' END), v.author_id, v.team_id,
                 {VISIT_JSON}))
             FROM visits v {LISTED}"
        ))
        .bind(ids_of("visit"))
        .fetch_one(&self.pool)
        .await?;
        let mut visits = PulledVisit::page_from_json(&visits)?;
        let sessions = rows_by_id(
            sqlx::query(&format!("{SELECT_COMMUNITY_SESSION} {LISTED}"))
                .bind(ids_of("community_session"))
                .fetch_all(&self.pool)
                .await?,
        )?;
        let missing = |id: &str| DbError::from(sqlx::Error::Decode(format!("logged record {id} is not stored").into()));

        let mut changes = Vec::with_capacity(latest_first.len());
        for (kind, id) in latest_first.into_iter().rev() {
            let change = match kind.as_str() {
                "household" => {
                    let household = household_from(households.get(&id).ok_or_else(|| missing(&id))?)?;
                    let visits = visits_of_households.remove(&id).unwrap_or_default();
                    PulledChange::Household { household, visits }
                }
                "community_session" => {
                    let row = sessions.get(&id).ok_or_else(|| missing(&id))?;
                    if row.try_get::<Option<String>, _>("deleted_at")?.is_some() {
                        PulledChange::CommunitySessionDeleted { id: parse_id(&id, CommunitySessionId::parse)? }
                    } else {
                        let community_session = community_session_from(row)?;
                        PulledChange::CommunitySession { community_session, author_id: row.try_get("author_id")? }
                    }
                }
                _ => visits.remove(&id).ok_or_else(|| missing(&id))?.change_for(actor),
            };
            changes.push(change);
        }
        Ok(PullPage { changes, cursor, has_more })
    }

    async fn visible_visits_page(
        &self,
        actor: &Scope,
        before: Option<&VisitsBefore>,
        limit: u32,
    ) -> DbResult<Vec<StoredVisit>> {
        let (column, id) = selecting(actor, actor.logged);
        let sql = format!(
            "{SELECT_VISIT} WHERE {column} = ?1 AND deleted_at IS NULL
               AND (?2 IS NULL OR visited_at < ?2 OR (visited_at = ?2 AND id < ?3))
             ORDER BY visited_at DESC, id DESC LIMIT ?4"
        );
        sqlx::query(&sql)
            .bind(id)
            .bind(before.map(|before| before.visited_at))
            .bind(before.map(|before| before.id.as_str()))
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(stored_visit)
            .collect()
    }

    async fn visible_households(&self, actor: &Scope) -> DbResult<Vec<Household>> {
        // Households are the team's, whoever recorded them.
        let (column, id) = selecting(actor, actor.households);
        let sql = format!("{SELECT_HOUSEHOLD} WHERE {column} = ? ORDER BY head_name, id");
        sqlx::query(&sql).bind(id).fetch_all(&self.pool).await?.iter().map(household_from).collect()
    }
}
