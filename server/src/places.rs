//! Villages and teams. Everyone of the commune reads its villages (the
//! household counts are what coverage is measured against); a coordinator
//! adds and changes villages and teams.

use crate::access;
use crate::db::{Actor, AuditNote, DbError};
use crate::error::ApiError;
use crate::extract::{ApiPath, JsonBody};
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, patch};
use axum::{Json, Router};
use gocua_domain::api::{TeamChange, TeamList, TeamSummary, Village, VillageChange, VillageList};
use gocua_domain::commune::{check_household_count, check_name};
use gocua_domain::{Field, FieldError, Problem};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/villages", get(villages).post(add_village))
        .route("/villages/{village_id}", patch(change_village))
        .route("/teams", get(teams).post(add_team))
        .route("/teams/{team_id}", patch(rename_team))
}

/// A name already used in the commune, said on the field.
fn name_taken(error: DbError) -> ApiError {
    match error {
        DbError::AlreadyExists(_) => ApiError::Validation(vec![FieldError::new(Field::Name, Problem::Taken)]),
        other => other.into(),
    }
}

/// Both fields of a village form, checked; every problem at once.
fn checked_village(change: &VillageChange) -> Result<(Option<String>, Option<u32>), ApiError> {
    let mut problems = Vec::new();
    let name = change.name.as_deref().map(check_name).transpose().map_err(|e| problems.push(e)).ok().flatten();
    let households =
        change.households.map(check_household_count).transpose().map_err(|e| problems.push(e)).ok().flatten();
    if problems.is_empty() {
        Ok((name, households))
    } else {
        Err(ApiError::Validation(problems))
    }
}

async fn village(state: &AppState, actor: &Actor, village_id: i64) -> Result<Village, ApiError> {
    let villages = state.db.villages(actor.commune_id).await?;
    villages.into_iter().find(|village| village.id == village_id).ok_or(ApiError::NotFound)
}

async fn villages(State(state): State<AppState>, actor: Actor) -> Result<Json<VillageList>, ApiError> {
    Ok(Json(VillageList { villages: state.db.villages(actor.commune_id).await? }))
}

async fn add_village(
    State(state): State<AppState>,
    actor: Actor,
    body: JsonBody,
) -> Result<(StatusCode, Json<Village>), ApiError> {
    access::coordinator(&actor)?;
    let change: VillageChange = body.parse()?;
    let (name, households) = checked_village(&change)?;
    let name = name.ok_or_else(|| ApiError::Validation(vec![FieldError::new(Field::Name, Problem::Required)]))?;
    let note = AuditNote::new(&actor, "village.created", name.clone());
    let households = households.unwrap_or(0);
    let id = state.db.create_village(actor.commune_id, &name, households, Some(&note)).await.map_err(name_taken)?;
    Ok((StatusCode::CREATED, Json(village(&state, &actor, id).await?)))
}

async fn change_village(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(village_id): ApiPath<i64>,
    body: JsonBody,
) -> Result<Json<Village>, ApiError> {
    let current = village(&state, &actor, village_id).await?;
    access::coordinator(&actor)?;
    let change: VillageChange = body.parse()?;
    let (name, households) = checked_village(&change)?;
    let detail =
        format!("{}: {} hộ", name.as_deref().unwrap_or(&current.name), households.unwrap_or(current.households));
    let note = AuditNote::about(&actor, "village.changed", format!("village:{village_id}"), detail);
    state
        .db
        .update_village(actor.commune_id, village_id, name.as_deref(), households, &note)
        .await
        .map_err(name_taken)?;
    Ok(Json(village(&state, &actor, village_id).await?))
}

async fn teams(State(state): State<AppState>, actor: Actor) -> Result<Json<TeamList>, ApiError> {
    access::coordinator(&actor)?;
    Ok(Json(TeamList { teams: state.db.teams(actor.commune_id).await? }))
}

async fn team(state: &AppState, actor: &Actor, team_id: i64) -> Result<TeamSummary, ApiError> {
    let teams = state.db.teams(actor.commune_id).await?;
    teams.into_iter().find(|team| team.id == team_id).ok_or(ApiError::NotFound)
}

async fn add_team(
    State(state): State<AppState>,
    actor: Actor,
    body: JsonBody,
) -> Result<(StatusCode, Json<TeamSummary>), ApiError> {
    access::coordinator(&actor)?;
    let change: TeamChange = body.parse()?;
    let name = check_name(&change.name).map_err(|e| ApiError::Validation(vec![e]))?;
    let note = AuditNote::new(&actor, "team.created", name.clone());
    let id = state.db.create_team(actor.commune_id, &name, Some(&note)).await.map_err(name_taken)?;
    Ok((StatusCode::CREATED, Json(team(&state, &actor, id).await?)))
}

async fn rename_team(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(team_id): ApiPath<i64>,
    body: JsonBody,
) -> Result<Json<TeamSummary>, ApiError> {
    access::coordinator(&actor)?;
    team(&state, &actor, team_id).await?;
    let change: TeamChange = body.parse()?;
    let name = check_name(&change.name).map_err(|e| ApiError::Validation(vec![e]))?;
    let note = AuditNote::about(&actor, "team.changed", format!("team:{team_id}"), name.clone());
    state.db.rename_team(actor.commune_id, team_id, &name, &note).await.map_err(name_taken)?;
    Ok(Json(team(&state, &actor, team_id).await?))
}
