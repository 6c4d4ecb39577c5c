//! The visits and visit deletions of a push, in PostgreSQL.
//!
//! The common case — visits this server has never seen, each named once in
//! the batch, as a phone sends what it logged offline — is done a batch at
//! a time: their households' scope, whether an id is already known, the
//! rows and the change log take a few statements per batch instead of
//! several per visit (docs/benchmarks.md, sync throughput). Anything else —
//! an edit, a replay, a visit deleted before it arrived, an id named twice —
//! goes one at a time through [`store_visit`], where the domain's rule
//! ([`judge`]) decides what it means (docs/sync-protocol.md).

use super::aggregates::{self, json_ids, Households, Visits};
use super::records::{log_household, log_visit, stored_visit, u32_at, SELECT_VISIT};
use super::tombstones;
use super::Tx;
use crate::db::pushes::{judge_pushed, may_visit, team_of, visits_with_teams, Deletion, VisitableHouseholds};
use crate::db::stored::outcome_str;
use crate::db::{DbError, DbResult, Scope, StoreResult, Stored};
use chrono::{DateTime, Utc};
use gocua_domain::sync::judge::{Erasure, HeldVersion};
use gocua_domain::sync::phone;
use gocua_domain::sync::{PushStatus, Pushed};
use gocua_domain::validation::{Field, FieldError, Problem};
use gocua_domain::{Visit, VisitId};
use sqlx::{Postgres, QueryBuilder, Row};
use std::collections::{BTreeSet, HashMap, HashSet};

/// What a batch's visits changed in the dashboard's kept figures: the visits
/// it stored are queued, folded in after the push ([`aggregates`]); the
/// households whose visits changed otherwise are recomputed at its end.
#[derive(Default)]
pub(super) struct Touched {
    /// Households whose visits were edited, moved or deleted: their progress is recomputed.
    recompute: BTreeSet<String>,
    /// Whether visits were queued to be folded in after the push.
    pub queued: bool,
}

impl Touched {
    /// Brings the households' progress up to date with the visits the push
    /// edited, moved or deleted (the visits it stored wait in the queue).
    /// The households are all of the pusher's commune, `commune_id`.
    pub async fn settle(&self, tx: &mut Tx, commune_id: i64) -> DbResult<()> {
        if !self.recompute.is_empty() {
            aggregates::refresh_progress(tx, Households::Listed(commune_id, &json_ids(&self.recompute))).await?;
        }
        Ok(())
    }
}

/// Stores a push's visits, answering each in order.
pub(super) async fn store_visits(
    tx: &mut Tx,
    actor: &Scope,
    device: i64,
    pushed: &[&Pushed<Visit>],
    now: DateTime<Utc>,
    touched: &mut Touched,
) -> DbResult<Vec<StoreResult>> {
    if pushed.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<String> = pushed.iter().map(|visit| visit.record.id.to_string()).collect();
    let households: BTreeSet<String> = pushed.iter().map(|visit| visit.record.household_id.to_string()).collect();
    // One round trip, each list as a JSON array: a row each would cost more to hand over than to find.
    // A visit's household must be of the pusher's commune; a visit's id is looked up in every
    // commune, as ids are unique across them (docs/scaling.md), its deletion in the pusher's.
    let (listed, known): (String, String) = sqlx::query_as(&format!(
        "SELECT (SELECT COALESCE(json_agg(json_build_array(id, commune_id, team_id, created_by)), '[]')::TEXT
                 FROM households
                 WHERE commune_id = $3 AND id IN (SELECT value FROM json_array_elements_text($1::json) AS j(value))),
                (SELECT COALESCE(json_agg(id), '[]')::TEXT FROM (
                    SELECT id FROM visits WHERE id IN (SELECT value FROM json_array_elements_text($2::json) AS j(value))
                    UNION ALL SELECT id FROM {}
                    WHERE commune_id = $3
                      AND id IN (SELECT value FROM json_array_elements_text($2::json) AS j(value))) known)",
        tombstones::VISITS.deleted_ids
    ))
    .bind(json_ids(&households))
    .bind(json_ids(&ids))
    .bind(actor.commune_id)
    .fetch_one(&mut **tx)
    .await?;
    let listed: Vec<(String, i64, Option<i64>, i64)> = serde_json::from_str(&listed)
        .map_err(|error| DbError::Inconsistent(format!("households of a push: {error}")))?;
    let known: HashSet<String> = serde_json::from_str(&known)
        .map_err(|error| DbError::Inconsistent(format!("visits known of a push: {error}")))?;
    let allowed: VisitableHouseholds = listed
        .into_iter()
        .filter(|(_, commune_id, team_id, created_by)| may_visit(actor, *commune_id, *team_id, *created_by))
        .map(|(id, _, team_id, _)| (id, team_id))
        .collect();
    let mut named = HashMap::<&str, usize>::new();
    for id in &ids {
        *named.entry(id).or_default() += 1;
    }

    let mut results = Vec::with_capacity(pushed.len());
    let mut fresh = Vec::new();
    for (visit, id) in pushed.iter().zip(&ids) {
        if !allowed.contains_key(&visit.record.household_id.to_string()) {
            results.push(Err(FieldError::new(Field::HouseholdId, Problem::UnknownHousehold)));
        } else if known.contains(id) || named[id.as_str()] > 1 {
            results.push(store_visit(tx, actor, &allowed, device, visit, now, touched).await?);
        } else {
            // Never seen: the rule creates it as pushed (`judge` of nothing held).
            fresh.push(&visit.record);
            results.push(Ok(Stored { status: PushStatus::Applied, revision: Some(visit.record.revision) }));
        }
    }
    if !fresh.is_empty() {
        store_fresh(tx, actor, &allowed, device, &fresh, now).await?;
        touched.queued = true;
    }
    Ok(results)
}

/// Stores visits never seen before, in one round trip: their rows, their
/// entries in the change log — the visits under their households' teams, then their
/// households (whose "visited" summary changed for the whole team), each
/// once — and their place in the queue of visits to fold into the figures.
async fn store_fresh(
    tx: &mut Tx,
    actor: &Scope,
    households: &VisitableHouseholds,
    device: i64,
    visits: &[&Visit],
    now: DateTime<Utc>,
) -> DbResult<()> {
    let ids: Vec<String> = visits.iter().map(|visit| visit.id.to_string()).collect();
    let mut seen = HashSet::new();
    let visited: Vec<String> = visits
        .iter()
        .filter(|visit| seen.insert(visit.household_id))
        .map(|visit| visit.household_id.to_string())
        .collect();
    // PostgreSQL runs one statement per prepared query: four, in the push's
    // transaction (the rows, the change log for the visits, then for their
    // households, and the queue).
    // Never seen: each begins its device's run from nothing (new on the phone).
    insert_visits(tx, actor, households, (device, phone::NEW_ON_PHONE), visits, now).await?;
    sqlx::query(
        "INSERT INTO changes (commune_id, team_id, author_id, kind, record_id)
         SELECT $1, (j.value->>1)::BIGINT, $2, 'visit', j.value->>0
         FROM json_array_elements($3::json) WITH ORDINALITY AS j(value, at)
         ORDER BY j.at",
    )
    .bind(actor.commune_id)
    .bind(actor.user_id)
    .bind(json_ids(&visits_with_teams(households, visits)))
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO changes (commune_id, team_id, author_id, kind, record_id)
         SELECT h.commune_id, h.team_id, h.created_by, 'household', h.id
         FROM json_array_elements_text($1::json) WITH ORDINALITY AS j(value, at)
              JOIN households h ON h.commune_id = $2 AND h.id = j.value
         ORDER BY j.at",
    )
    .bind(json_ids(&visited))
    .bind(actor.commune_id)
    .execute(&mut **tx)
    .await?;
    aggregates::queue(tx, actor.commune_id, &json_ids(&ids)).await?;
    Ok(())
}

/// Stores one pushed visit, to a household [`store_visits`] found within the
/// actor's reach, as [`judge`] rules, noting in `touched` what it changes in
/// the kept figures.
async fn store_visit(
    tx: &mut Tx,
    actor: &Scope,
    households: &VisitableHouseholds,
    device: i64,
    pushed: &Pushed<Visit>,
    now: DateTime<Utc>,
    touched: &mut Touched,
) -> DbResult<StoreResult> {
    let household_id = pushed.record.household_id.to_string();
    let id = pushed.record.id.to_string();
    if let Some(status) = tombstones::VISITS.deleted_before_arrival(tx, actor, &id).await? {
        return Ok(Ok(Stored::status(status)));
    }
    let existing = sqlx::query(&format!("{SELECT_VISIT} WHERE id = $1")).bind(&id).fetch_optional(&mut **tx).await?;
    let held = match &existing {
        Some(row) => {
            let stored = stored_visit(row)?;
            let version = HeldVersion {
                revision: u32_at(row, "revision")?,
                written_by: row.try_get("written_by_session")?,
                written_from: u32_at(row, "written_from")?,
                writable_by_pusher: stored.author_id == actor.user_id,
                deleted: row.try_get::<Option<DateTime<Utc>>, _>("deleted_at")?.is_some(),
                erased: match stored.visit.text_erased_revision {
                    Some(revision) => Erasure::TextAt(revision),
                    None => Erasure::None,
                },
            };
            Some((version, stored.visit))
        }
        None => None,
    };
    let mut visit = pushed.record.clone();
    let storing = match judge_pushed(pushed, device, visit.has_text(), held.as_ref()) {
        Ok(storing) => storing,
        Err(answer) => return Ok(answer),
    };
    visit.revision = storing.revision;
    // Only the server marks an erasure: an edit keeps the stored visit's mark.
    visit.text_erased_revision = held.as_ref().and_then(|(_, stored)| stored.text_erased_revision);
    let mut moved_from = None;
    if let Some((_, stored)) = &held {
        if stored.household_id != visit.household_id {
            moved_from = Some(stored.household_id.to_string());
        }
        // Leaving its team (moved to another team's household), it is logged under the old
        // team too: that team's pulls then send its deletion, and its phones drop their copy.
        sqlx::query(
            "INSERT INTO changes (commune_id, team_id, author_id, kind, record_id)
             SELECT commune_id, team_id, author_id, 'visit', id FROM visits
             WHERE commune_id = $1 AND id = $2 AND team_id IS DISTINCT FROM $3",
        )
        .bind(actor.commune_id)
        .bind(&id)
        .bind(team_of(households, &visit.household_id))
        .execute(&mut **tx)
        .await?;
        // Folds the queue first, so a version queued earlier is counted in before it is counted out.
        aggregates::count(tx, Visits::One(actor.commune_id, &id), -1).await?;
        sqlx::query("DELETE FROM visits WHERE commune_id = $1 AND id = $2")
            .bind(actor.commune_id)
            .bind(&id)
            .execute(&mut **tx)
            .await?;
        touched.recompute.insert(household_id.clone());
    }
    insert_visits(tx, actor, households, (device, storing.written_from), &[&visit], now).await?;
    // Queued at once: a later change of it in this push folds the queue before counting it out.
    aggregates::queue(tx, actor.commune_id, &json_ids(&[&id])).await?;
    touched.queued = true;
    log_visit(tx, actor.commune_id, &id).await?;
    // The household's "visited" summary changed for the whole team (both, if the visit moved).
    log_household(tx, actor.commune_id, &household_id).await?;
    if let Some(old) = moved_from {
        log_household(tx, actor.commune_id, &old).await?;
        touched.recompute.insert(old);
    }
    Ok(Ok(Stored { status: PushStatus::Applied, revision: Some(visit.revision) }))
}

/// Rows per INSERT: far below PostgreSQL's limit on bound values (20 a row).
const ROWS_PER_INSERT: usize = 500;

/// Inserts `visits` as `actor`'s (each under its household's team), pushed
/// from `device` and received `now`.
async fn insert_visits(
    tx: &mut Tx,
    actor: &Scope,
    households: &VisitableHouseholds,
    (device, written_from): (i64, u32),
    visits: &[&Visit],
    now: DateTime<Utc>,
) -> DbResult<()> {
    for chunk in visits.chunks(ROWS_PER_INSERT) {
        let mut insert = QueryBuilder::<Postgres>::new("");
        push_visit_rows(&mut insert, actor, households, (device, written_from), chunk, now);
        insert.build().execute(&mut **tx).await?;
    }
    Ok(())
}

/// Appends the statement that inserts `visits` (at most [`ROWS_PER_INSERT`])
/// as `actor`'s, pushed from `device` and received `now`, to `statements`.
fn push_visit_rows(
    statements: &mut QueryBuilder<'_, Postgres>,
    actor: &Scope,
    households: &VisitableHouseholds,
    (device, written_from): (i64, u32),
    visits: &[&Visit],
    now: DateTime<Utc>,
) {
    statements.push(
        "INSERT INTO visits (id, author_id, commune_id, team_id, household_id, outcome, come_back_on, officials,
                                 pupils, adults, elderly, workers, skills, note, visited_at, follow_up_on,
                                 follow_up_reason, revision, text_erased_revision, received_at, written_by_session,
                                 written_from) ",
    );
    statements.push_values(visits, |mut row, visit| {
        row.push_bind(visit.id.to_string())
            .push_bind(actor.user_id)
            .push_bind(actor.commune_id)
            .push_bind(team_of(households, &visit.household_id))
            .push_bind(visit.household_id.to_string())
            .push_bind(outcome_str(visit.outcome))
            .push_bind(visit.come_back_on)
            .push_bind(i64::from(visit.people.officials))
            .push_bind(i64::from(visit.people.pupils))
            .push_bind(i64::from(visit.people.adults))
            .push_bind(i64::from(visit.people.elderly))
            .push_bind(i64::from(visit.people.workers))
            .push_bind(serde_json::to_string(&visit.skills).expect("skills always serialise"))
            .push_bind(visit.note.clone())
            .push_bind(visit.visited_at)
            .push_bind(visit.follow_up.as_ref().map(|f| f.on))
            .push_bind(visit.follow_up.as_ref().map(|f| f.reason.clone()))
            .push_bind(i64::from(visit.revision))
            .push_bind(visit.text_erased_revision.map(i64::from))
            .push_bind(now)
            .push_bind(device)
            .push_bind(i64::from(written_from));
    });
}

/// Deletes a visit by its author; its household's progress is to be recomputed.
pub(super) async fn delete_visit(
    tx: &mut Tx,
    actor: &Scope,
    id: &VisitId,
    now: DateTime<Utc>,
    touched: &mut Touched,
) -> DbResult<StoreResult> {
    let id = id.to_string();
    let deletion = tombstones::VISITS.delete(tx, actor, &id, now).await?;
    if deletion == Deletion::Deleted {
        let household_id: String =
            sqlx::query_scalar("SELECT household_id FROM visits WHERE commune_id = $1 AND id = $2")
                .bind(actor.commune_id)
                .bind(&id)
                .fetch_one(&mut **tx)
                .await?;
        aggregates::count(tx, Visits::One(actor.commune_id, &id), -1).await?;
        log_visit(tx, actor.commune_id, &id).await?;
        // The household's "visited" summary changed for the whole team.
        log_household(tx, actor.commune_id, &household_id).await?;
        touched.recompute.insert(household_id);
    }
    Ok(Ok(Stored::status(deletion.status())))
}
