//! Running the server as a service: the probes a supervisor or load
//! balancer asks, a stop (SIGTERM) in the middle of a push, and an online
//! backup — on the real binary where a process is what is tested.

use crate::common::{self, new_id, visit, TestServer};
use crate::server_process::ServerProcess;
use gocua_server::db::Engine;
use reqwest::Method;
use serde_json::{json, Value};
use std::path::Path;
use std::process::Command;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[tokio::test]
async fn the_probes_say_alive_and_ready_and_a_foreign_schema_is_not_ready() {
    let server = TestServer::start().await;
    let alive = server.client.get(server.url("/healthz")).send().await.unwrap();
    assert_eq!(alive.status(), 200);
    assert_eq!(alive.json::<Value>().await.unwrap(), json!({"status": "ok"}));
    let ready = server.client.get(server.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 200);
    assert_eq!(ready.json::<Value>().await.unwrap(), json!({"status": "ready"}));

    // The database as another build left it: its newest migration is not this build's.
    let forget_newest = "DELETE FROM _sqlx_migrations WHERE version = (SELECT MAX(version) FROM _sqlx_migrations)";
    common::execute_sql(&server.database_url(), forget_newest, &[]).await;
    let not_ready = server.client.get(server.url("/readyz")).send().await.unwrap();
    assert_eq!(not_ready.status(), 503);
    let body: Value = not_ready.json().await.unwrap();
    assert_eq!(body["status"], "not_ready");
    assert!(body["reason"].as_str().unwrap().contains("schema"), "{body}");
    // Alive all the same: the process answers.
    assert_eq!(server.client.get(server.url("/healthz")).send().await.unwrap().status(), 200);
}

/// The JSON a request is answered with.
async fn answer(request: reqwest::RequestBuilder) -> Value {
    request.send().await.unwrap().json().await.unwrap()
}

#[tokio::test]
async fn a_push_under_way_at_sigterm_is_finished_and_its_replay_stores_nothing_twice() {
    let dir = tempfile::tempdir().unwrap();
    let mut server = ServerProcess::start(dir.path());
    let client = reqwest::Client::new();
    let token = common::login(&client, &server.base, "tinhnguyen1").await;
    let request = |method, base: &str, path: &str| client.request(method, format!("{base}{path}")).bearer_auth(&token);
    let ask = |base: &str, path: &str| request(Method::GET, base, path);
    let push = |base: &str, body: Vec<u8>| {
        request(Method::POST, base, "/api/v1/sync/push").header("content-type", "application/json").body(body)
    };
    let household = new_id();
    let village = answer(ask(&server.base, "/api/v1/me")).await["villages"][0]["id"].as_i64().unwrap();
    let added = json!({"households": [common::household(&household, village)]});
    let added = answer(push(&server.base, serde_json::to_vec(&added).unwrap())).await;
    assert_eq!(added["results"][0]["status"], "applied");

    let visits: Vec<Value> = (0..200).map(|_| visit(&new_id(), &household)).collect();
    let body = serde_json::to_vec(&json!({"visits": visits})).unwrap();
    // The push's headers and half its body are in when the stop is asked for.
    let address = server.base.trim_start_matches("http://").to_owned();
    let mut connection = tokio::net::TcpStream::connect(&address).await.unwrap();
    let head = format!(
        "POST /api/v1/sync/push HTTP/1.1\r\nHost: {address}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    connection.write_all(head.as_bytes()).await.unwrap();
    let (first_half, second_half) = body.split_at(body.len() / 2);
    connection.write_all(first_half).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    server.terminate();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    connection.write_all(second_half).await.unwrap();
    let mut raw = String::new();
    connection.read_to_string(&mut raw).await.unwrap();
    assert!(raw.starts_with("HTTP/1.1 200"), "the push under way is answered: {raw:.200}");
    let results: Value = serde_json::from_str(raw.split("\r\n\r\n").nth(1).unwrap()).unwrap();
    assert!(results["results"].as_array().unwrap().iter().all(|r| r["status"] == "applied"), "{results}");
    let status = server.child.wait().unwrap();
    assert!(status.success(), "the server stops cleanly once the push is answered: {status}");
    // Asked for JSON, the log is one JSON object a line, the push among them.
    let log = server.log();
    let lines: Vec<Value> = log.lines().map(|line| serde_json::from_str(line).expect("a JSON line")).collect();
    assert!(lines.iter().any(|line| line["fields"]["message"] == "push"), "{log}");

    // The phone never heard (say the answer was lost on the way): it pushes again.
    let server = ServerProcess::start(dir.path());
    let replay = answer(push(&server.base, body)).await;
    assert!(replay["results"].as_array().unwrap().iter().all(|r| r["status"] == "duplicate"), "{replay}");
    let stored = answer(ask(&server.base, "/api/v1/visits")).await;
    assert_eq!(stored["visits"].as_array().map(Vec::len), Some(200), "each visit stored exactly once");
}

#[tokio::test]
async fn a_backup_taken_while_serving_holds_what_was_pushed_and_never_overwrites() {
    let server = TestServer::start().await;
    if common::engine() == Engine::Postgres {
        // PostgreSQL's own tools back it up; the command says so and writes nothing.
        let to = server.dir.path().join("backup.db");
        let refused = Command::new(env!("CARGO_BIN_EXE_gocua-server"))
            .args(["backup", "--database", &server.database_url(), "--to"])
            .arg(&to)
            .output()
            .unwrap();
        assert!(!refused.status.success());
        assert!(String::from_utf8_lossy(&refused.stderr).contains("pg_dump --format=custom"));
        assert!(!to.exists());
        return;
    }
    let token = server.login("tinhnguyen1").await;
    let household = server.new_household(&token).await;
    let visits: Vec<Value> = (0..50).map(|_| visit(&new_id(), &household)).collect();
    let answer: Value = server.push(&token, &json!({"visits": visits})).await.json().await.unwrap();
    assert_eq!(answer["results"].as_array().unwrap().len(), 50);

    let restored = tempfile::tempdir().unwrap();
    let copy = Path::new(&common::database_url(restored.path()).replace("sqlite://", "")).to_owned();
    let backup = |to: &Path| {
        Command::new(env!("CARGO_BIN_EXE_gocua-server"))
            .args(["backup", "--database", &server.database_url(), "--to"])
            .arg(to)
            .output()
            .unwrap()
    };
    let made = backup(&copy);
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    let again = backup(&copy);
    assert!(!again.status.success(), "an existing file is never overwritten");
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists"));
    // A mistyped database path is an error, and creates no database.
    let mistyped = server.dir.path().join("gocua-typo.db");
    let typo = Command::new(env!("CARGO_BIN_EXE_gocua-server"))
        .args(["backup", "--database", &format!("sqlite://{}", mistyped.display()), "--to"])
        .arg(server.dir.path().join("typo-backup.db"))
        .output()
        .unwrap();
    assert!(!typo.status.success(), "no database there");
    assert!(!mistyped.exists() && !server.dir.path().join("typo-backup.db").exists(), "nothing created");

    // The copy serves as the database of a server of its own, with every visit.
    let restored = TestServer::start_in(restored).await;
    let token = restored.login("tinhnguyen1").await;
    assert_eq!(restored.visits(&token).await.len(), 50);
}
