//! The edges of the contract in docs/api.md, as a client written from it
//! alone would try them: bodies of the wrong shape, the API's root, empty
//! numbers, references outside the caller's reach, slow and early-answered
//! connections, formulas in spreadsheets and control characters in text.

use crate::common::{new_id, visit, TestServer};
use reqwest::Method;
use serde_json::{json, Value};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn audit_actions(server: &TestServer, coordinator: &str) -> Vec<String> {
    let (_, log) = server.get_json(coordinator, "/api/v1/audit?limit=1000").await;
    log["entries"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn a_list_where_an_object_is_documented_is_refused_and_changes_nothing() {
    let server = TestServer::start().await;
    let (volunteer, leader) = (server.login("tinhnguyen1").await, server.login("totruong").await);
    let coordinator = server.login("dieuphoi").await;
    let household_id = server.new_household(&volunteer).await;
    let before = audit_actions(&server, &coordinator).await;

    let (status, body) = server.send_json(Method::POST, &volunteer, "/api/v1/sync/push", &json!([])).await;
    assert_eq!((status.as_u16(), body["error"]["code"].as_str()), (400, Some("bad_request")), "{body}");
    let (status, _) = server.send_json(Method::POST, &leader, "/api/v1/invites", &json!([])).await;
    assert_eq!(status, 400);
    let path = format!("/api/v1/households/{household_id}");
    let (status, _) = server.send_json(Method::PATCH, &coordinator, &path, &json!([])).await;
    assert_eq!(status, 400);
    let (status, _) = server.send_json(Method::POST, &coordinator, "/api/v1/villages", &json!(["Thôn Mới", 10])).await;
    assert_eq!(status, 400);

    assert_eq!(audit_actions(&server, &coordinator).await, before, "no invite, correction or village was written");
    let (_, invites) = server.get_json(&leader, "/api/v1/invites").await;
    assert_eq!(invites["invites"].as_array().map(Vec::len), Some(0), "{invites}");
    let household = server.households(&volunteer).await.into_iter().find(|h| h["id"] == household_id.as_str());
    assert_eq!(household.unwrap()["revision"], 1);
}

#[tokio::test]
async fn people_sent_as_a_list_reject_the_visit_instead_of_being_read_as_counts() {
    let server = TestServer::start().await;
    let token = server.login("tinhnguyen1").await;
    let household_id = server.new_household(&token).await;
    let mut listed = visit(&new_id(), &household_id);
    listed["people"] = json!([1, 2]);
    let answer: Value = server.push(&token, &json!({"visits": [listed]})).await.json().await.unwrap();
    assert_eq!(answer["results"][0]["status"], "rejected", "{answer}");
    assert!(server.visits(&token).await.is_empty());
}

#[tokio::test]
async fn null_is_read_as_left_out_in_every_list_count_revision_and_consent_of_a_push() {
    let server = TestServer::start().await;
    let token = server.login("tinhnguyen1").await;
    let village = server.village_id(&token).await;
    let (household_id, visit_id) = (new_id(), new_id());
    let mut household = crate::common::household(&household_id, village);
    household["revision"] = Value::Null;
    household["consent"] = Value::Null;
    let mut guided = visit(&visit_id, &household_id);
    guided["revision"] = Value::Null;
    guided["people"] = json!({"adults": 2, "elderly": null, "workers": null});
    // What a client's empty lists often become in JSON (Go's nil slices, some serialisers' defaults).
    let body = json!({"households": [household], "visits": [guided], "deleted_visits": null,
        "community_sessions": null, "deleted_community_sessions": null});
    let answer: Value = server.push(&token, &body).await.json().await.unwrap();
    let statuses: Vec<&str> =
        answer["results"].as_array().unwrap().iter().map(|r| r["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["applied", "applied"], "{answer}");
    let household = server.households(&token).await.into_iter().find(|h| h["id"] == household_id.as_str()).unwrap();
    assert_eq!((household["revision"].as_u64(), household["consent"].as_bool()), (Some(1), Some(true)), "{household}");
    let visits = server.visits(&token).await;
    assert_eq!(visits[0]["people"], json!({"officials": 0, "pupils": 0, "adults": 2, "elderly": 0, "workers": 0}));
    assert_eq!(visits[0]["revision"], 1);
}

#[tokio::test]
async fn the_audit_logs_last_page_says_there_is_no_next_even_when_it_is_full() {
    let server = TestServer::start().await;
    let coordinator = server.login("dieuphoi").await;
    for name in ["Thôn Mới", "Thôn Giữa"] {
        let village = json!({"name": name, "households": 10});
        let (status, _) = server.send_json(Method::POST, &coordinator, "/api/v1/villages", &village).await;
        assert_eq!(status, 201);
    }
    let (_, all) = server.get_json(&coordinator, "/api/v1/audit?limit=200").await;
    let total = all["entries"].as_array().unwrap().len();
    assert!(total >= 2, "{all}");
    assert_eq!(all["next_before"], Value::Null, "{all}");
    // A page exactly as long as what is left is the last one.
    let (_, exact) = server.get_json(&coordinator, &format!("/api/v1/audit?limit={total}")).await;
    assert_eq!(exact["entries"].as_array().unwrap().len(), total);
    assert_eq!(exact["next_before"], Value::Null, "{exact}");
    let (_, first) = server.get_json(&coordinator, &format!("/api/v1/audit?limit={}", total - 1)).await;
    let before = first["next_before"].as_i64().expect("a next page");
    let (_, last) = server.get_json(&coordinator, &format!("/api/v1/audit?limit=1&before={before}")).await;
    assert_eq!((last["entries"].as_array().unwrap().len(), &last["next_before"]), (1, &Value::Null), "{last}");
}

#[tokio::test]
async fn days_at_the_edge_of_the_calendar_are_refused_and_the_server_stays_up() {
    let server = TestServer::start().await;
    let leader = server.login("totruong").await;
    // Signed years chrono reads; sums on them once made the server panic (and, built to abort, stop).
    for path in [
        "/api/v1/dashboard?from=%2B262142-12-31&to=%2B262142-12-31",
        "/api/v1/dashboard?from=1999-12-31&to=2000-01-01",
        "/api/v1/exports/visits.csv?from=-262143-01-01",
        "/api/v1/exports/visits.xlsx?to=%2B262142-12-31",
    ] {
        let (status, body) = server.get_json(&leader, path).await;
        assert_eq!((status.as_u16(), body["error"]["code"].as_str()), (400, Some("bad_request")), "{path}: {body}");
    }
    let (status, _) = server.get_json(&leader, "/api/v1/dashboard?from=2100-12-31&to=2100-12-31").await;
    assert_eq!(status, 200, "the last reportable day is answered");
}

#[tokio::test]
async fn answers_with_personal_data_are_never_kept_in_a_cache() {
    let server = TestServer::start().await;
    let token = server.login("tinhnguyen1").await;
    for path in ["/api/v1/households", "/api/v1/me", "/api/v1/sync/pull"] {
        let response = server.client.get(server.url(path)).bearer_auth(&token).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(response.headers()["cache-control"], "no-store", "{path}");
    }
}

#[tokio::test]
async fn the_api_root_and_unknown_api_paths_answer_the_json_404_for_any_method() {
    let server = TestServer::start().await;
    for (method, path) in
        [(Method::GET, "/api/v1/"), (Method::GET, "/api/v1"), (Method::POST, "/api/v1/"), (Method::GET, "/api/v2/sync")]
    {
        let response = server.client.request(method.clone(), server.url(path)).send().await.unwrap();
        assert_eq!(response.status(), 404, "{method} {path}");
        assert_eq!(response.headers()["cache-control"], "no-store", "{method} {path}");
        let body: Value = response.json().await.unwrap_or(Value::Null);
        assert_eq!(body["error"]["code"], "not_found", "{method} {path}: {body}");
    }
}

#[tokio::test]
async fn role_and_reach_are_answered_before_the_body_is_read() {
    let server = TestServer::start().await;
    let (volunteer, leader) = (server.login("tinhnguyen1").await, server.login("totruong").await);
    let coordinator = server.login("dieuphoi").await;
    let household_id = server.new_household(&volunteer).await;
    let (_, me) = server.get_json(&volunteer, "/api/v1/me").await;
    let volunteer_id = me["user_id"].as_i64().unwrap();
    let malformed = [json!([]), json!({"label": 5, "name": 5, "username": 5, "display_name": 5})];
    let forbidden = [
        (Method::POST, "/api/v1/users".to_owned()),
        (Method::POST, "/api/v1/teams".to_owned()),
        (Method::POST, "/api/v1/villages".to_owned()),
        (Method::POST, "/api/v1/catalogue".to_owned()),
        (Method::POST, "/api/v1/invites".to_owned()),
        (Method::PATCH, format!("/api/v1/households/{household_id}")),
        (Method::PATCH, format!("/api/v1/users/{volunteer_id}")),
        (Method::PATCH, "/api/v1/villages/1".to_owned()),
        (Method::PATCH, "/api/v1/teams/1".to_owned()),
    ];
    for body in &malformed {
        for (method, path) in &forbidden {
            let (status, answer) = server.send_json(method.clone(), &volunteer, path, body).await;
            assert_eq!(status, 403, "a volunteer, {method} {path} with {body}: {answer}");
        }
        let (status, answer) = server.send_json(Method::POST, &leader, "/api/v1/users", body).await;
        assert_eq!(status, 403, "a leader creating an account with {body}: {answer}");
        for path in ["/api/v1/users/99999".to_owned(), format!("/api/v1/households/{}", new_id())] {
            let (status, answer) = server.send_json(Method::PATCH, &coordinator, &path, body).await;
            assert_eq!(status, 404, "PATCH {path} with {body}: {answer}");
        }
    }
}

#[tokio::test]
async fn a_correction_that_changes_nothing_writes_no_revision_and_no_audit_entry() {
    let server = TestServer::start().await;
    let (volunteer, coordinator) = (server.login("tinhnguyen1").await, server.login("dieuphoi").await);
    let household_id = server.new_household(&volunteer).await;
    let path = format!("/api/v1/households/{household_id}");
    let before = audit_actions(&server, &coordinator).await;
    let held = server.households(&volunteer).await.into_iter().find(|h| h["id"] == household_id.as_str()).unwrap();
    let unchanged = json!({"head_name": held["head_name"], "address": held["address"]});
    for body in [json!({}), json!({"bogus": 1}), json!({"consent": false}), unchanged] {
        let (status, answer) = server.send_json(Method::PATCH, &coordinator, &path, &body).await;
        assert_eq!((status.as_u16(), &answer["revision"]), (200, &json!(1)), "{body}: {answer}");
    }
    assert_eq!(audit_actions(&server, &coordinator).await, before, "nothing was corrected");
    let (status, answer) = server.send_json(Method::PATCH, &coordinator, &path, &json!({"address": "Số 14"})).await;
    assert_eq!((status.as_u16(), &answer["revision"]), (200, &json!(2)), "{answer}");
}

#[tokio::test]
async fn a_number_sent_empty_is_a_bad_request() {
    let server = TestServer::start().await;
    let (volunteer, coordinator) = (server.login("tinhnguyen1").await, server.login("dieuphoi").await);
    let (status, body) = server.get_json(&volunteer, "/api/v1/sync/pull?limit=").await;
    assert_eq!((status.as_u16(), body["error"]["code"].as_str()), (400, Some("bad_request")), "{body}");
    for path in ["/api/v1/dashboard?team_id=", "/api/v1/audit?limit=", "/api/v1/reports/quarterly?team_id="] {
        let (status, body) = server.get_json(&coordinator, path).await;
        assert_eq!(status, 400, "{path}: {body}");
    }
}

#[tokio::test]
async fn a_team_village_or_volunteer_outside_the_commune_is_404_on_every_report() {
    let server = TestServer::start().await;
    crate::common::add_neighbours(&server).await;
    let coordinator = server.login("dieuphoi").await;
    let other_commune = server.login("dieuphoi-khac").await;
    let (_, teams) = server.get_json(&other_commune, "/api/v1/teams").await;
    let foreign_team = teams["teams"][0]["id"].as_i64().unwrap();
    let (_, villages) = server.get_json(&other_commune, "/api/v1/villages").await;
    let foreign_village = villages["villages"][0]["id"].as_i64().unwrap();
    for team in [foreign_team, 9999] {
        for path in [
            format!("/api/v1/dashboard?team_id={team}"),
            format!("/api/v1/reports/quarterly?team_id={team}"),
            format!("/api/v1/exports/visits.csv?team_id={team}"),
        ] {
            let (status, body) = server.get_json(&coordinator, &path).await;
            assert_eq!(status, 404, "{path}: {body}");
        }
    }
    for path in [
        format!("/api/v1/exports/visits.csv?village_id={foreign_village}"),
        "/api/v1/exports/visits.xlsx?author_id=9999".to_owned(),
    ] {
        let (status, _) = server.get_json(&coordinator, &path).await;
        assert_eq!(status, 404, "{path}");
    }
    // The commune's own team is fine; a leader naming another team of the commune is 403.
    let (_, own) = server.get_json(&coordinator, "/api/v1/teams").await;
    let own_team = own["teams"][0]["id"].as_i64().unwrap();
    let (status, _) = server.get_json(&coordinator, &format!("/api/v1/dashboard?team_id={own_team}")).await;
    assert_eq!(status, 200);
    let other_team = own["teams"].as_array().unwrap().iter().find(|t| t["id"] != own_team).unwrap()["id"].clone();
    let leader = server.login("totruong").await;
    let (status, _) = server.get_json(&leader, &format!("/api/v1/dashboard?team_id={other_team}")).await;
    assert_eq!(status, 403);
    // Reach comes before role: a leader naming a team the commune does not have is told 404 too.
    for team in [foreign_team, 9999] {
        for path in [
            format!("/api/v1/dashboard?team_id={team}"),
            format!("/api/v1/reports/quarterly?team_id={team}"),
            format!("/api/v1/exports/visits.csv?team_id={team}"),
            format!("/api/v1/exports/visits.xlsx?team_id={team}"),
        ] {
            let (status, body) = server.get_json(&leader, &path).await;
            assert_eq!(status, 404, "{path}: {body}");
        }
        let invite = server.client.post(server.url("/api/v1/invites")).bearer_auth(&leader);
        let answer = invite.json(&serde_json::json!({"team_id": team})).send().await.unwrap();
        assert_eq!(answer.status(), 404, "an invite to team {team}");
    }
}

/// Reads one HTTP/1.1 answer's head from `stream`.
async fn read_head(stream: &mut TcpStream) -> String {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte).await.unwrap() {
            0 => break,
            _ => head.push(byte[0]),
        }
    }
    String::from_utf8_lossy(&head).to_lowercase()
}

#[tokio::test]
async fn headers_that_never_finish_are_cut() {
    let server = TestServer::start_with_header_timeout(Duration::from_millis(500)).await;
    let mut stream = TcpStream::connect(server.base.trim_start_matches("http://")).await.unwrap();
    stream.write_all(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\nX-Slow: ").await.unwrap();
    let mut rest = Vec::new();
    let cut = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut rest)).await;
    assert!(cut.is_ok(), "the server still holds a connection whose headers never finished");
}

#[tokio::test]
async fn an_answer_sent_before_the_body_was_read_closes_the_connection_and_says_so() {
    let server = TestServer::start().await;
    let mut stream = TcpStream::connect(server.base.trim_start_matches("http://")).await.unwrap();
    // No token: refused on the headers, before the body is read.
    let body = r#"{"visits": []}"#;
    let request = format!(
        "POST /api/v1/sync/push HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    let head = read_head(&mut stream).await;
    assert!(head.starts_with("http/1.1 401"), "{head}");
    assert!(head.contains("connection: close"), "{head}");
    // A request with no body keeps its connection.
    let mut kept = TcpStream::connect(server.base.trim_start_matches("http://")).await.unwrap();
    kept.write_all(b"GET /api/v1/me HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
    let head = read_head(&mut kept).await;
    assert!(head.starts_with("http/1.1 401") && !head.contains("connection: close"), "{head}");
}

#[tokio::test]
async fn control_characters_are_removed_at_the_edge_and_line_breaks_of_notes_kept() {
    let server = TestServer::start().await;
    let token = server.login("tinhnguyen1").await;
    let household_id = server.new_household(&token).await;
    let mut noisy = visit(&new_id(), &household_id);
    noisy["note"] = json!("Dòng một\u{0}\u{1b}[2J\nDòng hai\u{7}");
    let answer: Value = server.push(&token, &json!({"visits": [noisy]})).await.json().await.unwrap();
    assert_eq!(answer["results"][0]["status"], "applied", "{answer}");
    assert_eq!(server.visits(&token).await[0]["note"], "Dòng một[2J\nDòng hai");
}

#[tokio::test]
async fn the_quarterly_report_spreadsheet_neutralises_names_that_look_like_formulas() {
    let server = TestServer::start().await;
    let (coordinator, volunteer) = (server.login("dieuphoi").await, server.login("tinhnguyen1").await);
    // The team's village and the team itself get names a spreadsheet would run, and a visit to count.
    let village = server.village_id(&volunteer).await;
    let rename = json!({"name": "=HYPERLINK(\"http://x\")"});
    let path = format!("/api/v1/villages/{village}");
    assert_eq!(server.send_json(Method::PATCH, &coordinator, &path, &rename).await.0, 200);
    let (_, teams) = server.get_json(&coordinator, "/api/v1/teams").await;
    let path = format!("/api/v1/teams/{}", teams["teams"][0]["id"]);
    assert_eq!(server.send_json(Method::PATCH, &coordinator, &path, &json!({"name": "+Tổ 9"})).await.0, 200);
    let household_id = server.new_household(&volunteer).await;
    let batch = json!({"visits": [visit(&new_id(), &household_id)]});
    let answer: Value = server.push(&volunteer, &batch).await.json().await.unwrap();
    assert_eq!(answer["results"][0]["status"], "applied");
    let response = server
        .client
        .get(server.url("/api/v1/reports/quarterly.xlsx?quarter=2026-Q1"))
        .bearer_auth(&coordinator)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let text = crate::common::spreadsheet_as_csv(&response.bytes().await.unwrap());
    assert!(text.contains("'+Tổ 9"), "{text}");
    assert!(text.contains("'=HYPERLINK"), "{text}");
}
