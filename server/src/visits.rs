//! Visits: the list the signed-in user may read, and a leader voiding one.

use crate::access;
use crate::db::{Actor, VoidOutcome};
use crate::error::ApiError;
use crate::extract::ApiPath;
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{delete, get};
use axum::{Json, Router};
use gocua_domain::api::{Role, VisitList};
use gocua_domain::VisitId;

pub fn routes() -> Router<AppState> {
    Router::new().route("/visits", get(list)).route("/visits/{visit_id}", delete(void))
}

async fn list(State(state): State<AppState>, actor: Actor) -> Result<Json<VisitList>, ApiError> {
    Ok(Json(VisitList { visits: state.db.visible_visits(&access::scope(&actor)).await? }))
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
