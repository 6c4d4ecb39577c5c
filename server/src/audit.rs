//! `GET /api/v1/audit`: the commune's audit log, for its coordinators.

use crate::access;
use crate::db::Actor;
use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::AppState;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use gocua_domain::api::AuditLog;
use serde::Deserialize;

pub const DEFAULT_PAGE: usize = 100;
pub const MAX_PAGE: usize = 1000;

pub fn routes() -> Router<AppState> {
    Router::new().route("/audit", get(list))
}

#[derive(Deserialize)]
struct Page {
    before: Option<i64>,
    limit: Option<usize>,
}

async fn list(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(page): ApiQuery<Page>,
) -> Result<Json<AuditLog>, ApiError> {
    access::coordinator(&actor)?;
    let limit = page.limit.unwrap_or(DEFAULT_PAGE);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(ApiError::BadRequest(format!("limit phải từ 1 đến {MAX_PAGE}")));
    }
    // One more than the page holds: whether there is a next page is known
    // now, so the last page ends with `null` instead of a page of nothing.
    let mut entries = state.db.audit_log(actor.commune_id, page.before, limit + 1).await?;
    let more = entries.len() > limit;
    entries.truncate(limit);
    let next_before = if more { entries.last().map(|entry| entry.id) } else { None };
    Ok(Json(AuditLog { entries, next_before }))
}
