//! Community sessions in SQLite, under the domain's one rule for synced
//! records ([`judge`]): a session belongs to its author, a deleted one
//! stays as a tombstone, and every applied write joins the change log in
//! the push's transaction.

use super::records::{log_authored, people_from, Tx};
use super::tombstones;
use crate::db::pushes::{judge_pushed, Deletion};
use crate::db::stored::parse_id;
use crate::db::{DbResult, Scope, StoreResult, Stored};
use chrono::{DateTime, Utc};
use gocua_domain::sync::judge::{Erasure, HeldVersion};
use gocua_domain::sync::{PushStatus, Pushed};
use gocua_domain::{CommunitySession, CommunitySessionId, SkillCode};
use sqlx::sqlite::SqliteRow;
use sqlx::Row;

pub(super) const SELECT_COMMUNITY_SESSION: &str = "SELECT id, author_id, village_id, place, held_on, skills,
    officials, pupils, adults, elderly, workers, note, revision, deleted_at, written_by_session, written_from
    FROM community_sessions";

/// Stores a pushed session as [`judge`] rules.
pub(super) async fn store(
    tx: &mut Tx<'_>,
    actor: &Scope,
    device: i64,
    pushed: &Pushed<CommunitySession>,
    now: DateTime<Utc>,
) -> DbResult<StoreResult> {
    let id = pushed.record.id.to_string();
    if let Some(status) = tombstones::COMMUNITY_SESSIONS.deleted_before_arrival(tx, actor, &id).await? {
        return Ok(Ok(Stored::status(status)));
    }
    let existing =
        sqlx::query(&format!("{SELECT_COMMUNITY_SESSION} WHERE id = ?")).bind(&id).fetch_optional(&mut **tx).await?;
    let held = match &existing {
        Some(row) => {
            let version = HeldVersion {
                revision: row.try_get("revision")?,
                written_by: row.try_get("written_by_session")?,
                written_from: row.try_get("written_from")?,
                writable_by_pusher: row.try_get::<i64, _>("author_id")? == actor.user_id,
                deleted: row.try_get::<Option<String>, _>("deleted_at")?.is_some(),
                erased: Erasure::None,
            };
            Some((version, community_session_from(row)?))
        }
        None => None,
    };
    let mut session = pushed.record.clone();
    let storing = match judge_pushed(pushed, device, false, held.as_ref()) {
        Ok(storing) => storing,
        Err(answer) => return Ok(answer),
    };
    session.revision = storing.revision;
    if held.is_some() {
        sqlx::query("DELETE FROM community_sessions WHERE id = ?").bind(&id).execute(&mut **tx).await?;
    }
    insert(tx, actor, (device, storing.written_from), &session, now).await?;
    log(tx, &id).await?;
    Ok(Ok(Stored { status: PushStatus::Applied, revision: Some(session.revision) }))
}

async fn insert(
    tx: &mut Tx<'_>,
    actor: &Scope,
    (device, written_from): (i64, u32),
    session: &CommunitySession,
    now: DateTime<Utc>,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO community_sessions (id, author_id, commune_id, team_id, village_id, place, held_on, skills,
                                         officials, pupils, adults, elderly, workers, note, revision, received_at,
                                         written_by_session, written_from)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(session.id.to_string())
    .bind(actor.user_id)
    .bind(actor.commune_id)
    .bind(actor.team_id)
    .bind(session.village_id)
    .bind(&session.place)
    .bind(session.held_on)
    .bind(serde_json::to_string(&session.skills).expect("skill codes always serialise"))
    .bind(session.attendees.officials)
    .bind(session.attendees.pupils)
    .bind(session.attendees.adults)
    .bind(session.attendees.elderly)
    .bind(session.attendees.workers)
    .bind(&session.note)
    .bind(session.revision)
    .bind(now)
    .bind(device)
    .bind(written_from)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Deletes a session by its author (see [`tombstones`]).
pub(super) async fn delete(
    tx: &mut Tx<'_>,
    actor: &Scope,
    id: &CommunitySessionId,
    now: DateTime<Utc>,
) -> DbResult<StoreResult> {
    let id = id.to_string();
    let deletion = tombstones::COMMUNITY_SESSIONS.delete(tx, actor, &id, now).await?;
    if deletion == Deletion::Deleted {
        log(tx, &id).await?;
    }
    Ok(Ok(Stored::status(deletion.status())))
}

/// Appends a session's write (or deletion) to the change log, under its author and team.
async fn log(tx: &mut Tx<'_>, id: &str) -> DbResult<()> {
    log_authored(tx, "community_session", "community_sessions", id).await
}

pub(super) fn community_session_from(row: &SqliteRow) -> DbResult<CommunitySession> {
    let id: String = row.try_get("id")?;
    let skills: String = row.try_get("skills")?;
    let skills: Vec<SkillCode> = serde_json::from_str(&skills)
        .map_err(|error| sqlx::Error::Decode(format!("community session {id}: skills: {error}").into()))?;
    Ok(CommunitySession {
        id: parse_id(&id, CommunitySessionId::parse)?,
        village_id: row.try_get("village_id")?,
        place: row.try_get("place")?,
        held_on: row.try_get("held_on")?,
        skills,
        attendees: people_from(row)?,
        note: row.try_get("note")?,
        revision: row.try_get("revision")?,
    })
}
