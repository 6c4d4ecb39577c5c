//! Extractors that turn a raw request into typed values, with every failure
//! answered in the API's error shape.

use crate::db::{Actor, SessionCheck};
use crate::error::ApiError;
use crate::token;
use crate::AppState;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

/// A JSON object body; malformed JSON, or JSON that is not an object, is a
/// 400 and an over-long body a 413, all as JSON errors.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let axum::Json(raw) =
            axum::Json::<Box<RawValue>>::from_request(request, state).await.map_err(json_rejection)?;
        // serde also reads a struct from an array of its fields in order (`[]` as
        // an empty object): every body the API documents is an object.
        if !raw.get().trim_start().starts_with('{') {
            return Err(ApiError::BadRequest("nội dung phải là một đối tượng JSON ({…})".into()));
        }
        serde_json::from_str(raw.get())
            .map(ApiJson)
            .map_err(|error| ApiError::BadRequest(format!("nội dung JSON không đúng dạng: {error}")))
    }
}

fn json_rejection(rejection: JsonRejection) -> ApiError {
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return ApiError::PayloadTooLarge { limit_bytes: crate::MAX_BODY_BYTES };
    }
    match rejection {
        JsonRejection::MissingJsonContentType(_) => {
            ApiError::BadRequest("thiếu tiêu đề Content-Type: application/json".into())
        }
        other => ApiError::BadRequest(other.body_text()),
    }
}

/// A query string; one that does not parse is a 400 in the API's error shape.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::try_from_uri(&parts.uri)
            .map(|axum::extract::Query(value)| ApiQuery(value))
            .map_err(|rejection| ApiError::BadRequest(rejection.body_text()))
    }
}

/// Path parameters; one that does not parse (`/users/abc`) is a 404 in the API's error shape:
/// no such record can exist.
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(value)| ApiPath(value))
            .map_err(|_| ApiError::NotFound)
    }
}

/// The address the request came from, when the server was started with
/// connection info (always, through `crate::serve`).
pub struct ClientAddress(pub Option<std::net::IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let info = parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>();
        Ok(ClientAddress(info.map(|info| info.0.ip())))
    }
}

/// The signed-in user behind the request's bearer token.
impl FromRequestParts<AppState> for Actor {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        Ok(SignedIn::from_request_parts(parts, state).await?.actor)
    }
}

/// The signed-in user and the session (device) the request came through.
pub struct SignedIn {
    pub actor: Actor,
    pub session_id: i64,
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = bearer_token(&parts.headers).ok_or(ApiError::Unauthorized)?;
        match state.db.check_session(&token::hash(token), chrono::Utc::now()).await? {
            SessionCheck::Valid { actor, session_id } => Ok(SignedIn { actor, session_id }),
            SessionCheck::Revoked => Err(ApiError::SessionRevoked),
            SessionCheck::Invalid => Err(ApiError::Unauthorized),
        }
    }
}

/// The token of an `Authorization: Bearer …` header.
pub fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    (scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty()).then(|| token.trim())
}
