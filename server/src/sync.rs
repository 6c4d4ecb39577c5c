//! `POST /api/v1/sync/push`: visits from a phone's outbox (docs/sync-protocol.md).
//!
//! Each visit is judged on its own: a batch with one bad visit stores the
//! others and reports the bad one by id. All valid visits of a batch are
//! stored in one transaction, so a push either counts completely or not at all.

use crate::db::Actor;
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::AppState;
use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use chrono::Utc;
use gocua_domain::sync::{PushResponse, PushResult, PushStatus, MAX_PUSH_VISITS};
use gocua_domain::validation::{Field, FieldError, Problem};
use gocua_domain::{Visit, VisitInput};
use serde::Deserialize;
use serde_json::value::RawValue;

pub fn routes() -> Router<AppState> {
    Router::new().route("/sync/push", post(push))
}

/// The push body, with each visit kept raw so one visit of the wrong shape
/// is rejected alone instead of failing the whole batch.
#[derive(Deserialize)]
struct RawPush {
    visits: Vec<Box<RawValue>>,
}

/// A visit on its way through the push: judged, or waiting for storage.
enum Verdict {
    Judged(PushResult),
    Valid(Visit),
}

async fn push(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(batch): ApiJson<RawPush>,
) -> Result<Json<PushResponse>, ApiError> {
    if batch.visits.len() > MAX_PUSH_VISITS {
        return Err(ApiError::TooManyVisits { limit: MAX_PUSH_VISITS });
    }
    let now = Utc::now();
    let villages = state.db.village_ids(actor.commune_id).await?;
    let verdicts: Vec<Verdict> = batch.visits.iter().map(|raw| judge(raw, &villages, now)).collect();

    let valid: Vec<Visit> = verdicts
        .iter()
        .filter_map(|verdict| match verdict {
            Verdict::Valid(visit) => Some(visit.clone()),
            Verdict::Judged(_) => None,
        })
        .collect();
    let mut stored = state.db.store_visits(&actor, &valid, now).await?.into_iter();

    let results = verdicts
        .into_iter()
        .map(|verdict| match verdict {
            Verdict::Judged(result) => result,
            Verdict::Valid(visit) => {
                let status = stored.next().expect("one status per stored visit");
                let message = (status == PushStatus::Conflict).then(|| {
                    "Mã lượt thăm này đã được dùng cho một lượt thăm khác; lượt thăm không được lưu.".to_owned()
                });
                PushResult { id: visit.id.to_string(), status, errors: Vec::new(), message }
            }
        })
        .collect();
    let response = PushResponse { results };
    tracing::info!(user_id = actor.user_id, visits = valid.len(), "push");
    Ok(Json(response))
}

fn judge(raw: &RawValue, villages: &[i64], now: chrono::DateTime<Utc>) -> Verdict {
    let input: VisitInput = match serde_json::from_str(raw.get()) {
        Ok(input) => input,
        Err(error) => {
            return Verdict::Judged(PushResult {
                id: id_of_malformed(raw),
                status: PushStatus::Rejected,
                errors: Vec::new(),
                message: Some(format!("Lượt thăm không đúng định dạng: {error}")),
            })
        }
    };
    let parsed = Visit::parse(&input, now).and_then(|visit| {
        if villages.contains(&visit.village_id) {
            Ok(visit)
        } else {
            Err(vec![FieldError::new(Field::Village, Problem::UnknownVillage)])
        }
    });
    match parsed {
        Ok(visit) => Verdict::Valid(visit),
        Err(errors) => {
            let message = errors.iter().map(FieldError::message_vi).collect::<Vec<_>>().join(" ");
            Verdict::Judged(PushResult { id: input.id, status: PushStatus::Rejected, errors, message: Some(message) })
        }
    }
}

/// The `id` of a visit whose other fields do not parse, so the phone can still tell which one it was.
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
