//! Households: the list a phone can ask for, and a coordinator's correction
//! or erasure of a household's personal data at the household's request.

use crate::access;
use crate::db::Actor;
use crate::error::ApiError;
use crate::extract::{ApiPath, JsonBody};
use crate::AppState;
use axum::extract::State;
use axum::routing::{delete, get};
use axum::{Json, Router};
use gocua_domain::api::{HouseholdCorrection, HouseholdList};
use gocua_domain::sync::phone::SyncedRecord;
use gocua_domain::{Household, HouseholdId};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/households", get(list))
        .route("/households/{household_id}", get(show).patch(correct))
        .route("/households/{household_id}/personal-data", delete(erase))
}

async fn list(State(state): State<AppState>, actor: Actor) -> Result<Json<HouseholdList>, ApiError> {
    Ok(Json(HouseholdList { households: state.db.visible_households(&access::scope(&actor)).await? }))
}

/// A household the actor may read (their team's; a coordinator's commune's), or 404.
async fn visible_household(state: &AppState, actor: &Actor, raw_id: &str) -> Result<Household, ApiError> {
    let id = HouseholdId::parse(raw_id).ok_or(ApiError::NotFound)?.to_string();
    state.db.visible_household(&access::scope(actor), &id).await?.ok_or(ApiError::NotFound)
}

async fn show(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Household>, ApiError> {
    Ok(Json(visible_household(&state, &actor, &id).await?))
}

/// Times a correction is applied again when the household changed meanwhile.
const CORRECTION_ATTEMPTS: usize = 10;

/// A coordinator corrects what the household asked to be corrected.
async fn correct(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<String>,
    body: JsonBody,
) -> Result<Json<Household>, ApiError> {
    visible_household(&state, &actor, &id).await?;
    access::coordinator(&actor)?;
    let correction: HouseholdCorrection = body.parse()?;
    // Applied to the version the server holds when it is written: a phone's
    // edit stored in between is corrected, never overwritten.
    for _ in 0..CORRECTION_ATTEMPTS {
        let stored = visible_household(&state, &actor, &id).await?;
        let mut input = stored.to_input();
        correction.apply_to(&mut input);
        input.revision = stored.revision.saturating_add(1);
        let corrected = Household::parse(&input).map_err(ApiError::Validation)?;
        if corrected.same_content(&stored) {
            // Nothing to correct: no new revision, which would turn every
            // phone's pending edit of it into a conflict, and nothing to audit.
            return Ok(Json(stored));
        }
        if !state.db.village_ids(actor.commune_id).await?.contains(&corrected.village_id) {
            let problem = gocua_domain::Problem::UnknownVillage;
            let error = gocua_domain::FieldError::new(gocua_domain::Field::Village, problem);
            return Err(ApiError::Validation(vec![error]));
        }
        if state.db.correct_household(&access::scope(&actor), &corrected, crate::clock::now()).await? {
            return Ok(Json(corrected));
        }
    }
    Err(ApiError::Internal(format!("household {id} kept changing while it was corrected")))
}

/// A coordinator erases the household's name, address and phone; its visits stay counted.
async fn erase(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Household>, ApiError> {
    let stored = visible_household(&state, &actor, &id).await?;
    access::coordinator(&actor)?;
    state.db.erase_household(&access::scope(&actor), &stored.id.to_string(), crate::clock::now()).await?;
    let erased = visible_household(&state, &actor, &stored.id.to_string()).await?;
    Ok(Json(erased))
}
