//! The Department adds a commune to its province (`POST
//! /api/v1/province/communes`): a new commune starts with the starting skill
//! catalogue and no one in it; the Department then invites its coordinator
//! ([`super::invites`]). Placing a commune that already exists on the server
//! into a province stays with the command line: it moves people's data
//! under another Department's eyes.

use crate::db::{DbError, ProvinceActor};
use crate::error::ApiError;
use crate::extract::JsonBody;
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use gocua_domain::api::{Commune, NewCommune};
use gocua_domain::commune::check_name;
use gocua_domain::{Field, FieldError, Problem};

pub fn routes() -> Router<AppState> {
    Router::new().route("/province/communes", post(create))
}

async fn create(
    State(state): State<AppState>,
    official: ProvinceActor,
    body: JsonBody,
) -> Result<(StatusCode, Json<Commune>), ApiError> {
    let request: NewCommune = body.parse()?;
    let name = check_name(&request.name).map_err(|problem| ApiError::Validation(vec![problem]))?;
    match state.db.create_province_commune(official.province_id, &name, official.user_id).await {
        Ok(commune) => Ok((StatusCode::CREATED, Json(commune))),
        // Commune names are unique on a server: the command line and the demo name communes by them.
        Err(DbError::AlreadyExists(_)) => Err(ApiError::Validation(vec![FieldError::new(Field::Name, Problem::Taken)])),
        Err(error) => Err(error.into()),
    }
}
