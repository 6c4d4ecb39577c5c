//! Moving a commune up from SQLite to PostgreSQL (issue 14): `gocua-server
//! copy` carries every record, sign-in, cursor and figure across, and the
//! phones sync on against the new database without a fresh download. Needs
//! a PostgreSQL server (`scripts/postgres.sh`), on either engine's run.

use crate::common::{self, new_id, visit, TestServer};
use reqwest::Method;
use serde_json::{json, Value};
use std::process::Command;

/// What the people of the commune read, each as they see it.
async fn everything(server: &TestServer, tokens: &[(&str, &str)]) -> Vec<(String, Value)> {
    let paths = [
        "/api/v1/me",
        "/api/v1/visits",
        "/api/v1/households",
        "/api/v1/dashboard?from=2026-03-01&to=2026-03-31",
        "/api/v1/reports/quarterly?quarter=2026-Q1",
        "/api/v1/reports/quarterly/submission",
        "/api/v1/audit",
        "/api/v1/users",
        "/api/v1/invites",
        "/api/v1/teams",
        "/api/v1/villages",
        "/api/v1/catalogue",
        "/api/v1/sync/pull?limit=1000",
    ];
    let mut read = Vec::new();
    for (who, token) in tokens {
        for path in paths {
            let (status, mut body) = server.get_json(token, path).await;
            // When it was read is not what was stored.
            if let Some(object) = body.as_object_mut() {
                object.remove("generated_at");
            }
            read.push((format!("{who} {path} {status}"), body));
        }
    }
    read
}

#[tokio::test]
async fn a_populated_commune_moves_to_postgresql_and_its_phones_sync_on() {
    // The commune on SQLite, with a little of everything.
    let dir = tempfile::tempdir().unwrap();
    let sqlite = format!("sqlite://{}", dir.path().join("commune.db").display());
    let server = TestServer::start_on(dir, &sqlite, gocua_server::connection::HEADER_TIMEOUT).await;
    let (trang, huy) = (server.login("tinhnguyen1").await, server.login("tinhnguyen2").await);
    let (leader, coordinator) = (server.login("totruong").await, server.login("dieuphoi").await);
    let households = [server.new_household(&trang).await, server.new_household(&huy).await];
    let visits: Vec<Value> = (0..12).map(|at| visit(&new_id(), &households[at % 2])).collect();
    let pushed: Value = server.push(&trang, &json!({"visits": visits})).await.json().await.unwrap();
    assert!(pushed["results"].as_array().unwrap().iter().all(|r| r["status"] == "applied"), "{pushed}");
    let deleted = visits[0]["id"].as_str().unwrap();
    server.push(&trang, &json!({"deleted_visits": [deleted]})).await;
    let voided = format!("/api/v1/visits/{}", visits[1]["id"].as_str().unwrap());
    assert_eq!(server.delete(&leader, &voided).await.0, 204);
    let session = common::community_session(&new_id(), server.village_id(&huy).await);
    server.push(&huy, &json!({"community_sessions": [session]})).await;
    let (status, _) = server.send_json(Method::POST, &leader, "/api/v1/invites", &json!({})).await;
    assert_eq!(status, 201);
    let erased = format!("/api/v1/households/{}/personal-data", households[1]);
    assert_eq!(server.delete(&coordinator, &erased).await.0, 200);
    // This quarter's report, sent upward: kept as sent, across the move.
    let quarter = gocua_domain::report::Quarter::of(gocua_domain::time::today(chrono::Utc::now())).to_string();
    let body = json!({"quarter": quarter});
    let (status, sent) =
        server.send_json(Method::POST, &coordinator, "/api/v1/reports/quarterly/submission", &body).await;
    assert_eq!(status, 200, "{sent}");
    // Trang's phone is up to date: its cursor is where the log ends.
    let trang_cursor = server.pull(&trang, None, Some(1000)).await["cursor"].as_str().unwrap().to_owned();

    let tokens =
        [("trang", trang.as_str()), ("huy", huy.as_str()), ("leader", leader.as_str()), ("coordinator", &coordinator)];
    let before = everything(&server, &tokens).await;
    let dir = server.stop().await;

    // Copied into an empty PostgreSQL database.
    let postgres = common::postgres_database(&dir.path().join("moved"));
    let copy = Command::new(env!("CARGO_BIN_EXE_gocua-server"))
        .args(["copy", "--from", &sqlite, "--to", &postgres])
        .output()
        .unwrap();
    assert!(copy.status.success(), "{}", String::from_utf8_lossy(&copy.stderr));
    assert!(String::from_utf8_lossy(&copy.stdout).contains("visits: 12"), "{}", String::from_utf8_lossy(&copy.stdout));
    // A second copy into it is refused: it holds a commune now.
    let again = Command::new(env!("CARGO_BIN_EXE_gocua-server"))
        .args(["copy", "--from", &sqlite, "--to", &postgres])
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already holds communes"));

    // Everyone reads exactly what they read before, signed in as they were.
    let server = TestServer::start_on(dir, &postgres, gocua_server::connection::HEADER_TIMEOUT).await;
    let after = everything(&server, &tokens).await;
    for ((read, was), (_, is)) in before.iter().zip(&after) {
        assert_eq!(was, is, "{read}");
    }

    // Trang's phone pulls on from its cursor: nothing new; then only what Huy's
    // next visit changed for her (her household's visits: she sees her own visits only).
    let page = server.pull(&trang, Some(&trang_cursor), Some(1000)).await;
    assert_eq!(page["changes"], json!([]), "no fresh download: {page}");
    let next = visit(&new_id(), &households[0]);
    let answer: Value = server.push(&huy, &json!({"visits": [next]})).await.json().await.unwrap();
    assert_eq!(answer["results"][0]["status"], "applied", "{answer}");
    let page = server.pull(&trang, Some(&trang_cursor), Some(1000)).await;
    let changes = page["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "{page}");
    assert_eq!(changes[0]["household"]["id"].as_str(), Some(households[0].as_str()));
    assert_eq!(changes[0]["visits"]["last"]["by"], "Đỗ Quang Huy", "{page}");
    // New records get new ids: the sequences moved past the copied ones.
    let (status, invite) = server.send_json(Method::POST, &leader, "/api/v1/invites", &json!({})).await;
    assert_eq!(status, 201, "{invite}");
}
