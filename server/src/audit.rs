//! `GET /api/v1/audit`: the commune's audit log, for its coordinators.

use crate::access;
use crate::db::Actor;
use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::paging;
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
    let limit = paging::limit(page.limit, DEFAULT_PAGE, MAX_PAGE)?;
    let entries = state.db.audit_log(actor.commune_id, page.before, limit + 1).await?;
    let (entries, next_before) = paging::split(entries, limit, |entry| entry.id);
    Ok(Json(AuditLog { entries, next_before }))
}
