//! Sign-in, sign-out, "who am I", and the devices a user is signed in on.

use crate::db::{Actor, AuditNote, Principal};
use crate::error::ApiError;
use crate::extract::{bearer_token, ApiJson, ApiPath, ClientAddress, SignedIn};
use crate::{device, password, rate_limit, token, AppState};
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use chrono::Duration;
use gocua_domain::account::canonical_username;
use gocua_domain::api::{LoginRequest, LoginResponse, Profile, SessionList};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/auth/login", post(login))
        .route("/auth/logout", post(logout))
        .route("/auth/sessions", get(own_sessions))
        .route("/auth/sessions/{session_id}", delete(revoke_own_session))
        .route("/me", get(me))
}

async fn login(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    ApiJson(request): ApiJson<LoginRequest>,
) -> Result<Json<LoginResponse>, ApiError> {
    let username = canonical_username(&request.username);
    let attempt = rate_limit::attempt(&state.db, &username, address, crate::clock::now())
        .await?
        .map_err(|wait| ApiError::TooManyAttempts { retry_after_secs: wait.as_secs().max(1) })?;
    let credentials = state.db.credentials(&username).await?;
    let password = request.password;
    let user_id = password::off_thread(move || match credentials {
        Some(found) if password::verify(&password, &found.password_hash) && found.active => Some(found.user_id),
        Some(_) => None,
        None => {
            password::verify_against_nothing(&password);
            None
        }
    })
    .await?;
    let Some(user_id) = user_id else { return Err(ApiError::InvalidCredentials) };
    // The sign-in stands even if its bookkeeping fails: at worst it still counts as a failure.
    if let Err(error) = rate_limit::succeeded(&state.db, &attempt).await {
        tracing::warn!(%error, "a successful sign-in could not be taken off the attempt counts");
    }

    tracing::info!(user_id, "signed in");
    Ok(Json(open_session(&state, user_id, &headers).await?))
}

/// Opens a session for `user_id` on the device that sent `headers`.
pub async fn open_session(state: &AppState, user_id: i64, headers: &HeaderMap) -> Result<LoginResponse, ApiError> {
    let token = token::generate();
    let now = crate::clock::now();
    let expires_at = now + Duration::days(token::SESSION_DAYS);
    let user_agent = headers.get(header::USER_AGENT).and_then(|value| value.to_str().ok()).unwrap_or("");
    state.db.create_session(user_id, &token::hash(&token), &device::describe(user_agent), now, expires_at).await?;
    let profile = state.db.profile(user_id).await?;
    Ok(LoginResponse { token, expires_at, profile })
}

/// Ends the session of the token presented. Idempotent.
async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Result<StatusCode, ApiError> {
    let token = bearer_token(&headers).ok_or(ApiError::Unauthorized)?;
    state.db.delete_session(&token::hash(token)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The devices the user is signed in on.
async fn own_sessions(State(state): State<AppState>, signed_in: SignedIn) -> Result<Json<SessionList>, ApiError> {
    Ok(Json(devices(&state, signed_in.principal.user_id(), signed_in.session_id).await?))
}

/// The sessions of `user_id` in use, with the one the request came through marked `current`.
pub async fn devices(state: &AppState, user_id: i64, current_session: i64) -> Result<SessionList, ApiError> {
    let mut sessions = state.db.sessions_of(user_id, crate::clock::now()).await?;
    for session in &mut sessions {
        session.current = session.id == current_session;
    }
    Ok(SessionList { sessions })
}

/// Revokes one of the user's own devices (a lost phone). A province
/// account's is noted in no commune's audit log: it is no commune's.
async fn revoke_own_session(
    State(state): State<AppState>,
    signed_in: SignedIn,
    ApiPath(session_id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    match signed_in.principal {
        Principal::Commune(actor) => revoke_device(&state, &actor, actor.user_id, session_id).await,
        Principal::Province(official) => {
            let now = crate::clock::now();
            if !state.db.revoke_session(official.user_id, session_id, now, official.user_id, None).await? {
                return Err(ApiError::NotFound);
            }
            Ok(StatusCode::NO_CONTENT)
        }
    }
}

/// Revokes a session of `user_id` on behalf of `actor` (checked already), and records who did it.
pub async fn revoke_device(
    state: &AppState,
    actor: &Actor,
    user_id: i64,
    session_id: i64,
) -> Result<StatusCode, ApiError> {
    let note = AuditNote::about(actor, "session.revoked", format!("user:{user_id}"), format!("session {session_id}"));
    if !state.db.revoke_session(user_id, session_id, crate::clock::now(), actor.user_id, Some(&note)).await? {
        return Err(ApiError::NotFound);
    }
    Ok(StatusCode::NO_CONTENT)
}

async fn me(State(state): State<AppState>, signed_in: SignedIn) -> Result<Json<Profile>, ApiError> {
    Ok(Json(state.db.profile(signed_in.principal.user_id()).await?))
}
