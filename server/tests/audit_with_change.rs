//! Every audit-log entry commits in the same transaction as the change it
//! records: when the entry cannot be written, the change is not made either.
//! A trigger in the test's database (SQLite's or PostgreSQL's) refuses the
//! audit entry of one action at a time; the request then fails, and nothing
//! of it is left behind.

use crate::common::{self, TestServer};
use gocua_server::db::Engine;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// Makes the database refuse audit entries of `action`, in the dialect of its engine.
async fn refuse_audit_of(server: &TestServer, action: &str) {
    let statements = match common::engine() {
        Engine::Sqlite => vec![
            "DROP TRIGGER IF EXISTS refuse_audit".to_owned(),
            format!(
                "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log WHEN NEW.action = '{action}'
                 BEGIN SELECT RAISE(ABORT, 'audit refused by the test'); END"
            ),
        ],
        Engine::Postgres => vec![
            format!(
                "CREATE OR REPLACE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$
                 BEGIN
                     IF NEW.action = '{action}' THEN RAISE EXCEPTION 'audit refused by the test'; END IF;
                     RETURN NEW;
                 END $$"
            ),
            "DROP TRIGGER IF EXISTS refuse_audit ON audit_log".to_owned(),
            "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION refuse_audit()"
                .to_owned(),
        ],
    };
    for statement in statements {
        common::execute_sql(&server.database_url(), &statement, &[]).await;
    }
}

async fn names(server: &TestServer, token: &str, path: &str, list: &str) -> Vec<String> {
    let (_, body) = server.get_json(token, path).await;
    body[list].as_array().unwrap().iter().map(|item| item["name"].as_str().unwrap_or_default().to_owned()).collect()
}

#[tokio::test]
async fn a_change_whose_audit_entry_fails_is_not_made() {
    let server = TestServer::start().await;
    let (coordinator, leader) = (server.login("dieuphoi").await, server.login("totruong").await);

    refuse_audit_of(&server, "village.created").await;
    let village = json!({"name": "Thôn Không Ghi", "households": 5});
    let (status, _) = server.send_json(Method::POST, &coordinator, "/api/v1/villages", &village).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(!names(&server, &coordinator, "/api/v1/villages", "villages").await.contains(&"Thôn Không Ghi".into()));

    refuse_audit_of(&server, "team.changed").await;
    let (_, teams) = server.get_json(&coordinator, "/api/v1/teams").await;
    let team = &teams["teams"][0];
    let path = format!("/api/v1/teams/{}", team["id"]);
    let (status, _) = server.send_json(Method::PATCH, &coordinator, &path, &json!({"name": "Tổ Đổi Tên"})).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(names(&server, &coordinator, "/api/v1/teams", "teams")
        .await
        .contains(&team["name"].as_str().unwrap().into()));

    refuse_audit_of(&server, "account.created").await;
    let account = json!({"username": "khongghi", "display_name": "Không Ghi", "role": "volunteer",
                         "team_id": team["id"], "password": "mat-khau-dai-du"});
    let (status, _) = server.send_json(Method::POST, &coordinator, "/api/v1/users", &account).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    let (_, users) = server.get_json(&coordinator, "/api/v1/users").await;
    assert!(!users.to_string().contains("khongghi"), "{users}");

    refuse_audit_of(&server, "invite.created").await;
    let (status, _) = server.send_json(Method::POST, &leader, "/api/v1/invites", &json!({})).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    let (_, invites) = server.get_json(&leader, "/api/v1/invites").await;
    assert_eq!(invites["invites"], json!([]));

    refuse_audit_of(&server, "skill.changed").await;
    let path = "/api/v1/catalogue/payment.qr";
    let (status, _) = server.send_json(Method::PATCH, &coordinator, path, &json!({"retired": true})).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    let (_, catalogue) = server.get_json(&coordinator, "/api/v1/catalogue").await;
    let skill = catalogue["skills"].as_array().unwrap().iter().find(|s| s["code"] == "payment.qr").cloned();
    assert_eq!(skill.unwrap()["retired"], false);

    refuse_audit_of(&server, "account.deactivated").await;
    let volunteer = server.login("tinhnguyen1").await;
    let (_, me) = server.get_json(&volunteer, "/api/v1/me").await;
    let path = format!("/api/v1/users/{}", me["user_id"]);
    let (status, _) = server.send_json(Method::PATCH, &coordinator, &path, &json!({"active": false})).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    let (status, _): (StatusCode, Value) = server.get_json(&volunteer, "/api/v1/me").await;
    assert_eq!(status, StatusCode::OK, "the account stays active and its phone signed in");
}
