//! Accounts, devices and invites, as leaders, coordinators and new volunteers
//! use them over HTTP.

use crate::common::{self, TestServer};
use reqwest::StatusCode;
use serde_json::{json, Value};

const ANDROID_CHROME: &str =
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36";

impl TestServer {
    async fn login_from(&self, username: &str, user_agent: &str) -> String {
        let response = self
            .client
            .post(self.url("/api/v1/auth/login"))
            .header("User-Agent", user_agent)
            .json(&json!({"username": username, "password": gocua_server::demo::PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        response.json::<Value>().await.unwrap()["token"].as_str().unwrap().to_owned()
    }

    async fn user_id(&self, token: &str) -> i64 {
        self.get_json(token, "/api/v1/me").await.1["user_id"].as_i64().unwrap()
    }

    async fn invite(&self, token: &str, body: Value) -> (StatusCode, Value) {
        self.send_json(reqwest::Method::POST, token, "/api/v1/invites", &body).await
    }

    async fn join(&self, code: &str, username: &str) -> (StatusCode, Value) {
        let body =
            json!({"code": code, "username": username, "display_name": "Vũ Thị Lan", "password": "mật khẩu mới"});
        let response = self.client.post(self.url("/api/v1/auth/join")).json(&body).send().await.unwrap();
        (response.status(), response.json().await.unwrap())
    }
}

#[tokio::test]
async fn a_user_sees_their_devices_and_a_revoked_one_is_told_at_its_next_sync() {
    let server = TestServer::start().await;
    let phone = server.login_from("tinhnguyen1", ANDROID_CHROME).await;
    let lost =
        server.login_from("tinhnguyen1", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) Safari/604.1").await;

    let (status, listed) = server.get_json(&phone, "/api/v1/auth/sessions").await;
    assert_eq!(status, 200);
    let sessions = listed["sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 2);
    let current: Vec<_> = sessions.iter().filter(|s| s["current"] == true).collect();
    assert_eq!(current.len(), 1);
    assert_eq!(current[0]["device"], "Chrome · Android");
    let lost_session = sessions.iter().find(|s| s["current"] == false).unwrap();
    assert_eq!(lost_session["device"], "Safari · iOS");

    let path = format!("/api/v1/auth/sessions/{}", lost_session["id"]);
    assert_eq!(server.delete(&phone, &path).await.0, StatusCode::NO_CONTENT);
    assert_eq!(server.delete(&phone, &path).await.0, StatusCode::NOT_FOUND, "revoked once");

    let response = server.client.get(server.url("/api/v1/sync/pull")).bearer_auth(&lost).send().await.unwrap();
    assert_eq!(response.status(), 401);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "session_revoked");
    assert!(body["error"]["message"].as_str().unwrap().contains("thu hồi"));
    let (_, listed) = server.get_json(&phone, "/api/v1/auth/sessions").await;
    assert_eq!(listed["sessions"].as_array().unwrap().len(), 1, "the revoked device is gone from the list");

    // Someone else's session id is not found, not revoked.
    let other = server.login("tinhnguyen2").await;
    let (_, theirs) = server.get_json(&other, "/api/v1/auth/sessions").await;
    let path = format!("/api/v1/auth/sessions/{}", theirs["sessions"][0]["id"]);
    assert_eq!(server.delete(&phone, &path).await.0, StatusCode::NOT_FOUND);
    assert_eq!(server.get_json(&other, "/api/v1/me").await.0, 200);
}

#[tokio::test]
async fn a_leader_revokes_a_members_lost_phone_and_deactivates_a_member() {
    let server = TestServer::start().await;
    crate::common::add_neighbours(&server).await;
    let leader = server.login("totruong").await;
    let member = server.login("tinhnguyen1").await;
    let member_id = server.user_id(&member).await;

    let (status, team) = server.get_json(&leader, "/api/v1/users").await;
    assert_eq!(status, 200);
    let names: Vec<&str> = team["users"].as_array().unwrap().iter().map(|u| u["username"].as_str().unwrap()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(sorted, ["tinhnguyen1", "tinhnguyen2", "totruong"]);
    assert!(!names.contains(&"dieuphoi") && !names.contains(&"khac-to"), "only the team: {names:?}");

    let (status, devices) = server.get_json(&leader, &format!("/api/v1/users/{member_id}/sessions")).await;
    assert_eq!(status, 200);
    let session_id = devices["sessions"][0]["id"].as_i64().unwrap();
    let (status, _) = server.delete(&leader, &format!("/api/v1/users/{member_id}/sessions/{session_id}")).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(server.get_json(&member, "/api/v1/me").await.1["error"]["code"], "session_revoked");

    // Deactivating: every device stops, and signing in is refused like a wrong password.
    let again = server.login("tinhnguyen1").await;
    let (status, account) = server
        .send_json(reqwest::Method::PATCH, &leader, &format!("/api/v1/users/{member_id}"), &json!({"active": false}))
        .await;
    assert_eq!(status, 200, "{account}");
    assert_eq!(account["active"], false);
    assert_eq!(server.get_json(&again, "/api/v1/me").await.1["error"]["code"], "session_revoked");
    let refused = server
        .client
        .post(server.url("/api/v1/auth/login"))
        .json(&json!({"username": "tinhnguyen1", "password": gocua_server::demo::PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 401);
    let (status, _) = server
        .send_json(reqwest::Method::PATCH, &leader, &format!("/api/v1/users/{member_id}"), &json!({"active": true}))
        .await;
    assert_eq!(status, 200);
    server.login("tinhnguyen1").await;

    // A leader renames nobody, and manages neither the coordinator nor another team's member.
    let (status, _) = server
        .send_json(
            reqwest::Method::PATCH,
            &leader,
            &format!("/api/v1/users/{member_id}"),
            &json!({"display_name": "X"}),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let coordinator_id = server.user_id(&server.login("dieuphoi").await).await;
    let outsider_id = server.user_id(&server.login("khac-to").await).await;
    let path = format!("/api/v1/users/{coordinator_id}");
    assert_eq!(
        server.send_json(reqwest::Method::PATCH, &leader, &path, &json!({"active": false})).await.0,
        StatusCode::NOT_FOUND
    );
    let path = format!("/api/v1/users/{outsider_id}/sessions");
    assert_eq!(server.get_json(&leader, &path).await.0, StatusCode::NOT_FOUND);
    // A volunteer manages nobody.
    let volunteer = server.login("tinhnguyen2").await;
    assert_eq!(server.get_json(&volunteer, "/api/v1/users").await.0, StatusCode::FORBIDDEN);
    let path = format!("/api/v1/users/{member_id}");
    assert_eq!(
        server.send_json(reqwest::Method::PATCH, &volunteer, &path, &json!({"active": false})).await.0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_volunteer_joins_with_an_invite_that_works_once() {
    let server = TestServer::start().await;
    let leader = server.login("totruong").await;
    let (status, created) = server.invite(&leader, json!({})).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let code = created["code"].as_str().unwrap().to_owned();
    assert_eq!(code.len(), 11, "ABCDE-FGHJK: {code}");
    assert_eq!(created["role"], "volunteer");
    assert_eq!(created["team"]["name"], gocua_server::demo::TEAM);
    assert_eq!(created["join_path"], format!("/join?code={}", code.replace('-', "")));
    assert!(created["qr_svg"].as_str().unwrap().contains("<svg"), "a QR code to scan");
    let (_, open) = server.get_json(&leader, "/api/v1/invites").await;
    assert_eq!(open["invites"].as_array().unwrap().len(), 1);
    assert!(open["invites"][0].get("code").is_none(), "the code is shown once, never listed");

    // Typed in lower case with spaces, as a volunteer might.
    let typed = format!(" {} ", code.to_lowercase().replace('-', " "));
    let (status, joined) = server.join(&typed, "vuthilan").await;
    assert_eq!(status, StatusCode::CREATED, "{joined}");
    assert_eq!(joined["profile"]["role"], "volunteer");
    assert_eq!(joined["profile"]["team"]["name"], gocua_server::demo::TEAM);
    assert_eq!(joined["profile"]["display_name"], "Vũ Thị Lan");
    let token = joined["token"].as_str().unwrap();
    assert_eq!(server.get_json(token, "/api/v1/me").await.0, 200);

    let (status, reused) = server.join(&code, "nguoikhac").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(reused["error"]["code"], "invite_used");
    let (_, open) = server.get_json(&leader, "/api/v1/invites").await;
    assert_eq!(open["invites"], json!([]), "a used invite is no longer open");

    let (_, audit) = server.get_json(&server.login("dieuphoi").await, "/api/v1/audit").await;
    let actions: Vec<&str> =
        audit["entries"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["account.joined", "invite.created"]);
}

#[tokio::test]
async fn invites_that_expired_were_cancelled_or_never_existed_are_refused() {
    let server = TestServer::start().await;
    let leader = server.login("totruong").await;
    let (_, expiring) = server.invite(&leader, json!({})).await;
    let (aged, id) = ("UPDATE invites SET expires_at = '2026-01-01T00:00:00Z' WHERE id = $1", expiring["id"].as_i64());
    common::execute_sql(&server.database_url(), aged, &[id.unwrap()]).await;
    let (status, answer) = server.join(expiring["code"].as_str().unwrap(), "vuthilan").await;
    assert_eq!((status, answer["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invite_expired")));
    assert!(answer["error"]["message"].as_str().unwrap().contains("hết hạn"));

    let (_, cancelled) = server.invite(&leader, json!({})).await;
    let path = format!("/api/v1/invites/{}", cancelled["id"]);
    assert_eq!(server.delete(&leader, &path).await.0, StatusCode::NO_CONTENT);
    let (_, answer) = server.join(cancelled["code"].as_str().unwrap(), "vuthilan").await;
    assert_eq!(answer["error"]["code"], "invite_unknown");
    let (_, answer) = server.join("AAAAA-BBBBB", "vuthilan").await;
    assert_eq!(answer["error"]["code"], "invite_unknown");

    // Bad fields are named, and the invite stays usable.
    let (_, fresh) = server.invite(&leader, json!({})).await;
    let body = json!({"code": fresh["code"], "username": "Vũ Lan", "display_name": "", "password": "ngắn"});
    let response = server.client.post(server.url("/api/v1/auth/join")).json(&body).send().await.unwrap();
    assert_eq!(response.status(), 400);
    let answer: Value = response.json().await.unwrap();
    assert_eq!(answer["error"]["code"], "validation_failed");
    let fields: Vec<&str> =
        answer["error"]["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["username", "display_name", "password"]);
    let (status, answer) = server.join(fresh["code"].as_str().unwrap(), "tinhnguyen1").await;
    assert_eq!(status, 400);
    assert_eq!(answer["error"]["fields"][0], json!({"field": "username", "code": "taken"}));
    assert_eq!(server.join(fresh["code"].as_str().unwrap(), "vuthilan").await.0, StatusCode::CREATED);
}

#[tokio::test]
async fn an_account_deactivated_or_given_another_role_leaves_no_open_invite_behind() {
    for change in [json!({"active": false}), json!({"role": "volunteer"})] {
        let server = TestServer::start().await;
        let leader = server.login("totruong").await;
        let (_, kept) = server.invite(&leader, json!({})).await;
        let coordinator = server.login("dieuphoi").await;
        let path = format!("/api/v1/users/{}", server.user_id(&leader).await);
        assert_eq!(server.send_json(reqwest::Method::PATCH, &coordinator, &path, &change).await.0, 200, "{change}");
        let (status, answer) = server.join(kept["code"].as_str().unwrap(), "vuthilan").await;
        let refused = (status, answer["error"]["code"].as_str());
        assert_eq!(refused, (StatusCode::BAD_REQUEST, Some("invite_unknown")), "after {change}");
    }
}

#[tokio::test]
async fn invites_stay_inside_their_team_and_commune() {
    let server = TestServer::start().await;
    crate::common::add_neighbours(&server).await;
    let leader = server.login("totruong").await;
    let other_leader = server.login("truong-khac-xa").await;
    let other_team: i64 = server.get_json(&other_leader, "/api/v1/me").await.1["team"]["id"].as_i64().unwrap();

    // Another commune's team is not found, whoever asks; a leader invites to their own team, as volunteers only.
    let coordinator = server.login("dieuphoi").await;
    assert_eq!(server.invite(&coordinator, json!({"team_id": other_team})).await.0, StatusCode::NOT_FOUND);
    assert_eq!(server.invite(&leader, json!({"team_id": other_team})).await.0, StatusCode::NOT_FOUND);
    let (_, neighbour) = server.get_json(&server.login("truong-khac-to").await, "/api/v1/me").await;
    let neighbour_team = json!({"team_id": neighbour["team"]["id"]});
    assert_eq!(server.invite(&leader, neighbour_team).await.0, StatusCode::FORBIDDEN, "another team of the commune");
    assert_eq!(server.invite(&leader, json!({"role": "leader"})).await.0, StatusCode::FORBIDDEN);
    assert_eq!(server.invite(&server.login("tinhnguyen1").await, json!({})).await.0, StatusCode::FORBIDDEN);

    // A code of the other commune joins that commune, never ours, whatever the phone claims.
    let (_, theirs) = server.invite(&other_leader, json!({})).await;
    let (_, joined) = server.join(theirs["code"].as_str().unwrap(), "nguoixakhac").await;
    assert_eq!(joined["profile"]["commune"]["name"], "Tiên Tiến");
    let (_, ours) = server.get_json(&leader, "/api/v1/invites").await;
    assert_eq!(ours["invites"], json!([]), "their invites are not listed to us");
    let path = format!("/api/v1/invites/{}", theirs["id"]);
    let (_, another) = server.invite(&other_leader, json!({})).await;
    assert_eq!(server.delete(&leader, &format!("/api/v1/invites/{}", another["id"])).await.0, StatusCode::NOT_FOUND);
    assert_eq!(server.delete(&coordinator, &path).await.0, StatusCode::NOT_FOUND);

    // A coordinator may invite a leader to any team of the commune.
    let (status, created) = server.invite(&coordinator, json!({"team_id": 1, "role": "leader"})).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
}

#[tokio::test]
async fn a_coordinator_creates_and_changes_accounts_and_reads_the_audit_log() {
    let server = TestServer::start().await;
    let coordinator = server.login("dieuphoi").await;
    let body = json!({"username": "totruong2", "display_name": "Hoàng Văn Nam", "role": "leader", "team_id": 1, "password": "mật khẩu tạm"});
    let (status, created) = server.send_json(reqwest::Method::POST, &coordinator, "/api/v1/users", &body).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["role"], "leader");
    let (status, answer) = server.send_json(reqwest::Method::POST, &coordinator, "/api/v1/users", &body).await;
    assert_eq!(status, 400);
    assert_eq!(answer["error"]["fields"][0], json!({"field": "username", "code": "taken"}));
    let no_team = json!({"username": "tnv3", "display_name": "A", "role": "volunteer", "password": "mật khẩu tạm"});
    let (_, answer) = server.send_json(reqwest::Method::POST, &coordinator, "/api/v1/users", &no_team).await;
    assert_eq!(answer["error"]["fields"][0], json!({"field": "team_id", "code": "required"}));

    let path = format!("/api/v1/users/{}", created["id"]);
    let change = json!({"role": "volunteer", "password": "mật khẩu mới đây"});
    let (status, changed) = server.send_json(reqwest::Method::PATCH, &coordinator, &path, &change).await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["role"], "volunteer");
    let response = server
        .client
        .post(server.url("/api/v1/auth/login"))
        .json(&json!({"username": "totruong2", "password": "mật khẩu mới đây"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "the new password works");

    let leader = server.login("totruong").await;
    assert_eq!(server.send_json(reqwest::Method::POST, &leader, "/api/v1/users", &body).await.0, StatusCode::FORBIDDEN);
    assert_eq!(server.get_json(&leader, "/api/v1/audit").await.0, StatusCode::FORBIDDEN);
    let (status, audit) = server.get_json(&coordinator, "/api/v1/audit?limit=1").await;
    assert_eq!(status, 200, "{audit}");
    assert_eq!(audit["entries"][0]["action"], "account.changed");
    assert_eq!(audit["entries"][0]["actor_name"], "Trần Thị Hoa");
    let before = audit["next_before"].as_i64().unwrap();
    let (_, older) = server.get_json(&coordinator, &format!("/api/v1/audit?before={before}")).await;
    assert_eq!(older["entries"][0]["action"], "account.created");
    assert_eq!(older["next_before"], Value::Null);
}
