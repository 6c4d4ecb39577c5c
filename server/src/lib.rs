//! Gõ Cửa's server: the JSON API under `/api/v1/` that phones sync to, and
//! the built app itself, from one binary.
//!
//! Resources each have a module (`auth`, `sync`, `visits`); `db` is the only
//! place that knows SQL; `error` turns every failure into the API's JSON
//! error shape; `app_shell` serves the PWA.

pub mod access;
pub mod app_shell;
pub mod audit;
pub mod auth;
pub mod catalogue;
pub mod cli;
pub mod clock;
pub mod connection;
pub mod dashboard;
pub mod db;
pub mod demo;
pub mod device;
pub mod error;
pub mod export;
pub mod extract;
pub mod forwarded;
pub mod health;
pub mod households;
pub mod invites;
pub mod paging;
pub mod password;
pub mod places;
pub mod province;
pub mod rate_limit;
pub mod report;
pub mod sync;
pub mod token;
pub mod users;
pub mod visits;

pub use connection::serve;

use app_shell::AppShell;
use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue};
use axum::response::IntoResponse;
use axum::Router;
use db::Database;
use error::ApiError;
use std::time::Duration;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

/// Largest request body read, in bytes (a push of the largest batch fits).
pub const MAX_BODY_BYTES: usize = gocua_domain::sync::MAX_PUSH_BYTES;
/// A request that takes longer than this is cut (a stalled phone must not hold a worker).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: Database,
}

/// The answer to a request whose handler panicked: the API's `internal`
/// error. The panic itself, with where it happened, is already in the log
/// (the panic hook, `main.rs`).
fn panicked(_panic: Box<dyn std::any::Any + Send + 'static>) -> axum::response::Response {
    ApiError::Internal("a request's handler panicked".into()).into_response()
}

/// The whole HTTP application: API, app shell, and the headers every answer carries.
pub fn router(db: Database, shell: AppShell) -> Router {
    let csp = HeaderValue::from_str(&shell.content_security_policy()).expect("the policy is plain ASCII");
    let api = Router::new()
        .merge(auth::routes())
        .merge(sync::routes())
        .merge(households::routes())
        .merge(catalogue::routes())
        .merge(visits::routes())
        .merge(users::routes())
        .merge(invites::routes())
        .merge(audit::routes())
        .merge(places::routes())
        .merge(export::routes())
        .merge(dashboard::routes())
        .merge(report::routes())
        .merge(province::routes())
        .route("/health", axum::routing::get(|| async { axum::Json(serde_json::json!({"status": "ok"})) }))
        .fallback(|| async { ApiError::NotFound })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        // A bug that panics in one request answers that request `500` and
        // leaves the server to every other commune (the server unwinds).
        .layer(CatchPanicLayer::custom(panicked))
        // Answers carry households' personal data: no cache keeps them.
        .layer(SetResponseHeaderLayer::if_not_present(header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .with_state(AppState { db: db.clone() });

    Router::new()
        .nest("/api/v1", api)
        .merge(health::routes(db))
        .fallback(axum::routing::any(app_shell::serve).with_state(shell))
        .layer(TimeoutLayer::with_status_code(axum::http::StatusCode::REQUEST_TIMEOUT, REQUEST_TIMEOUT))
        .layer(SetResponseHeaderLayer::overriding(header::CONTENT_SECURITY_POLICY, csp))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
}
