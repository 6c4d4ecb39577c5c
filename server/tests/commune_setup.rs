//! A coordinator sets up the commune: villages with their household counts,
//! teams, and skills, and phones see the result.

use crate::common::TestServer;
use serde_json::{json, Value};

async fn send(server: &TestServer, token: &str, method: reqwest::Method, path: &str, body: Value) -> (u16, Value) {
    let (status, answer) = server.send_json(method, token, path, &body).await;
    (status.as_u16(), answer)
}

#[tokio::test]
async fn villages_teams_and_skills_are_set_up_by_the_coordinator() {
    let server = TestServer::start().await;
    let coordinator = server.login("dieuphoi").await;
    let volunteer = server.login("tinhnguyen1").await;
    use reqwest::Method;

    let (status, village) = send(
        &server,
        &coordinator,
        Method::POST,
        "/api/v1/villages",
        json!({"name": " Thôn  Trung ", "households": 88}),
    )
    .await;
    assert_eq!(status, 201, "{village}");
    assert_eq!((village["name"].as_str(), village["households"].as_u64()), (Some("Thôn Trung"), Some(88)));
    let (status, taken) =
        send(&server, &coordinator, Method::POST, "/api/v1/villages", json!({"name": "Thôn Đông"})).await;
    assert_eq!(status, 400);
    assert_eq!(taken["error"]["fields"][0], json!({"field": "name", "code": "taken"}));
    let path = format!("/api/v1/villages/{}", village["id"]);
    let (status, changed) = send(&server, &coordinator, Method::PATCH, &path, json!({"households": 90})).await;
    assert_eq!((status, changed["households"].as_u64()), (200, Some(90)));
    let (status, wrong) =
        send(&server, &coordinator, Method::PATCH, &path, json!({"households": 2_000_000, "name": ""})).await;
    assert_eq!(status, 400);
    assert_eq!(wrong["error"]["fields"].as_array().unwrap().len(), 2, "both problems at once: {wrong}");

    // Phones learn the new village and its count with the profile.
    let (_, me) = server.get_json(&volunteer, "/api/v1/me").await;
    let trung = me["villages"].as_array().unwrap().iter().find(|v| v["name"] == "Thôn Trung").cloned().unwrap();
    assert_eq!(trung["households"], 90);

    let (status, team) =
        send(&server, &coordinator, Method::POST, "/api/v1/teams", json!({"name": "Tổ CNSCĐ thôn Trung"})).await;
    assert_eq!((status, team["members"].as_u64()), (201, Some(0)));
    let (status, renamed) = send(
        &server,
        &coordinator,
        Method::PATCH,
        &format!("/api/v1/teams/{}", team["id"]),
        json!({"name": "Tổ thôn Trung"}),
    )
    .await;
    assert_eq!((status, renamed["name"].as_str()), (200, Some("Tổ thôn Trung")));
    let (_, teams) = server.get_json(&coordinator, "/api/v1/teams").await;
    let names: Vec<&str> = teams["teams"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(names.len(), 2, "{names:?}");

    let skill = json!({"code": "YTe.DatLich", "group": "digital_health", "label": "Đặt lịch khám trực tuyến"});
    let (status, added) = send(&server, &coordinator, Method::POST, "/api/v1/catalogue", skill.clone()).await;
    assert_eq!((status, added["code"].as_str()), (201, Some("yte.datlich")));
    let (_, again) = send(&server, &coordinator, Method::POST, "/api/v1/catalogue", skill).await;
    assert_eq!(again["error"]["fields"][0], json!({"field": "code", "code": "taken"}));
    let (status, retired) =
        send(&server, &coordinator, Method::PATCH, "/api/v1/catalogue/yte.datlich", json!({"retired": true})).await;
    assert_eq!((status, retired["retired"].as_bool()), (200, Some(true)));
    let (_, catalogue) = server.get_json(&volunteer, "/api/v1/catalogue").await;
    let last = catalogue["skills"].as_array().unwrap().last().cloned().unwrap();
    assert_eq!((last["code"].as_str(), last["retired"].as_bool()), (Some("yte.datlich"), Some(true)));
}
