//! What the benchmarks share: a real server on 127.0.0.1 over a fresh
//! database with the demo commune, and signing in to it.
#![allow(dead_code)]

use gocua_server::app_shell::AppShell;
use gocua_server::db::Database;
use gocua_server::{demo, router};
use serde_json::{json, Value};

/// Serves a new database in `dir`; returns the base URL and the database.
pub async fn start(dir: &std::path::Path) -> (String, Database) {
    let db = Database::connect(&format!("sqlite://{}", dir.join("bench.db").display())).await.unwrap();
    demo::ensure(&db).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = router(db.clone(), AppShell::default());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (base, db)
}

pub async fn login(client: &reqwest::Client, base: &str, username: &str) -> String {
    let body: Value = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"username": username, "password": demo::PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    body["token"].as_str().unwrap().to_owned()
}
