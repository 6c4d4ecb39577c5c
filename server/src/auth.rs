//! Sign-in, sign-out and "who am I".

use crate::db::Actor;
use crate::error::ApiError;
use crate::extract::{bearer_token, ApiJson, ClientAddress};
use crate::{password, token, AppState};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{Duration, Utc};
use gocua_domain::api::{LoginRequest, LoginResponse, Profile};

pub fn routes() -> Router<AppState> {
    Router::new().route("/auth/login", post(login)).route("/auth/logout", post(logout)).route("/me", get(me))
}

/// Usernames are matched without regard to case or surrounding spaces.
pub fn canonical_username(raw: &str) -> String {
    raw.trim().to_lowercase()
}

async fn login(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    ApiJson(request): ApiJson<LoginRequest>,
) -> Result<Json<LoginResponse>, ApiError> {
    let username = canonical_username(&request.username);
    let started = std::time::Instant::now();
    if let Err(wait) = state.sign_in_limiter.check(&username, address, started) {
        return Err(ApiError::TooManyAttempts { retry_after_secs: wait.as_secs().max(1) });
    }
    let credentials = state.db.credentials(&username).await?;
    let password = request.password;
    // argon2id is deliberately slow: keep it off the async workers.
    let user_id = tokio::task::spawn_blocking(move || match credentials {
        Some(found) if password::verify(&password, &found.password_hash) && found.active => Some(found.user_id),
        Some(_) => None,
        None => {
            password::verify_against_nothing(&password);
            None
        }
    })
    .await
    .map_err(|error| ApiError::Internal(error.to_string()))?;
    let Some(user_id) = user_id else {
        state.sign_in_limiter.record_failure(&username, address, started);
        return Err(ApiError::InvalidCredentials);
    };
    state.sign_in_limiter.record_success(&username);

    let token = token::generate();
    let expires_at = Utc::now() + Duration::days(token::SESSION_DAYS);
    state.db.create_session(user_id, &token::hash(&token), expires_at).await?;
    let profile = state.db.profile(user_id).await?;
    tracing::info!(user_id, "signed in");
    Ok(Json(LoginResponse { token, expires_at, profile }))
}

/// Ends the session of the token presented. Idempotent.
async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Result<StatusCode, ApiError> {
    let token = bearer_token(&headers).ok_or(ApiError::Unauthorized)?;
    state.db.delete_session(&token::hash(token)).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn me(State(state): State<AppState>, actor: Actor) -> Result<Json<Profile>, ApiError> {
    Ok(Json(state.db.profile(actor.user_id).await?))
}
