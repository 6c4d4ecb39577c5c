//! A province's Department invites the coordinators of its communes: a
//! one-time code, as a leader invites a volunteer, to a commune's
//! coordination (no team) — only where the commune has no active
//! coordinator, so the Department starts a commune's accounts (or restarts
//! them when its coordinator left) and never adds itself beside a working
//! one: a coordinator sees every household. What it does in a commune is
//! noted in that commune's audit log, under its own name.

use crate::db::{AuditNote, AuditedBy, Database, ProvinceActor};
use crate::error::ApiError;
use crate::extract::{ApiPath, JsonBody};
use crate::invites::{issue, InviteFor};
use crate::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{delete, get};
use axum::{Json, Router};
use gocua_domain::api::{Commune, CreatedInvite, InviteList, NewCoordinatorInvite, Role};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/province/invites", get(open).post(create))
        .route("/province/invites/{invite_id}", delete(cancel))
}

async fn create(
    State(state): State<AppState>,
    official: ProvinceActor,
    headers: HeaderMap,
    body: JsonBody,
) -> Result<(StatusCode, Json<CreatedInvite>), ApiError> {
    let request: NewCoordinatorInvite = body.parse()?;
    let commune = commune_of(&state.db, &official, request.commune_id).await?;
    let accounts = state.db.accounts(commune.id, None).await?;
    if accounts.iter().any(|account| account.role == Role::Coordinator && account.active) {
        return Err(ApiError::CommuneHasCoordinator);
    }
    let note = AuditNote::new(in_commune(&official, commune.id), "invite.created", Role::Coordinator.as_str());
    let what =
        InviteFor { commune_id: commune.id, team_id: None, role: Role::Coordinator, created_by: official.user_id };
    Ok((StatusCode::CREATED, Json(issue(&state, &headers, what, &note).await?)))
}

async fn open(State(state): State<AppState>, official: ProvinceActor) -> Result<Json<InviteList>, ApiError> {
    let invites = state.db.province_invites(official.province_id, crate::clock::now()).await?;
    Ok(Json(InviteList { invites }))
}

async fn cancel(
    State(state): State<AppState>,
    official: ProvinceActor,
    ApiPath(invite_id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    // Only a coordinator's invite of one of the province's communes: anything else is not there for it.
    let invite = state.db.invite(invite_id).await?.filter(|invite| invite.role == Role::Coordinator);
    let invite = invite.ok_or(ApiError::NotFound)?;
    let commune = commune_of(&state.db, &official, invite.commune.id).await?;
    let note =
        AuditNote::about(in_commune(&official, commune.id), "invite.cancelled", format!("invite:{invite_id}"), "");
    if !state.db.cancel_invite(commune.id, None, invite_id, crate::clock::now(), &note).await? {
        return Err(ApiError::NotFound);
    }
    Ok(StatusCode::NO_CONTENT)
}

/// One of the province's communes; any other is 404, as a record out of reach is anywhere.
async fn commune_of(db: &Database, official: &ProvinceActor, commune_id: i64) -> Result<Commune, ApiError> {
    let communes = db.province_communes(official.province_id).await?;
    communes.into_iter().find(|commune| commune.id == commune_id).ok_or(ApiError::NotFound)
}

/// The province account as the commune's audit log names who acted there.
fn in_commune(official: &ProvinceActor, commune_id: i64) -> AuditedBy {
    AuditedBy { commune_id, user_id: official.user_id }
}
