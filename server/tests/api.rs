//! The API as a phone sees it, over real HTTP with a real SQLite file.

mod common;

use common::{new_id, visit, TestServer};
use serde_json::{json, Value};

async fn error_code(response: reqwest::Response) -> String {
    let body: Value = response.json().await.expect("errors are JSON");
    assert!(body["error"]["message"].as_str().is_some_and(|message| !message.is_empty()));
    body["error"]["code"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn sign_in_returns_a_token_and_the_profile() {
    let server = TestServer::start().await;
    let response = server
        .client
        .post(server.url("/api/v1/auth/login"))
        .json(&json!({"username": "  TinhNguyen1 ", "password": "gocua-demo"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert!(body["token"].as_str().unwrap().len() >= 40);
    assert_eq!(body["profile"]["display_name"], "Phạm Thu Trang");
    assert_eq!(body["profile"]["role"], "volunteer");
    assert_eq!(body["profile"]["commune"]["name"], "Kiến Minh");
    assert_eq!(body["profile"]["villages"].as_array().unwrap().len(), 4);
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_user_get_the_same_answer() {
    let server = TestServer::start().await;
    let mut answers = Vec::new();
    for (username, password) in [("tinhnguyen1", "sai-mat-khau"), ("khong-co-ai", "gocua-demo")] {
        let response = server
            .client
            .post(server.url("/api/v1/auth/login"))
            .json(&json!({"username": username, "password": password}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 401);
        answers.push(response.text().await.unwrap());
    }
    assert_eq!(answers[0], answers[1]);
    assert!(answers[0].contains("invalid_credentials"));
}

#[tokio::test]
async fn requests_without_a_valid_token_are_refused() {
    let server = TestServer::start().await;
    let no_token = server.client.get(server.url("/api/v1/visits")).send().await.unwrap();
    assert_eq!(no_token.status(), 401);
    assert_eq!(error_code(no_token).await, "unauthorized");

    let bad_token = server.push("not-a-real-token", &json!({"visits": []})).await;
    assert_eq!(bad_token.status(), 401);
    assert_eq!(error_code(bad_token).await, "unauthorized");
}

#[tokio::test]
async fn signing_out_ends_the_session() {
    let server = TestServer::start().await;
    let token = server.login("tinhnguyen1").await;
    let response = server.client.post(server.url("/api/v1/auth/logout")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(response.status(), 204);
    let me = server.client.get(server.url("/api/v1/me")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(me.status(), 401);
}

#[tokio::test]
async fn push_twice_stores_once() {
    let server = TestServer::start().await;
    let token = server.login("tinhnguyen1").await;
    let village = server.village_id(&token).await;
    let id = new_id();
    let batch = json!({"visits": [visit(&id, village)]});

    let first: Value = server.push(&token, &batch).await.json().await.unwrap();
    assert_eq!(first["results"][0], json!({"id": id, "status": "applied"}));
    let second: Value = server.push(&token, &batch).await.json().await.unwrap();
    assert_eq!(second["results"][0], json!({"id": id, "status": "duplicate"}));

    let stored = server.visits(&token).await;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0]["id"], id.as_str());
    assert_eq!(stored[0]["household"]["head_name"], "Nguyễn Văn An");
    assert_eq!(stored[0]["skills"], json!(["payment.qr", "vneid.level2"]));
}

#[tokio::test]
async fn the_same_id_with_other_content_is_a_conflict_and_changes_nothing() {
    let server = TestServer::start().await;
    let token = server.login("tinhnguyen1").await;
    let village = server.village_id(&token).await;
    let id = new_id();
    server.push(&token, &json!({"visits": [visit(&id, village)]})).await;

    let mut changed = visit(&id, village);
    changed["note"] = json!("Nội dung khác");
    let answer: Value = server.push(&token, &json!({"visits": [changed]})).await.json().await.unwrap();
    assert_eq!(answer["results"][0]["status"], "conflict");

    let other = server.login("tinhnguyen2").await;
    let answer: Value = server.push(&other, &json!({"visits": [visit(&id, village)]})).await.json().await.unwrap();
    assert_eq!(answer["results"][0]["status"], "conflict", "another author cannot claim the visit");

    let stored = server.visits(&token).await;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0]["note"], "Bà cụ đã tự quét mã QR.");
}

#[tokio::test]
async fn a_batch_with_one_invalid_visit_stores_the_others_and_names_the_bad_one() {
    let server = TestServer::start().await;
    let token = server.login("tinhnguyen1").await;
    let village = server.village_id(&token).await;
    let (good, bad, wrong_shape, wrong_village) = (new_id(), new_id(), new_id(), new_id());
    let mut invalid = visit(&bad, village);
    invalid["household"]["head_name"] = json!("  ");
    invalid["people"] = json!({});
    let mut malformed = visit(&wrong_shape, village);
    malformed["people"] = json!("hai người");
    let batch = json!({"visits": [visit(&good, village), invalid, malformed, visit(&wrong_village, 999_999)]});

    let response = server.push(&token, &batch).await;
    assert_eq!(response.status(), 200);
    let answer: Value = response.json().await.unwrap();
    let results = answer["results"].as_array().unwrap();
    assert_eq!(results[0]["status"], "applied");
    assert_eq!(results[1]["id"], bad.as_str());
    assert_eq!(results[1]["status"], "rejected");
    assert_eq!(
        results[1]["errors"],
        json!([
            {"field": "household.head_name", "code": "required"},
            {"field": "people", "code": "nobody_guided"}
        ])
    );
    assert!(results[1]["message"].as_str().unwrap().contains("Tên chủ hộ"));
    assert_eq!(results[2]["id"], wrong_shape.as_str());
    assert_eq!(results[2]["status"], "rejected");
    assert_eq!(results[3]["errors"], json!([{"field": "village_id", "code": "unknown_village"}]));

    let stored = server.visits(&token).await;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0]["id"], good.as_str());
}

#[tokio::test]
async fn malformed_json_is_a_400_in_the_error_shape() {
    let server = TestServer::start().await;
    let token = server.login("tinhnguyen1").await;
    for body in ["{\"visits\": [", "[1, 2]", "{\"visits\": \"none\"}"] {
        let response = server
            .client
            .post(server.url("/api/v1/sync/push"))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 400, "body {body:?}");
        assert_eq!(error_code(response).await, "bad_request");
    }
    let no_content_type = server.client.post(server.url("/api/v1/auth/login")).body("{}").send().await.unwrap();
    assert_eq!(no_content_type.status(), 400);
}

#[tokio::test]
async fn an_oversized_body_is_a_413_in_the_error_shape() {
    let server = TestServer::start().await;
    let token = server.login("tinhnguyen1").await;
    let huge = json!({"visits": [], "padding": "x".repeat(gocua_domain::sync::MAX_PUSH_BYTES + 1)});
    let response = server.push(&token, &huge).await;
    assert_eq!(response.status(), 413);
    assert_eq!(error_code(response).await, "payload_too_large");
}

#[tokio::test]
async fn a_batch_over_the_visit_limit_is_a_413() {
    let server = TestServer::start().await;
    let token = server.login("tinhnguyen1").await;
    let village = server.village_id(&token).await;
    let visits: Vec<Value> = (0..=gocua_domain::sync::MAX_PUSH_VISITS).map(|_| visit(&new_id(), village)).collect();
    let response = server.push(&token, &json!({"visits": visits})).await;
    assert_eq!(response.status(), 413);
    assert_eq!(error_code(response).await, "too_many_visits");
    assert!(server.visits(&token).await.is_empty(), "nothing of a refused batch is stored");
}

#[tokio::test]
async fn unknown_api_routes_and_methods_answer_in_the_error_shape() {
    let server = TestServer::start().await;
    let missing = server.client.get(server.url("/api/v1/nothing-here")).send().await.unwrap();
    assert_eq!(missing.status(), 404);
    assert_eq!(error_code(missing).await, "not_found");
    let wrong_method = server.client.get(server.url("/api/v1/sync/push")).send().await.unwrap();
    assert_eq!(wrong_method.status(), 405);
    assert_eq!(error_code(wrong_method).await, "method_not_allowed");
}

#[tokio::test]
async fn each_role_reads_the_visits_in_its_scope() {
    let server = TestServer::start().await;
    let (one, two) = (server.login("tinhnguyen1").await, server.login("tinhnguyen2").await);
    let village = server.village_id(&one).await;
    server.push(&one, &json!({"visits": [visit(&new_id(), village)]})).await;
    server.push(&two, &json!({"visits": [visit(&new_id(), village)]})).await;

    assert_eq!(server.visits(&one).await.len(), 1, "a volunteer reads their own visits");
    assert_eq!(server.visits(&server.login("totruong").await).await.len(), 2, "a leader reads the team's");
    assert_eq!(server.visits(&server.login("dieuphoi").await).await.len(), 2, "a coordinator reads the commune's");
}

#[tokio::test]
async fn visits_survive_a_server_restart() {
    let server = TestServer::start().await;
    let token = server.login("tinhnguyen1").await;
    let village = server.village_id(&token).await;
    let id = new_id();
    server.push(&token, &json!({"visits": [visit(&id, village)]})).await;

    let server = TestServer::start_in(server.stop().await).await;
    let answer: Value = server.push(&token, &json!({"visits": [visit(&id, village)]})).await.json().await.unwrap();
    assert_eq!(answer["results"][0]["status"], "duplicate", "the session and the visit outlive the restart");
    assert_eq!(server.visits(&token).await.len(), 1);
}
