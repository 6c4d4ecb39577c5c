//! `GET /api/v1/visits`: the visits the signed-in user may read.

use crate::db::Actor;
use crate::error::ApiError;
use crate::AppState;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use gocua_domain::api::VisitList;

pub fn routes() -> Router<AppState> {
    Router::new().route("/visits", get(list))
}

async fn list(State(state): State<AppState>, actor: Actor) -> Result<Json<VisitList>, ApiError> {
    Ok(Json(VisitList { visits: state.db.visible_visits(&actor).await? }))
}
