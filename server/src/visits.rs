//! Visits: the list the signed-in user may read, and a leader voiding one.

use crate::access;
use crate::db::{Actor, VisitsBefore, VoidOutcome};
use crate::error::ApiError;
use crate::extract::{ApiPath, ApiQuery};
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{delete, get};
use axum::{Json, Router};
use gocua_domain::api::{Role, VisitList};
use gocua_domain::VisitId;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new().route("/visits", get(list)).route("/visits/{visit_id}", delete(void))
}

/// The most visits a page holds, and how many it holds unless asked for fewer.
pub const MAX_PAGE: u32 = 1000;

#[derive(Deserialize)]
struct Page {
    before: Option<String>,
    limit: Option<u32>,
}

/// A page of the visits the user may read, newest first.
async fn list(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(page): ApiQuery<Page>,
) -> Result<Json<VisitList>, ApiError> {
    let limit = page.limit.unwrap_or(MAX_PAGE);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(ApiError::BadRequest(format!("limit phải từ 1 đến {MAX_PAGE}")));
    }
    let before = match page.before.as_deref() {
        None => None,
        Some(raw) => Some(VisitsBefore::parse(raw).ok_or_else(|| {
            ApiError::BadRequest("before không hợp lệ: hãy dùng đúng next_before của trang trước".into())
        })?),
    };
    // One more than the page holds: whether there is a next page is known
    // now, so the last page ends with `null` instead of a page of nothing.
    let mut visits = state.db.visible_visits_page(&access::scope(&actor), before.as_ref(), limit + 1).await?;
    let more = visits.len() > limit as usize;
    visits.truncate(limit as usize);
    let next_before = if more { visits.last().map(|last| VisitsBefore::after(&last.visit)) } else { None };
    Ok(Json(VisitList { visits, next_before }))
}

/// A leader voids a visit of the team (a coordinator: of the commune). Its
/// author deletes their own through sync instead; a volunteer may not void.
async fn void(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(raw_id): ApiPath<String>,
) -> Result<StatusCode, ApiError> {
    let id = VisitId::parse(&raw_id).ok_or(ApiError::NotFound)?.to_string();
    if actor.role == Role::Volunteer {
        return Err(ApiError::Forbidden);
    }
    match state.db.void_visit(&access::scope(&actor), &id, crate::clock::now()).await? {
        VoidOutcome::Voided | VoidOutcome::AlreadyGone => Ok(StatusCode::NO_CONTENT),
        VoidOutcome::NotFound => Err(ApiError::NotFound),
    }
}
