//! Extractors that turn a raw request into typed values, with every failure
//! answered in the API's error shape.

use crate::db::{Actor, Principal, ProvinceActor, SessionCheck};
use crate::error::ApiError;
use crate::token;
use crate::AppState;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

/// A JSON object body; malformed JSON, or JSON that is not an object, is a
/// 400 and an over-long body a 413, all as JSON errors.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        JsonBody::from_request(request, state).await?.parse().map(ApiJson)
    }
}

/// A JSON body kept unread until the handler has checked the user's role
/// and reach (docs/api.md: "A body is checked after both"), then read by
/// [`JsonBody::parse`] exactly as [`ApiJson`] reads one. Only its size is
/// checked on arrival (413).
pub struct JsonBody {
    declared_json: bool,
    bytes: Bytes,
}

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let declared_json = is_json(request.headers());
        let bytes = Bytes::from_request(request, state).await.map_err(body_rejection)?;
        Ok(JsonBody { declared_json, bytes })
    }
}

impl JsonBody {
    /// Read once, straight into `T`: a push's body is tens of kilobytes, and
    /// reading it as raw JSON first (to check it is an object) cost a second
    /// pass over it and a copy (docs/benchmarks.md, sync throughput).
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, ApiError> {
        if !self.declared_json {
            return Err(ApiError::BadRequest("thiếu tiêu đề Content-Type: application/json".into()));
        }
        // serde also reads a struct from an array of its fields in order (`[]` as
        // an empty object): every body the API documents is an object.
        let first = self.bytes.iter().find(|byte| !matches!(byte, b' ' | b'\t' | b'\n' | b'\r'));
        if first != Some(&b'{') {
            return Err(ApiError::BadRequest("nội dung phải là một đối tượng JSON ({…})".into()));
        }
        serde_json::from_slice(&self.bytes)
            .map_err(|error| ApiError::BadRequest(format!("nội dung JSON không đúng dạng: {error}")))
    }
}

/// Whether the request says its body is JSON: `application/json`, or an
/// `application/…+json` type, with any parameters (as axum's `Json` takes).
fn is_json(headers: &HeaderMap) -> bool {
    let Some(value) = headers.get(header::CONTENT_TYPE).and_then(|value| value.to_str().ok()) else {
        return false;
    };
    let essence = value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

fn body_rejection(rejection: BytesRejection) -> ApiError {
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return ApiError::PayloadTooLarge { limit_bytes: crate::MAX_BODY_BYTES };
    }
    ApiError::BadRequest(rejection.body_text())
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

/// One of a commune's people behind the request's bearer token; a province
/// account is refused (403): no record of a commune's people is its to see.
impl FromRequestParts<AppState> for Actor {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        SignedIn::from_request_parts(parts, state).await?.commune_actor()
    }
}

/// A province account behind the request's bearer token; a commune's people are refused (403).
impl FromRequestParts<AppState> for ProvinceActor {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        match SignedIn::from_request_parts(parts, state).await?.principal {
            Principal::Province(official) => Ok(official),
            Principal::Commune(_) => Err(ApiError::Forbidden),
        }
    }
}

/// The signed-in account, whoever it is, and the session (device) the request came through.
pub struct SignedIn {
    pub principal: Principal,
    pub session_id: i64,
}

impl SignedIn {
    /// One of a commune's people; a province account is 403.
    pub fn commune_actor(&self) -> Result<Actor, ApiError> {
        match self.principal {
            Principal::Commune(actor) => Ok(actor),
            Principal::Province(_) => Err(ApiError::Forbidden),
        }
    }
}

/// One of a commune's people and the session the request came through; a
/// province account is refused (403) before any body is read.
pub struct CommuneSession {
    pub actor: Actor,
    pub session_id: i64,
}

impl FromRequestParts<AppState> for CommuneSession {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let signed_in = SignedIn::from_request_parts(parts, state).await?;
        Ok(CommuneSession { actor: signed_in.commune_actor()?, session_id: signed_in.session_id })
    }
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = bearer_token(&parts.headers).ok_or(ApiError::Unauthorized)?;
        match state.db.check_session(&token::hash(token), crate::clock::now()).await? {
            SessionCheck::Valid { principal, session_id } => Ok(SignedIn { principal, session_id }),
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
