//! Visits: the list the signed-in user may read, and a leader voiding one.

use crate::access;
use crate::db::{Actor, VisitsBefore, VoidOutcome};
use crate::error::ApiError;
use crate::extract::{ApiPath, ApiQuery};
use crate::paging;
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
pub const MAX_PAGE: usize = 1000;

#[derive(Deserialize)]
struct Page {
    before: Option<String>,
    limit: Option<usize>,
}

/// A page of the visits the user may read, newest first.
async fn list(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(page): ApiQuery<Page>,
) -> Result<Json<VisitList>, ApiError> {
    let limit = paging::limit(page.limit, MAX_PAGE, MAX_PAGE)?;
    let before = match page.before.as_deref() {
        None => None,
        Some(raw) => Some(VisitsBefore::parse(raw).ok_or_else(|| {
            ApiError::BadRequest("before không hợp lệ: hãy dùng đúng next_before của trang trước".into())
        })?),
    };
    // At most 1001: the bound above.
    let read = u32::try_from(limit + 1).expect("a page is at most MAX_PAGE");
    let visits = state.db.visible_visits_page(&access::scope(&actor), before.as_ref(), read).await?;
    let (visits, next_before) = paging::split(visits, limit, |last| VisitsBefore::after(&last.visit));
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
