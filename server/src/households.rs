//! `GET /api/v1/households`: the households of the user's team (a coordinator: the commune's).

use crate::db::Actor;
use crate::error::ApiError;
use crate::AppState;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use gocua_domain::api::HouseholdList;

pub fn routes() -> Router<AppState> {
    Router::new().route("/households", get(list))
}

async fn list(State(state): State<AppState>, actor: Actor) -> Result<Json<HouseholdList>, ApiError> {
    Ok(Json(HouseholdList { households: state.db.visible_households(&actor).await? }))
}
