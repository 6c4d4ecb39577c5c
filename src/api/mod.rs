//! The HTTP client for the server's JSON API (docs/api.md): sign-in and
//! sync here, the account and commune screens' calls in [`admin`].

mod admin;

pub use admin::*;

use gloo_net::http::{Request, RequestBuilder, Response};
use gocua_domain::api::{ErrorBody, JoinRequest, LoginRequest, LoginResponse, Profile};
use gocua_domain::sync::{PullResponse, PushRequest, PushResponse};
use gocua_domain::Catalogue;

use serde::de::DeserializeOwned;

/// Why a call to the server did not give an answer we can use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// No answer at all: offline, server down, connection cut.
    #[error("network unreachable: {0}")]
    Network(String),
    /// 401: the token is missing, expired or revoked (or, at sign-in, the password is wrong).
    #[error("unauthorized: {message}")]
    Unauthorized { message: String },
    /// Any other error answer, with the server's own Vietnamese message.
    #[error("server said {status} {code}: {message}")]
    Server { status: u16, code: String, message: String },
    /// An answer that is not the JSON we expected.
    #[error("unexpected answer: {0}")]
    Decode(String),
}

impl ApiError {
    /// Worth retrying later on its own: the network or the server may recover.
    pub fn is_transient(&self) -> bool {
        match self {
            ApiError::Network(_) => true,
            ApiError::Server { status, .. } => *status >= 500 || *status == 429,
            ApiError::Unauthorized { .. } | ApiError::Decode(_) => false,
        }
    }
}

/// How long one request may take before it is given up and retried later:
/// on one bar of signal a connection can die without either side noticing.
const REQUEST_TIMEOUT_MS: u32 = 30_000;

/// Aborts the request it is attached to when the time is up; dropping it cancels the timer.
struct Deadline {
    controller: web_sys::AbortController,
    _timer: gloo_timers::callback::Timeout,
}

/// A download (an export of a whole commune on a slow line) may take this long.
const DOWNLOAD_TIMEOUT_MS: u32 = 300_000;

impl Deadline {
    fn new() -> Deadline {
        Deadline::after(REQUEST_TIMEOUT_MS)
    }

    fn after(ms: u32) -> Deadline {
        let controller = web_sys::AbortController::new().expect("browsers with fetch have AbortController");
        let abort = controller.clone();
        Deadline { controller, _timer: gloo_timers::callback::Timeout::new(ms, move || abort.abort()) }
    }
}

/// Downloads a file (an export) as raw bytes, with a longer deadline than other calls.
pub(crate) async fn get_bytes(token: &str, path: &str, query: &[(&str, &str)]) -> Result<Vec<u8>, ApiError> {
    let deadline = Deadline::after(DOWNLOAD_TIMEOUT_MS);
    let signal = deadline.controller.signal();
    let request = Request::get(path)
        .query(query.iter().copied())
        .abort_signal(Some(&signal))
        .header("Authorization", &format!("Bearer {token}"))
        .build()
        .map_err(|error| ApiError::Decode(error.to_string()))?;
    let response = request.send().await.map_err(|error| ApiError::Network(error.to_string()))?;
    let answer = if response.ok() {
        response.binary().await.map_err(|error| ApiError::Network(error.to_string()))
    } else {
        Err(refusal(response).await)
    };
    drop(deadline);
    answer
}

/// What builds a request from a builder that already has the deadline and the token.
type Build<'a> = Box<dyn FnOnce(RequestBuilder) -> Result<Request, gloo_net::Error> + 'a>;

/// Sends a request built by `build` (given a builder with the deadline and,
/// if any, the token) and reads the answer as `T`, all within the deadline.
pub(crate) async fn call<T: DeserializeOwned>(
    builder: RequestBuilder,
    token: Option<&str>,
    build: impl FnOnce(RequestBuilder) -> Result<Request, gloo_net::Error>,
) -> Result<T, ApiError> {
    // Only the JSON step is per type: the request and its errors are one
    // compiled path for every call (the app's size, docs/benchmarks.md).
    let text = answer_text(builder, token, Box::new(build)).await?;
    serde_json::from_str(&text).map_err(|error| ApiError::Decode(error.to_string()))
}

/// Sends the request and reads a successful answer's body, within the deadline.
async fn answer_text(builder: RequestBuilder, token: Option<&str>, build: Build<'_>) -> Result<String, ApiError> {
    let deadline = Deadline::new();
    let signal = deadline.controller.signal();
    let mut builder = builder.abort_signal(Some(&signal));
    if let Some(token) = token {
        builder = builder.header("Authorization", &format!("Bearer {token}"));
    }
    let request = build(builder).map_err(|error| ApiError::Decode(error.to_string()))?;
    let response = request.send().await.map_err(|error| ApiError::Network(error.to_string()))?;
    let answer = if response.ok() {
        response.text().await.map_err(|error| ApiError::Network(error.to_string()))
    } else {
        Err(refusal(response).await)
    };
    drop(deadline);
    answer
}

pub async fn login(username: &str, password: &str) -> Result<LoginResponse, ApiError> {
    let body = LoginRequest { username: username.to_owned(), password: password.to_owned() };
    call(Request::post("/api/v1/auth/login"), None, |b| b.json(&body)).await
}

/// Ends the session on the server; a failure is ignored by callers (the phone forgets the token anyway).
pub async fn logout(token: &str) -> Result<(), ApiError> {
    send_no_content(Request::post("/api/v1/auth/logout"), token).await
}

/// Joins a team with an invite code; the answer signs the new member in.
pub async fn join(request: &JoinRequest) -> Result<LoginResponse, ApiError> {
    call(Request::post("/api/v1/auth/join"), None, |b| b.json(request)).await
}

/// A call answered `204 No Content` on success.
pub(crate) async fn send_no_content(builder: RequestBuilder, token: &str) -> Result<(), ApiError> {
    answer_text(builder, Some(token), Box::new(RequestBuilder::build)).await.map(|_| ())
}

pub async fn push(token: &str, batch: &PushRequest) -> Result<PushResponse, ApiError> {
    call(Request::post("/api/v1/sync/push"), Some(token), |b| b.json(batch)).await
}

pub async fn pull(token: &str, since: Option<&str>, limit: usize) -> Result<PullResponse, ApiError> {
    let limit = limit.to_string();
    let mut query = vec![("limit", limit.as_str())];
    if let Some(cursor) = since {
        query.push(("since", cursor));
    }
    get(token, "/api/v1/sync/pull", &query).await
}

pub async fn catalogue(token: &str) -> Result<Catalogue, ApiError> {
    get(token, "/api/v1/catalogue", &[]).await
}

pub async fn profile(token: &str) -> Result<Profile, ApiError> {
    get(token, "/api/v1/me", &[]).await
}

pub(crate) async fn get<T: DeserializeOwned>(token: &str, path: &str, query: &[(&str, &str)]) -> Result<T, ApiError> {
    let builder = Request::get(path).query(query.iter().copied());
    call(builder, Some(token), |b| b.build()).await
}

/// What an error answer says: the server's own error, or the network's when
/// something else (a proxy, a captive portal) answered.
async fn refusal(response: Response) -> ApiError {
    let status = response.status();
    let (code, message) = match response.json::<ErrorBody>().await {
        Ok(body) => (body.error.code, body.error.message),
        // No JSON error: a proxy or the network answered, not our server.
        Err(_) if status >= 500 || status == 0 => return ApiError::Network(format!("HTTP {status}")),
        Err(error) => (String::new(), error.to_string()),
    };
    if status == 401 {
        ApiError::Unauthorized { message }
    } else {
        ApiError::Server { status, code, message }
    }
}
