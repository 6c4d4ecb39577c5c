//! Probes for whoever runs the server (a process supervisor, a load
//! balancer in front of several servers): `/healthz` says the process
//! answers, `/readyz` that it may be sent requests — its database answers
//! and holds the schema this build writes.

use crate::db::{Database, Readiness};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

pub fn routes(db: Database) -> Router {
    Router::new().route("/healthz", get(alive)).route("/readyz", get(ready)).with_state(db)
}

async fn alive() -> Json<serde_json::Value> {
    Json(json!({"status": "ok"}))
}

async fn ready(State(db): State<Database>) -> Response {
    let not_ready = |reason: String| {
        tracing::warn!(%reason, "not ready");
        (StatusCode::SERVICE_UNAVAILABLE, Json(json!({"status": "not_ready", "reason": reason}))).into_response()
    };
    match db.readiness().await {
        Ok(Readiness::Ready) => Json(json!({"status": "ready"})).into_response(),
        Ok(Readiness::SchemaMismatch { found, expected }) => {
            not_ready(format!("the database's schema is at migration {found}; this build writes {expected}"))
        }
        // The error itself goes to the log only: this answer needs no token.
        Err(error) => {
            tracing::warn!(%error, "readiness: the database does not answer");
            not_ready("the database does not answer".to_owned())
        }
    }
}
