//! Sync (docs/sync-protocol.md): `POST /api/v1/sync/push` takes a phone's
//! outbox, `GET /api/v1/sync/pull` gives the phone what its team knows.
//!
//! Each pushed change is judged on its own: a batch with one bad change
//! stores the others and reports the bad one by id. All valid changes of a
//! batch are stored in one transaction, so a push counts completely or not at all.

use crate::access;
use crate::db::{Actor, Change, ChangeBatch, StoreResult};
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery, CommuneSession};
use crate::AppState;
use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use gocua_domain::catalogue::Catalogue;
use gocua_domain::sync::{
    BaseRevision, ChangeKind, PullResponse, PushResponse, PushResult, PushStatus, Pushed, MAX_PULL_LIMIT,
    MAX_PUSH_CHANGES,
};
use gocua_domain::validation::{Field, FieldError, Problem};
use gocua_domain::{
    CommunitySession, CommunitySessionId, CommunitySessionInput, Household, HouseholdInput, Visit, VisitId, VisitInput,
};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::value::RawValue;

pub fn routes() -> Router<AppState> {
    Router::new().route("/sync/push", post(push)).route("/sync/pull", get(pull))
}

/// The push body, with each change kept raw so one change of the wrong
/// shape is rejected alone instead of failing the whole batch.
#[derive(Deserialize)]
struct RawPush {
    #[serde(default, deserialize_with = "gocua_domain::input::null_as_default")]
    households: Vec<Box<RawValue>>,
    #[serde(default, deserialize_with = "gocua_domain::input::null_as_default")]
    visits: Vec<Box<RawValue>>,
    #[serde(default, deserialize_with = "gocua_domain::input::null_as_default")]
    deleted_visits: Vec<Box<RawValue>>,
    #[serde(default, deserialize_with = "gocua_domain::input::null_as_default")]
    community_sessions: Vec<Box<RawValue>>,
    #[serde(default, deserialize_with = "gocua_domain::input::null_as_default")]
    deleted_community_sessions: Vec<Box<RawValue>>,
}

impl RawPush {
    fn len(&self) -> usize {
        self.households.len()
            + self.visits.len()
            + self.deleted_visits.len()
            + self.community_sessions.len()
            + self.deleted_community_sessions.len()
    }
}

/// A change on its way through the push: already judged, or valid (with
/// its id as pushed) and waiting for storage.
enum Verdict {
    Judged(PushResult),
    Valid(String, Change),
}

async fn push(
    State(state): State<AppState>,
    CommuneSession { actor, session_id }: CommuneSession,
    ApiJson(raw): ApiJson<RawPush>,
) -> Result<Json<PushResponse>, ApiError> {
    if raw.len() > MAX_PUSH_CHANGES {
        return Err(ApiError::TooManyChanges { limit: MAX_PUSH_CHANGES });
    }
    let now = crate::clock::now();
    // Read only when the batch holds something they judge: a phone's outbox
    // is mostly visits, which name no village, and each read is a round trip.
    let villages = if raw.households.is_empty() && raw.community_sessions.is_empty() {
        Vec::new()
    } else {
        state.db.village_ids(actor.commune_id).await?
    };
    let catalogue = if raw.visits.is_empty() && raw.community_sessions.is_empty() {
        Catalogue { skills: Vec::new() }
    } else {
        state.db.catalogue(actor.commune_id).await?
    };

    // Every change judged on its own, in the order the protocol lists them.
    let mut verdicts: Vec<Verdict> = Vec::with_capacity(raw.len());
    verdicts.extend(raw.households.iter().map(|raw| {
        judge(ChangeKind::Household, raw, Change::Household, |input: &HouseholdInput| {
            with_village(Household::parse(input), input.village_id, &villages)
        })
    }));
    verdicts.extend(raw.visits.iter().map(|raw| {
        judge(ChangeKind::Visit, raw, Change::Visit, |input: &VisitInput| Visit::parse(input, now, &catalogue))
    }));
    verdicts.extend(
        raw.deleted_visits.iter().map(|raw| {
            judge_deletion(ChangeKind::VisitDeleted, raw, |raw| VisitId::parse(raw).map(Change::VisitDeleted))
        }),
    );
    verdicts.extend(raw.community_sessions.iter().map(|raw| {
        judge(ChangeKind::CommunitySession, raw, Change::CommunitySession, |input: &CommunitySessionInput| {
            with_village(CommunitySession::parse(input, now, &catalogue), input.village_id, &villages)
        })
    }));
    verdicts.extend(raw.deleted_community_sessions.iter().map(|raw| {
        judge_deletion(ChangeKind::CommunitySessionDeleted, raw, |raw| {
            CommunitySessionId::parse(raw).map(Change::CommunitySessionDeleted)
        })
    }));

    let changes = verdicts
        .iter()
        .filter_map(|verdict| match verdict {
            Verdict::Valid(_, change) => Some(change.clone()),
            Verdict::Judged(_) => None,
        })
        .collect();
    let batch = ChangeBatch { device: session_id, changes };
    // Stored in a task of its own: if the phone goes away mid-request (a lost
    // signal, a reload), the transaction still ends cleanly, committed or
    // rolled back, instead of being dropped half-way with the write lock held.
    let db = state.db.clone();
    let stored = tokio::spawn(async move { db.store_changes(&access::scope(&actor), &batch, now).await })
        .await
        .map_err(|error| ApiError::Internal(error.to_string()))??;
    let results = answers(verdicts, stored)?;
    tracing::info!(user_id = actor.user_id, changes = results.len(), "push");
    Ok(Json(PushResponse { results }))
}

/// One result per change, in the order pushed: the judged ones as judged,
/// the valid ones as storage answered.
fn answers(verdicts: Vec<Verdict>, stored: Vec<StoreResult>) -> Result<Vec<PushResult>, ApiError> {
    let mut stored = stored.into_iter();
    let mut results = Vec::with_capacity(verdicts.len());
    for verdict in verdicts {
        results.push(match verdict {
            Verdict::Judged(result) => result,
            Verdict::Valid(id, change) => {
                let kind = change.kind();
                match stored.next() {
                    Some(Ok(stored)) => {
                        let status = stored.status;
                        let message = (status == PushStatus::Conflict).then(|| conflict_message(kind).to_owned());
                        PushResult { kind, id, status, errors: Vec::new(), message, revision: stored.revision }
                    }
                    Some(Err(error)) => rejected(kind, id, vec![error]),
                    None => return Err(ApiError::Internal("storage answered fewer changes than it was given".into())),
                }
            }
        });
    }
    Ok(results)
}

fn conflict_message(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::Household => {
            "Hộ này đã được sửa ở máy khác hoặc thuộc tổ khác; thay đổi chưa được lưu, hãy đồng bộ rồi sửa lại."
        }
        ChangeKind::Visit => {
            "Lượt thăm này đã được sửa ở máy khác, đã bị xóa, hoặc mã đã được dùng; thay đổi chưa được lưu."
        }
        ChangeKind::VisitDeleted => "Chỉ người ghi lượt thăm mới xóa được lượt thăm này.",
        ChangeKind::CommunitySession => {
            "Buổi học này đã được sửa ở máy khác, đã bị xóa, hoặc mã đã được dùng; thay đổi chưa được lưu."
        }
        ChangeKind::CommunitySessionDeleted => "Chỉ người ghi buổi học mới xóa được buổi học này.",
    }
}

fn rejected(kind: ChangeKind, id: String, errors: Vec<FieldError>) -> PushResult {
    let message = errors.iter().map(FieldError::message_vi).collect::<Vec<_>>().join(" ");
    PushResult { kind, id, status: PushStatus::Rejected, errors, message: Some(message), revision: None }
}

/// Parses one raw change into its input type, or rejects it as malformed.
fn parse_raw<I: DeserializeOwned>(kind: ChangeKind, raw: &RawValue) -> Result<I, PushResult> {
    serde_json::from_str(raw.get()).map_err(|error| PushResult {
        kind,
        id: id_of_malformed(raw),
        status: PushStatus::Rejected,
        errors: Vec::new(),
        message: Some(format!("Dữ liệu không đúng định dạng: {error}")),
        revision: None,
    })
}

/// A valid record, with the base revision the phone pushed it with (a
/// `base_revision` that is not a whole number rejects the change).
fn with_base<T>(
    kind: ChangeKind,
    id: String,
    raw: &RawValue,
    record: T,
    change: impl FnOnce(Pushed<T>) -> Change,
) -> Verdict {
    match parse_raw::<BaseRevision>(kind, raw) {
        Ok(base) => Verdict::Valid(id, change(Pushed { record, base_revision: base.base_revision })),
        Err(result) => Verdict::Judged(result),
    }
}

/// Judges one pushed record: its fields parse into `I`, `parse` applies the
/// rules of its kind, and a valid one goes on with its base revision as a `change`.
fn judge<I: DeserializeOwned + Identified, T>(
    kind: ChangeKind,
    raw: &RawValue,
    change: impl FnOnce(Pushed<T>) -> Change,
    parse: impl FnOnce(&I) -> Result<T, Vec<FieldError>>,
) -> Verdict {
    let input: I = match parse_raw(kind, raw) {
        Ok(input) => input,
        Err(result) => return Verdict::Judged(result),
    };
    let id = input.id().to_owned();
    match parse(&input) {
        Ok(record) => with_base(kind, id, raw, record, change),
        Err(errors) => Verdict::Judged(rejected(kind, id, errors)),
    }
}

/// A pushed record's id as sent, to answer about it.
trait Identified {
    fn id(&self) -> &str;
}

impl Identified for HouseholdInput {
    fn id(&self) -> &str {
        &self.id
    }
}

impl Identified for VisitInput {
    fn id(&self) -> &str {
        &self.id
    }
}

impl Identified for CommunitySessionInput {
    fn id(&self) -> &str {
        &self.id
    }
}

/// A parsed record, also refused when it names a village the commune does
/// not have. Every problem is reported at once: the village is checked even
/// when other fields are wrong, and its problem comes first.
fn with_village<T>(
    parsed: Result<T, Vec<FieldError>>,
    village_id: i64,
    villages: &[i64],
) -> Result<T, Vec<FieldError>> {
    let unknown = village_id > 0 && !villages.contains(&village_id);
    match parsed {
        Ok(_) if unknown => Err(vec![FieldError::new(Field::Village, Problem::UnknownVillage)]),
        Err(mut errors) if unknown => {
            errors.insert(0, FieldError::new(Field::Village, Problem::UnknownVillage));
            Err(errors)
        }
        parsed => parsed,
    }
}

/// A deletion carries only the id of what the phone deleted.
fn judge_deletion(kind: ChangeKind, raw: &RawValue, parse: impl Fn(&str) -> Option<Change>) -> Verdict {
    let id: String = match parse_raw(kind, raw) {
        Ok(id) => id,
        Err(result) => return Verdict::Judged(result),
    };
    match parse(&id) {
        Some(change) => Verdict::Valid(id, change),
        None => Verdict::Judged(rejected(kind, id, vec![FieldError::new(Field::Id, Problem::Invalid)])),
    }
}

/// The `id` of a change whose other fields do not parse, so the phone can still tell which one it was.
fn id_of_malformed(raw: &RawValue) -> String {
    #[derive(Deserialize)]
    struct IdOnly {
        #[serde(default)]
        id: serde_json::Value,
    }
    match serde_json::from_str::<IdOnly>(raw.get()).map(|only| only.id) {
        Ok(serde_json::Value::String(id)) => id,
        _ => String::new(),
    }
}

#[derive(Deserialize)]
struct PullQuery {
    #[serde(default)]
    since: Option<String>,
    #[serde(default)]
    limit: Option<String>,
}

/// Default page size when the phone names none.
const DEFAULT_PULL_LIMIT: usize = 500;

async fn pull(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(query): ApiQuery<PullQuery>,
) -> Result<Json<PullResponse>, ApiError> {
    let since = match query.since.as_deref() {
        None | Some("") => 0,
        Some(cursor) => parse_cursor(cursor)?,
    };
    let limit = match query.limit.as_deref() {
        None => DEFAULT_PULL_LIMIT,
        Some(raw) => {
            raw.parse::<usize>().ok().filter(|limit| (1..=MAX_PULL_LIMIT).contains(limit)).ok_or_else(|| {
                ApiError::BadRequest(format!("limit phải là số từ 1 đến {MAX_PULL_LIMIT}, không phải {raw:?}"))
            })?
        }
    };
    let page = state.db.pull(&access::scope(&actor), since, limit).await?;
    Ok(Json(PullResponse { changes: page.changes, cursor: format_cursor(page.cursor), has_more: page.has_more }))
}

/// Cursors are opaque to phones: `c` and the last sequence number seen.
fn format_cursor(seq: i64) -> String {
    format!("c{seq}")
}

/// A cursor exactly as [`format_cursor`] writes one: `c01` or `c+1` name
/// the same number but were never given, so they are refused like any other.
fn parse_cursor(cursor: &str) -> Result<i64, ApiError> {
    cursor
        .strip_prefix('c')
        .and_then(|seq| seq.parse::<i64>().ok())
        .filter(|seq| *seq >= 0 && format_cursor(*seq) == cursor)
        .ok_or(ApiError::InvalidCursor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_refused() {
        assert_eq!(parse_cursor(&format_cursor(42)).unwrap(), 42);
        assert!(parse_cursor("42").is_err());
        assert!(parse_cursor("c-1").is_err());
        assert!(parse_cursor("cabc").is_err());
        assert_eq!(parse_cursor("c0").unwrap(), 0, "an empty log's cursor");
        for never_given in ["c01", "c+1", "c 1", "C1"] {
            assert!(parse_cursor(never_given).is_err(), "{never_given}");
        }
    }
}
