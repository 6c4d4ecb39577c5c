//! Push and pull, households, visits and the change log, in PostgreSQL (a
//! push's visits in [`super::pushed_visits`], community sessions in
//! [`super::community_sessions`]).
//!
//! Every applied write appends to `changes` in the same transaction, under
//! its commune's lock ([`Lock::Commune`]): the commune's changes commit in
//! the order of their sequence numbers, so a pull that has read up to one
//! never finds an earlier one commit after it. What a repeated or concurrent
//! write means is decided by the domain's one rule through
//! [`crate::db::pushes`]; this module reads the held version and does what
//! it answers.

use super::aggregates::{self, json_ids, Households, Visits};
use super::community_sessions::{self, community_session_from, SELECT_COMMUNITY_SESSION};
use super::pushed_visits::{self, Touched};
use super::turns::CommuneTurn;
use super::{audit, hold, Lock, PostgresDatabase, Tx};
use crate::db::pushes::{judge_pushed, may_write_household};
use crate::db::storage::*;
use crate::db::stored::{count_from, parse_id, parse_outcome};
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
use sqlx::postgres::PgRow;
use sqlx::Row;
use std::collections::{HashMap, HashSet};

/// A count or revision kept as BIGINT, read as the `u32` the domain speaks.
pub(super) fn u32_at(row: &PgRow, column: &str) -> DbResult<u32> {
    count_from(row.try_get(column)?, column)
}

impl PostgresDatabase {
    /// For each household listed (a JSON array of ids), its team's visits to
    /// it (never another team's): how many, and the last. Households nobody
    /// of the team visited are left out.
    async fn households_visits(
        &self,
        commune_id: i64,
        household_ids: &str,
    ) -> DbResult<HashMap<String, HouseholdVisits>> {
        let rows = sqlx::query(
            "SELECT s.household_id, s.visits, v.visited_at, v.outcome, u.display_name
             FROM (SELECT h.id AS household_id,
                          (SELECT COUNT(*) FROM visits v
                           WHERE v.commune_id = h.commune_id AND v.household_id = h.id AND v.deleted_at IS NULL
                             AND v.team_id = h.team_id) AS visits,
                          (SELECT v.id FROM visits v
                           WHERE v.commune_id = h.commune_id AND v.household_id = h.id AND v.deleted_at IS NULL
                             AND v.team_id = h.team_id
                           ORDER BY v.visited_at DESC, v.id COLLATE \"C\" DESC LIMIT 1) AS last_id
                   FROM json_array_elements_text($1::json) AS j(value)
                   JOIN households h ON h.commune_id = $2 AND h.id = j.value) s
             CROSS JOIN LATERAL (SELECT visited_at, outcome, author_id FROM visits
                                 WHERE commune_id = $2 AND id = s.last_id OFFSET 0) AS v
             JOIN users u ON u.id = v.author_id",
        )
        .bind(household_ids)
        .bind(commune_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let last = LastVisit {
                    at: row.try_get("visited_at")?,
                    by: row.try_get("display_name")?,
                    outcome: parse_outcome(row.try_get("outcome")?)?,
                };
                let visits = HouseholdVisits { count: u32_at(row, "visits")?, last: Some(last) };
                Ok((row.try_get("household_id")?, visits))
            })
            .collect()
    }

    /// Starts a write of `commune_id`'s records: its turn in this process
    /// first, holding no connection ([`super::turns`]), then its lock in the
    /// database, shared by every server. Keep the turn until the transaction
    /// ends: `let (_turn, mut tx) = …` (dropped after `tx`).
    pub(super) async fn begin_commune(&self, commune_id: i64) -> DbResult<(CommuneTurn, Tx)> {
        let turn = self.turns.take(commune_id).await;
        let mut tx = self.begin().await?;
        hold(&mut tx, Lock::Commune(commune_id)).await?;
        Ok((turn, tx))
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

/// Replaces a stored household's fields with `household`'s (its id's row in
/// the commune `commune_id`), written by the device `written_by` with where
/// its run began (`None`: on the server, by a coordinator).
pub(super) async fn update_household(
    tx: &mut Tx,
    commune_id: i64,
    household: &Household,
    written_by: Option<(i64, u32)>,
    now: DateTime<Utc>,
) -> DbResult<()> {
    let id = household.id.to_string();
    // Its visits are counted under its village: a move recounts them.
    let village: i64 = sqlx::query_scalar("SELECT village_id FROM households WHERE commune_id = $1 AND id = $2")
        .bind(commune_id)
        .bind(&id)
        .fetch_one(&mut **tx)
        .await?;
    let moved = village != household.village_id;
    if moved {
        aggregates::count(tx, Visits::OfHousehold(commune_id, &id), -1).await?;
    }
    sqlx::query(
        "UPDATE households SET village_id = $1, head_name = $2, address = $3, phone = $4, members = $5, consent = $6,
                               revision = $7, written_by_session = $8, written_from = $9, updated_at = $10
         WHERE commune_id = $11 AND id = $12",
    )
    .bind(household.village_id)
    .bind(&household.head_name)
    .bind(&household.address)
    .bind(&household.phone)
    .bind(household.members.map(i64::from))
    .bind(household.consent)
    .bind(i64::from(household.revision))
    .bind(written_by.map(|(device, _)| device))
    .bind(i64::from(written_by.map_or(0, |(_, from)| from)))
    .bind(now)
    .bind(commune_id)
    .bind(&id)
    .execute(&mut **tx)
    .await?;
    if moved {
        aggregates::count(tx, Visits::OfHousehold(commune_id, &id), 1).await?;
        aggregates::refresh_progress(tx, Households::One(commune_id, &id)).await?;
    }
    Ok(())
}

/// Appends the write of a household of the commune `commune_id` to the change log, under the household's own team.
pub(super) async fn log_household(tx: &mut Tx, commune_id: i64, id: &str) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO changes (commune_id, team_id, author_id, kind, record_id)
         SELECT commune_id, team_id, created_by, 'household', id FROM households WHERE commune_id = $1 AND id = $2",
    )
    .bind(commune_id)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Appends the write (or deletion) of a visit of the commune `commune_id` to the change log, under its author and team.
pub(super) async fn log_visit(tx: &mut Tx, commune_id: i64, id: &str) -> DbResult<()> {
    log_authored(tx, "visit", "visits", commune_id, id).await
}

/// Appends the write of an authored record (`kind`, kept in `table`) of the
/// commune `commune_id` to the change log, under its author and team.
pub(super) async fn log_authored(
    tx: &mut Tx,
    kind: &'static str,
    table: &'static str,
    commune_id: i64,
    id: &str,
) -> DbResult<()> {
    sqlx::query(&format!(
        "INSERT INTO changes (commune_id, team_id, author_id, kind, record_id)
         SELECT commune_id, team_id, author_id, '{kind}', id FROM {table} WHERE commune_id = $1 AND id = $2"
    ))
    .bind(commune_id)
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn store_household(
    tx: &mut Tx,
    actor: &Scope,
    device: i64,
    pushed: &Pushed<Household>,
    now: DateTime<Utc>,
) -> DbResult<StoreResult> {
    let id = pushed.record.id.to_string();
    let existing =
        sqlx::query(&format!("{SELECT_HOUSEHOLD} WHERE id = $1")).bind(&id).fetch_optional(&mut **tx).await?;
    let held = match &existing {
        Some(row) => {
            let (commune_id, team_id): (i64, Option<i64>) = (row.try_get("commune_id")?, row.try_get("team_id")?);
            let version = HeldVersion {
                revision: u32_at(row, "revision")?,
                written_by: row.try_get("written_by_session")?,
                written_from: u32_at(row, "written_from")?,
                writable_by_pusher: may_write_household(actor, commune_id, team_id, row.try_get("created_by")?),
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
        update_household(tx, actor.commune_id, &household, Some((device, storing.written_from)), now).await?;
    } else {
        insert_household(tx, actor, device, &household, storing.written_from, now).await?;
    }
    log_household(tx, actor.commune_id, &id).await?;
    let action = if existing.is_some() { "household.changed" } else { "household.created" };
    let detail = if household.consent { "" } else { "không có thông tin cá nhân" };
    audit::record(&mut **tx, (actor.commune_id, actor.user_id), action, &format!("household:{id}"), detail, now)
        .await?;
    Ok(Ok(Stored { status: PushStatus::Applied, revision: Some(household.revision) }))
}

async fn insert_household(
    tx: &mut Tx,
    actor: &Scope,
    device: i64,
    household: &Household,
    written_from: u32,
    now: DateTime<Utc>,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO households (id, commune_id, team_id, village_id, head_name, address, phone, members, consent,
                                 revision, created_by, written_by_session, written_from, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
    )
    .bind(household.id.to_string())
    .bind(actor.commune_id)
    .bind(actor.team_id)
    .bind(household.village_id)
    .bind(&household.head_name)
    .bind(&household.address)
    .bind(&household.phone)
    .bind(household.members.map(i64::from))
    .bind(household.consent)
    .bind(i64::from(household.revision))
    .bind(actor.user_id)
    .bind(device)
    .bind(i64::from(written_from))
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub(super) const SELECT_HOUSEHOLD: &str =
    "SELECT id, commune_id, team_id, village_id, head_name, address, phone, members, consent, revision, erased_at,
            written_by_session, written_from, created_by
     FROM households";

/// A visit as a JSON object in the shape [`Visit`] reads, of the visits row
/// `v`: a page of visits comes back as one row.
pub(super) const VISIT_JSON: &str = "json_build_object('id', v.id, 'household_id', v.household_id,
    'outcome', v.outcome, 'come_back_on', v.come_back_on,
    'people', json_build_object('officials', v.officials, 'pupils', v.pupils, 'adults', v.adults,
                                'elderly', v.elderly, 'workers', v.workers),
    'skills', v.skills::json, 'note', v.note, 'visited_at', v.visited_at,
    'follow_up', CASE WHEN v.follow_up_on IS NOT NULL
                 THEN json_build_object('on', v.follow_up_on, 'reason', COALESCE(v.follow_up_reason, '')) END,
    'revision', v.revision, 'text_erased_revision', v.text_erased_revision)";

pub(super) const SELECT_VISIT: &str =
    "SELECT id, author_id, household_id, outcome, come_back_on, officials, pupils, adults,
    elderly, workers, skills, note, visited_at, follow_up_on, follow_up_reason, revision, text_erased_revision,
    received_at, deleted_at, written_by_session, written_from
    FROM visits";

pub(super) fn household_from(row: &PgRow) -> DbResult<Household> {
    let id: String = row.try_get("id")?;
    let members: Option<i64> = row.try_get("members")?;
    Ok(Household {
        id: parse_id(&id, HouseholdId::parse)?,
        village_id: row.try_get("village_id")?,
        head_name: row.try_get("head_name")?,
        address: row.try_get("address")?,
        phone: row.try_get("phone")?,
        members: members.map(|members| count_from(members, "members")).transpose()?,
        consent: row.try_get("consent")?,
        revision: u32_at(row, "revision")?,
    })
}

/// The people per target group of a row with one column per group.
pub(super) fn people_from(row: &PgRow) -> DbResult<PeopleGuided> {
    Ok(PeopleGuided {
        officials: u32_at(row, "officials")?,
        pupils: u32_at(row, "pupils")?,
        adults: u32_at(row, "adults")?,
        elderly: u32_at(row, "elderly")?,
        workers: u32_at(row, "workers")?,
    })
}

pub(super) fn stored_visit(row: &PgRow) -> DbResult<StoredVisit> {
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
            revision: u32_at(row, "revision")?,
            text_erased_revision: row
                .try_get::<Option<i64>, _>("text_erased_revision")?
                .map(|revision| count_from(revision, "text_erased_revision"))
                .transpose()?,
        },
        author_id: row.try_get("author_id")?,
        received_at: row.try_get("received_at")?,
    })
}

#[async_trait]
impl Records for PostgresDatabase {
    async fn store_changes(
        &self,
        actor: &Scope,
        batch: &ChangeBatch,
        now: DateTime<Utc>,
    ) -> DbResult<Vec<StoreResult>> {
        let mut answers: Vec<Option<StoreResult>> = vec![None; batch.changes.len()];
        let (_turn, mut tx) = self.begin_commune(actor.commune_id).await?;
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
        touched.settle(&mut tx, actor.commune_id).await?;
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
        // Every cursor this database gives a user is a change of their commune (or the one they gave).
        let newest: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) FROM changes WHERE commune_id = $1")
            .bind(actor.commune_id)
            .fetch_one(&self.pool)
            .await?;
        if since > newest {
            // Not a cursor this database gave (another server, or a restored older copy).
            return Err(DbError::InvalidCursor);
        }
        let rows = sqlx::query(
            "SELECT seq, kind, record_id FROM changes
             WHERE seq > $1 AND commune_id = $2 AND (
                 (kind = 'household' AND ($3 = 'commune' OR team_id = $4))
              OR (kind IN ('visit', 'community_session')
                  AND ($5 = 'commune' OR ($5 = 'team' AND team_id = $6) OR author_id = $7)))
             ORDER BY seq LIMIT $8",
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
        // One query per kind for the whole page, not one per record: each is a round trip.
        let ids_of = |wanted: &str| -> String {
            let ids: Vec<&str> =
                latest_first.iter().filter(|(kind, _)| kind == wanted).map(|(_, id)| id.as_str()).collect();
            json_ids(&ids)
        };
        let rows_by_id = |rows: Vec<PgRow>| -> DbResult<HashMap<String, PgRow>> {
            rows.into_iter().map(|row| Ok((row.try_get::<String, _>("id")?, row))).collect()
        };
        // Each record looked up by its key and the commune (so the read goes to the commune's
        // node alone), in a subquery the planner keeps apart (`OFFSET 0`): joined plainly, a
        // new database's missing statistics made it read the commune's every visit per page.
        let listed = |select: &str| {
            format!(
                "SELECT r.* FROM json_array_elements_text($1::json) AS j(value)
                 CROSS JOIN LATERAL ({select} WHERE commune_id = $2 AND id = j.value OFFSET 0) AS r"
            )
        };
        let household_ids = ids_of("household");
        let households = rows_by_id(
            sqlx::query(&listed(SELECT_HOUSEHOLD))
                .bind(&household_ids)
                .bind(actor.commune_id)
                .fetch_all(&self.pool)
                .await?,
        )?;
        let mut visits_of_households = self.households_visits(actor.commune_id, &household_ids).await?;
        // The page's visits in one row (most pages are mostly visits).
        let visits: String = sqlx::query_scalar(&format!(
            "SELECT COALESCE(json_agg(json_build_array(v.id, v.deleted_at IS NOT NULL, v.author_id, v.team_id, {VISIT_JSON})),
                             '[]')::TEXT
             FROM ({}) AS v",
            listed("SELECT * FROM visits")
        ))
        .bind(ids_of("visit"))
        .bind(actor.commune_id)
        .fetch_one(&self.pool)
        .await?;
        let mut visits = PulledVisit::page_from_json(&visits)?;
        let sessions = rows_by_id(
            sqlx::query(&listed(SELECT_COMMUNITY_SESSION))
                .bind(ids_of("community_session"))
                .bind(actor.commune_id)
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
                    if row.try_get::<Option<DateTime<Utc>>, _>("deleted_at")?.is_some() {
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
            "{SELECT_VISIT} WHERE commune_id = $2 AND {column} = $1 AND deleted_at IS NULL
               AND ($3::TIMESTAMPTZ IS NULL OR visited_at < $3
                    OR (visited_at = $3 AND id COLLATE \"C\" < $4::TEXT COLLATE \"C\"))
             ORDER BY visited_at DESC, id COLLATE \"C\" DESC LIMIT $5"
        );
        let rows = sqlx::query(&sql)
            .bind(id)
            .bind(actor.commune_id)
            .bind(before.map(|before| before.visited_at))
            .bind(before.map(|before| before.id.as_str()))
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(stored_visit).collect()
    }

    async fn visible_households(&self, actor: &Scope) -> DbResult<Vec<Household>> {
        // Households are the team's, whoever recorded them. Names in byte
        // order, as SQLite's: the phone sorts them the Vietnamese way.
        let (column, id) = selecting(actor, actor.households);
        let sql = format!(
            "{SELECT_HOUSEHOLD} WHERE commune_id = $2 AND {column} = $1 ORDER BY head_name COLLATE \"C\", id COLLATE \"C\""
        );
        let rows = sqlx::query(&sql).bind(id).bind(actor.commune_id).fetch_all(&self.pool).await?;
        rows.iter().map(household_from).collect()
    }
}
