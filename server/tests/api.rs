//! The API as a phone sees it, over real HTTP with a real SQLite file.

use crate::common::{household, new_id, visit, TestServer};
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
    let (household_id, visit_id) = (new_id(), new_id());
    let batch = json!({"households": [household(&household_id, village)], "visits": [visit(&visit_id, &household_id)]});

    let first: Value = server.push(&token, &batch).await.json().await.unwrap();
    assert_eq!(
        first["results"],
        json!([
            {"kind": "household", "id": household_id, "status": "applied", "revision": 1},
            {"kind": "visit", "id": visit_id, "status": "applied", "revision": 1}
        ])
    );
    let second: Value = server.push(&token, &batch).await.json().await.unwrap();
    assert_eq!(
        second["results"],
        json!([
            {"kind": "household", "id": household_id, "status": "duplicate", "revision": 1},
            {"kind": "visit", "id": visit_id, "status": "duplicate", "revision": 1}
        ])
    );

    let stored = server.visits(&token).await;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0]["id"], visit_id.as_str());
    assert_eq!(stored[0]["household_id"], household_id.as_str());
    assert_eq!(
        stored[0]["skills"],
        json!([{"code": "payment.qr", "completed": false}, {"code": "vneid.level2", "completed": true}])
    );
}

#[tokio::test]
async fn the_same_revision_with_other_content_is_a_conflict_and_changes_nothing() {
    let server = TestServer::start().await;
    let token = server.login("tinhnguyen1").await;
    let household_id = server.new_household(&token).await;
    let id = new_id();
    server.push(&token, &json!({"visits": [visit(&id, &household_id)]})).await;

    let mut changed = visit(&id, &household_id);
    changed["note"] = json!("Nội dung khác");
    let answer: Value = server.push(&token, &json!({"visits": [changed]})).await.json().await.unwrap();
    assert_eq!(answer["results"][0]["status"], "conflict");
    assert!(answer["results"][0]["message"].as_str().is_some());

    let other = server.login("tinhnguyen2").await;
    let answer: Value =
        server.push(&other, &json!({"visits": [visit(&id, &household_id)]})).await.json().await.unwrap();
    assert_eq!(answer["results"][0]["status"], "conflict", "another author cannot claim the visit");

    let stored = server.visits(&token).await;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0]["note"], "Bà cụ đã tự quét mã QR.");
}

#[tokio::test]
async fn a_batch_with_one_invalid_visit_stores_the_others_and_names_the_bad_one() {
    let server = TestServer::start().await;
    let token = server.login("tinhnguyen1").await;
    let household_id = server.new_household(&token).await;
    let (good, bad, wrong_shape, no_household) = (new_id(), new_id(), new_id(), new_id());
    let mut invalid = visit(&bad, &household_id);
    invalid["people"] = json!({});
    invalid["follow_up"] = json!({"on": "2026-03-01", "reason": "Quay lại"});
    let mut malformed = visit(&wrong_shape, &household_id);
    malformed["people"] = json!("hai người");
    let batch = json!({"visits": [visit(&good, &household_id), invalid, malformed, visit(&no_household, &new_id())]});

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
            {"field": "people", "code": "nobody_guided"},
            {"field": "follow_up.on", "code": "before_visit"}
        ])
    );
    assert!(results[1]["message"].as_str().unwrap().contains("Số người được hướng dẫn"));
    assert_eq!(results[2]["id"], wrong_shape.as_str());
    assert_eq!(results[2]["status"], "rejected");
    assert_eq!(results[3]["errors"], json!([{"field": "household_id", "code": "unknown_household"}]));

    let stored = server.visits(&token).await;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0]["id"], good.as_str());
}

#[tokio::test]
async fn a_household_in_another_communes_village_is_rejected() {
    let server = TestServer::start().await;
    let token = server.login("tinhnguyen1").await;
    let id = new_id();
    let answer: Value =
        server.push(&token, &json!({"households": [household(&id, 999_999)]})).await.json().await.unwrap();
    assert_eq!(answer["results"][0]["errors"], json!([{"field": "village_id", "code": "unknown_village"}]));
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
async fn a_batch_over_the_change_limit_is_a_413() {
    let server = TestServer::start().await;
    let token = server.login("tinhnguyen1").await;
    let household_id = server.new_household(&token).await;
    let visits: Vec<Value> =
        (0..=gocua_domain::sync::MAX_PUSH_CHANGES).map(|_| visit(&new_id(), &household_id)).collect();
    let response = server.push(&token, &json!({"visits": visits})).await;
    assert_eq!(response.status(), 413);
    assert_eq!(error_code(response).await, "too_many_changes");
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
    let household_id = server.new_household(&one).await;
    server.push(&one, &json!({"visits": [visit(&new_id(), &household_id)]})).await;
    server.push(&two, &json!({"visits": [visit(&new_id(), &household_id)]})).await;

    assert_eq!(server.visits(&one).await.len(), 1, "a volunteer reads their own visits");
    assert_eq!(server.visits(&server.login("totruong").await).await.len(), 2, "a leader reads the team's");
    assert_eq!(server.visits(&server.login("dieuphoi").await).await.len(), 2, "a coordinator reads the commune's");
}

#[tokio::test]
async fn visits_survive_a_server_restart() {
    let server = TestServer::start().await;
    let token = server.login("tinhnguyen1").await;
    let household_id = server.new_household(&token).await;
    let id = new_id();
    server.push(&token, &json!({"visits": [visit(&id, &household_id)]})).await;

    let server = TestServer::start_in(server.stop().await).await;
    let answer: Value =
        server.push(&token, &json!({"visits": [visit(&id, &household_id)]})).await.json().await.unwrap();
    assert_eq!(answer["results"][0]["status"], "duplicate", "the session and the visit outlive the restart");
    assert_eq!(server.visits(&token).await.len(), 1);
}

#[tokio::test]
async fn guesses_sent_all_at_once_get_no_more_tries_than_one_after_another() {
    let server = TestServer::start().await;
    let guesses: Vec<_> = (0..20)
        .map(|i| {
            let (client, url) = (server.client.clone(), server.url("/api/v1/auth/login"));
            let password = if i == 19 { "gocua-demo".to_owned() } else { format!("doan-mo-{i}") };
            tokio::spawn(async move {
                let body = json!({"username": "tinhnguyen1", "password": password});
                client.post(url).json(&body).send().await.unwrap().status().as_u16()
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for guess in guesses {
        statuses.push(guess.await.unwrap());
    }
    let checked = statuses.iter().filter(|status| **status != 429).count();
    assert!(
        checked <= gocua_server::rate_limit::PER_ACCOUNT,
        "at most the allowance is checked, the rest wait: {statuses:?}"
    );
    assert!(statuses.iter().all(|status| [200, 401, 429].contains(status)), "{statuses:?}");
}

#[tokio::test]
async fn repeated_wrong_passwords_are_slowed_down_with_retry_after() {
    let server = TestServer::start().await;
    let attempt = |username: &'static str, password: &'static str| {
        let (client, url) = (server.client.clone(), server.url("/api/v1/auth/login"));
        async move { client.post(url).json(&json!({"username": username, "password": password})).send().await.unwrap() }
    };
    for _ in 0..gocua_server::rate_limit::PER_ACCOUNT {
        assert_eq!(attempt("tinhnguyen1", "doan-mo").await.status(), 401);
    }
    let limited = attempt("tinhnguyen1", "gocua-demo").await;
    assert_eq!(limited.status(), 429, "even the right password waits");
    assert!(limited.headers()["retry-after"].to_str().unwrap().parse::<u64>().unwrap() > 0);
    assert_eq!(error_code(limited).await, "too_many_attempts");

    for _ in 0..gocua_server::rate_limit::PER_ACCOUNT {
        assert_eq!(attempt("khong-co-ai", "doan-mo").await.status(), 401);
    }
    assert_eq!(attempt("khong-co-ai", "doan-mo").await.status(), 429, "unknown accounts are limited alike");
    assert_eq!(attempt("tinhnguyen2", "gocua-demo").await.status(), 200, "other accounts still sign in");
}

#[tokio::test]
async fn the_visit_list_comes_in_pages_that_neither_repeat_nor_skip() {
    let server = TestServer::start().await;
    let volunteer = server.login("tinhnguyen1").await;
    let household_id = server.new_household(&volunteer).await;
    // Two at the same moment: the id orders them.
    let times = [
        "2026-03-02T03:00:00Z",
        "2026-03-03T03:00:00Z",
        "2026-03-03T03:00:00Z",
        "2026-03-04T03:00:00.5Z",
        "2026-03-05T03:00:00Z",
    ];
    let visits: Vec<Value> = times
        .iter()
        .map(|at| {
            let mut visit = visit(&new_id(), &household_id);
            visit["visited_at"] = json!(at);
            visit
        })
        .collect();
    let answer: Value = server.push(&volunteer, &json!({"visits": visits})).await.json().await.unwrap();
    assert!(answer["results"].as_array().unwrap().iter().all(|result| result["status"] == "applied"), "{answer}");

    let (status, whole) = server.get_json(&volunteer, "/api/v1/visits").await;
    assert_eq!(status, 200);
    assert!(whole["next_before"].is_null(), "one page holds them all: {whole}");
    let whole = whole["visits"].as_array().unwrap().clone();
    assert_eq!(whole.len(), 5);

    let (mut paged, mut pages, mut before) = (Vec::new(), 0, None::<String>);
    loop {
        let path = match &before {
            Some(before) => format!("/api/v1/visits?limit=2&before={before}"),
            None => "/api/v1/visits?limit=2".to_owned(),
        };
        let (status, page) = server.get_json(&volunteer, &path).await;
        assert_eq!(status, 200, "{page}");
        pages += 1;
        paged.extend(page["visits"].as_array().unwrap().iter().cloned());
        match page["next_before"].as_str() {
            Some(next) => before = Some(next.to_owned()),
            None => break,
        }
    }
    assert_eq!(pages, 3, "two, two and one: the last page says null, no empty page is needed");
    assert_eq!(paged, whole, "the pages are the whole list, in its order");

    for bad in ["limit=0", "limit=1001", "limit=two", "before=12", "before=x.0193a3c4-0000-7f80-9a1b-2c3d4e5f6a71"] {
        let (status, body) = server.get_json(&volunteer, &format!("/api/v1/visits?{bad}")).await;
        assert_eq!(status, 400, "{bad}: {body}");
        assert!(body["error"]["message"].as_str().is_some_and(|message| !message.is_empty()), "{bad}: {body}");
    }
}
