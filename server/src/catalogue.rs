//! `GET /api/v1/catalogue`: the commune's skill catalogue, which phones cache.

use crate::db::Actor;
use crate::error::ApiError;
use crate::AppState;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use gocua_domain::Catalogue;

pub fn routes() -> Router<AppState> {
    Router::new().route("/catalogue", get(catalogue))
}

async fn catalogue(State(state): State<AppState>, actor: Actor) -> Result<Json<Catalogue>, ApiError> {
    Ok(Json(state.db.catalogue(actor.commune_id).await?))
}
