//! Provinces above their communes: the Department of Science and Technology
//! signs in to its province, with no commune and nothing of a commune's people.

use crate::common::{add_neighbours, community_session, new_id, visit, TestServer};
use reqwest::Method;
use serde_json::{json, Value};

#[tokio::test]
async fn a_province_account_signs_in_to_its_province_and_holds_no_commune() {
    let server = TestServer::start().await;
    add_neighbours(&server).await;
    let token = server.login("so-khcn").await;

    let (status, me) = server.get_json(&token, "/api/v1/me").await;
    assert_eq!(status, 200);
    assert_eq!(me["role"], "province");
    assert_eq!(me["province"]["name"], "Hải Phòng");
    assert!(me["commune"].is_null(), "{me}");
    assert!(me["team"].is_null());
    assert_eq!(me["villages"], json!([]), "no village, so no household is ever its to log");

    let (_, coordinator) = server.get_json(&server.login("dieuphoi").await, "/api/v1/me").await;
    assert_eq!(coordinator["commune"]["name"], "Kiến Minh");
    assert!(coordinator["province"].is_null(), "a commune's people have a commune, not a province");

    // Its own devices, as anyone's.
    let (status, devices) = server.get_json(&token, "/api/v1/auth/sessions").await;
    assert_eq!(status, 200);
    assert_eq!(devices["sessions"].as_array().unwrap().iter().filter(|s| s["current"] == true).count(), 1);

    // A province logs nothing: a push is refused on its role, whatever it holds.
    let pushed = server.push(&token, &json!({"visits": []})).await;
    assert_eq!(pushed.status(), 403);
    let malformed = server
        .client
        .post(server.url("/api/v1/sync/push"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(malformed.status(), 403, "the role is checked before the body");

    // A lost phone of the Department's is revoked as anyone's.
    let lost = server.login("so-khcn").await;
    let (_, devices) = server.get_json(&lost, "/api/v1/auth/sessions").await;
    let lost_id = devices["sessions"].as_array().unwrap().iter().find(|s| s["current"] == true).unwrap()["id"].clone();
    let (status, _) = server.delete(&token, &format!("/api/v1/auth/sessions/{lost_id}")).await;
    assert_eq!(status, 204);
    assert_eq!(server.get_json(&lost, "/api/v1/me").await.0, 401, "the revoked phone is signed out");

    let signed_out = server.client.post(server.url("/api/v1/auth/logout")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(signed_out.status(), 204);
    assert_eq!(server.get_json(&token, "/api/v1/me").await.0, 401);
}

#[tokio::test]
async fn nobody_in_a_commune_makes_a_province_account() {
    let server = TestServer::start().await;
    let coordinator = server.login("dieuphoi").await;
    let (_, me) = server.get_json(&server.login("tinhnguyen1").await, "/api/v1/me").await;
    let team_id = me["team"]["id"].as_i64().unwrap();

    let new = json!({"username": "so-gia", "display_name": "Sở giả", "role": "province", "team_id": team_id,
                     "password": "mật khẩu tạm"});
    let (status, body) = server.send_json(Method::POST, &coordinator, "/api/v1/users", &new).await;
    assert_eq!(status, 400, "{body}");
    assert!(mentions_field(&body, "role"), "{body}");

    let path = format!("/api/v1/users/{}", me["user_id"]);
    let (status, body) = server.send_json(Method::PATCH, &coordinator, &path, &json!({"role": "province"})).await;
    assert_eq!(status, 400, "{body}");
    assert!(mentions_field(&body, "role"), "{body}");
    let (_, unchanged) = server.get_json(&coordinator, &path).await;
    assert_eq!(unchanged["role"], "volunteer");

    let invite = json!({"team_id": team_id, "role": "province"});
    let (status, body) = server.send_json(Method::POST, &coordinator, "/api/v1/invites", &invite).await;
    assert_eq!(status, 400, "{body}");
}

fn mentions_field(body: &Value, field: &str) -> bool {
    body["error"]["fields"].as_array().is_some_and(|fields| fields.iter().any(|f| f["field"] == field))
}

#[tokio::test]
async fn the_province_sees_each_communes_figures_and_report_and_never_a_household() {
    let server = TestServer::start().await;
    add_neighbours(&server).await;
    let db = server.database().await;
    db.add_commune("Đại Hợp").await.unwrap();
    db.place_commune("Đại Hợp", "Hải Phòng").await.unwrap();

    // Kiến Minh's work in the first quarter, a visit today, and its late report of that quarter.
    let volunteer = server.login("tinhnguyen1").await;
    let household = server.new_household(&volunteer).await;
    let mut today = visit(&new_id(), &household);
    today["visited_at"] = json!((chrono::Utc::now() - chrono::Duration::hours(1)).to_rfc3339());
    let village = server.village_id(&volunteer).await;
    let mut session = community_session(&new_id(), village);
    session["held_on"] = json!("2026-03-05");
    let pushed: Value = server
        .push(&volunteer, &json!({"visits": [visit(&new_id(), &household), today], "community_sessions": [session]}))
        .await
        .json()
        .await
        .unwrap();
    assert!(pushed["results"].as_array().unwrap().iter().all(|r| r["status"] == "applied"), "{pushed}");
    let coordinator = server.login("dieuphoi").await;
    let (status, _) = server
        .send_json(Method::POST, &coordinator, "/api/v1/reports/quarterly/submission", &json!({"quarter": "2026-Q1"}))
        .await;
    assert_eq!(status, 200);

    let official = server.login("so-khcn").await;
    let response =
        server.client.get(server.url("/api/v1/province?quarter=2026-Q1")).bearer_auth(&official).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap();
    for personal in ["Nguyễn Văn An", "Bà cụ", &household] {
        assert!(!text.contains(personal), "{personal:?} reached the province: {text}");
    }
    let view: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(view["province"]["name"], "Hải Phòng");
    assert_eq!((view["quarter"].as_str(), view["due"].as_str()), (Some("2026-Q1"), Some("2026-03-10")));
    let names: Vec<&str> =
        view["communes"].as_array().unwrap().iter().map(|c| c["commune"]["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Đại Hợp", "Kiến Minh"], "its communes by name, and no other province's");

    let kien_minh = &view["communes"][1];
    let (_, me) = server.get_json(&coordinator, "/api/v1/me").await;
    let households: u64 = me["villages"].as_array().unwrap().iter().map(|v| v["households"].as_u64().unwrap()).sum();
    assert_eq!(kien_minh["households"], households);
    assert_eq!(kien_minh["households_reached"], 1);
    assert_eq!(kien_minh["people"], json!({"officials": 0, "pupils": 0, "adults": 2, "elderly": 1, "workers": 0}));
    assert_eq!(kien_minh["community_sessions"], 1);
    assert_eq!(kien_minh["active_volunteers"], 1, "the volunteer who logged today");
    assert_eq!(kien_minh["quiet"], false);
    assert_eq!(kien_minh["report"]["standing"], "late", "submitted after 10 March");
    assert!(kien_minh["report"]["submitted_at"].is_string());

    let dai_hop = &view["communes"][0];
    assert_eq!((dai_hop["households_reached"].as_u64(), dai_hop["active_volunteers"].as_u64()), (Some(0), Some(0)));
    assert_eq!(dai_hop["quiet"], true, "nothing logged for 30 days stands out");
    assert_eq!(dai_hop["report"], json!({"standing": "missing", "submitted_at": null}));

    let totals = &view["totals"];
    assert_eq!((totals["communes"].as_u64(), totals["quiet_communes"].as_u64()), (Some(2), Some(1)));
    assert_eq!((totals["reports_late"].as_u64(), totals["reports_missing"].as_u64()), (Some(1), Some(1)));

    // Another province's Department sees its own communes only.
    let (status, other) =
        server.get_json(&server.login("so-khcn-khac").await, "/api/v1/province?quarter=2026-Q1").await;
    assert_eq!(status, 200);
    let names: Vec<&str> =
        other["communes"].as_array().unwrap().iter().map(|c| c["commune"]["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Tiên Tiến"]);

    // A commune's people have no province view; a quarter mistyped is said so.
    assert_eq!(server.get_json(&coordinator, "/api/v1/province").await.0, 403);
    assert_eq!(server.get_json(&official, "/api/v1/province?quarter=2026-5").await.0, 400);
}
