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

/// Asks for a coordinator's invite to `commune_id` as `token`'s account.
async fn invite(server: &TestServer, token: &str, commune_id: i64) -> (reqwest::StatusCode, Value) {
    server.send_json(Method::POST, token, "/api/v1/province/invites", &json!({"commune_id": commune_id})).await
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

#[tokio::test]
async fn the_province_invites_a_coordinator_where_its_commune_has_none() {
    let server = TestServer::start().await;
    add_neighbours(&server).await;
    let db = server.database().await;
    for commune in ["Đại Hợp", "Tân Trào"] {
        db.add_commune(commune).await.unwrap();
        db.place_commune(commune, "Hải Phòng").await.unwrap();
    }
    let official = server.login("so-khcn").await;
    let coordinator = server.login("dieuphoi").await;
    let (_, view) = server.get_json(&official, "/api/v1/province").await;
    let id_of = |name: &str| {
        let communes = view["communes"].as_array().unwrap();
        communes.iter().find(|c| c["commune"]["name"] == name).unwrap()["commune"]["id"].as_i64().unwrap()
    };
    let (kien_minh, dai_hop, tan_trao) = (id_of("Kiến Minh"), id_of("Đại Hợp"), id_of("Tân Trào"));
    let tien_tien =
        server.get_json(&server.login("dieuphoi-khac").await, "/api/v1/me").await.1["commune"]["id"].as_i64().unwrap();

    // Another province's commune, or none at all, is not there for it; a commune's coordinator has no such endpoint.
    for commune in [tien_tien, 999_999] {
        assert_eq!(invite(&server, &official, commune).await.0, 404);
    }
    assert_eq!(invite(&server, &coordinator, dai_hop).await.0, 403);
    // Kiến Minh has its coordinator: its accounts are hers to make, never the Department's.
    let (status, refused) = invite(&server, &official, kien_minh).await;
    assert_eq!(status, 409, "{refused}");
    assert_eq!(refused["error"]["code"], "commune_has_coordinator");

    let (status, first) = invite(&server, &official, dai_hop).await;
    assert_eq!(status, 201, "{first}");
    assert_eq!((first["role"].as_str(), first["commune"]["name"].as_str()), (Some("coordinator"), Some("Đại Hợp")));
    assert!(first["team"].is_null(), "a commune's coordination, no team");
    assert!(first["qr_svg"].as_str().unwrap().contains("<svg"));
    let (status, second) = invite(&server, &official, tan_trao).await;
    assert_eq!(status, 201, "{second}");
    let (_, open) = server.get_json(&official, "/api/v1/province/invites").await;
    assert_eq!(open["invites"].as_array().unwrap().len(), 2);
    let (_, elsewhere) = server.get_json(&server.login("so-khcn-khac").await, "/api/v1/province/invites").await;
    assert_eq!(elsewhere["invites"], json!([]), "another province sees none of ours");

    // Đại Hợp's new coordinator joins with the first.
    let join = json!({"code": first["code"], "username": "dieuphoi-daihop", "display_name": "Hoàng Thị Mai",
                      "password": "mật khẩu mới dài"});
    let joined = server.client.post(server.url("/api/v1/auth/join")).json(&join).send().await.unwrap();
    assert_eq!(joined.status(), 201);
    let joined: Value = joined.json().await.unwrap();
    assert_eq!(joined["profile"]["role"], "coordinator");
    assert_eq!(joined["profile"]["commune"]["name"], "Đại Hợp");
    assert!(joined["profile"]["team"].is_null());
    let (_, audit) = server.get_json(joined["token"].as_str().unwrap(), "/api/v1/audit").await;
    let created = audit["entries"].as_array().unwrap().iter().find(|e| e["action"] == "invite.created").cloned();
    assert_eq!(created.unwrap()["actor_name"], "Vũ Thị Thanh", "the commune's log names the Department's officer");
    let (_, open) = server.get_json(&official, "/api/v1/province/invites").await;
    assert_eq!(open["invites"].as_array().unwrap().len(), 1, "used, it is no longer open");
    assert_eq!(invite(&server, &official, dai_hop).await.0, 409, "Đại Hợp has its coordinator now");

    // The second is cancelled: not by the other province, and a team's invite is not the Department's to cancel.
    let path = format!("/api/v1/province/invites/{}", second["id"]);
    assert_eq!(server.delete(&server.login("so-khcn-khac").await, &path).await.0, 404);
    let (_, volunteers) =
        server.send_json(Method::POST, &server.login("totruong").await, "/api/v1/invites", &json!({})).await;
    let volunteer_invite = format!("/api/v1/province/invites/{}", volunteers["id"]);
    assert_eq!(server.delete(&official, &volunteer_invite).await.0, 404);
    assert_eq!(server.delete(&official, &path).await.0, 204);
    let (_, open) = server.get_json(&official, "/api/v1/province/invites").await;
    assert_eq!(open["invites"], json!([]));
}

#[tokio::test]
async fn the_consolidated_report_holds_each_report_as_submitted_beside_its_figures_now() {
    let server = TestServer::start().await;
    add_neighbours(&server).await;
    let db = server.database().await;
    db.add_commune("Đại Hợp").await.unwrap();
    db.place_commune("Đại Hợp", "Hải Phòng").await.unwrap();

    // Kiến Minh submits its first quarter after one visit; a second visit of the quarter comes later.
    let volunteer = server.login("tinhnguyen1").await;
    let household = server.new_household(&volunteer).await;
    let pushed: Value =
        server.push(&volunteer, &json!({"visits": [visit(&new_id(), &household)]})).await.json().await.unwrap();
    assert_eq!(pushed["results"][0]["status"], "applied");
    let coordinator = server.login("dieuphoi").await;
    let submit = json!({"quarter": "2026-Q1"});
    assert_eq!(
        server.send_json(Method::POST, &coordinator, "/api/v1/reports/quarterly/submission", &submit).await.0,
        200
    );
    let mut later = visit(&new_id(), &household);
    later["visited_at"] = json!("2026-03-03T03:00:00Z");
    let pushed: Value = server.push(&volunteer, &json!({"visits": [later]})).await.json().await.unwrap();
    assert_eq!(pushed["results"][0]["status"], "applied");

    let official = server.login("so-khcn").await;
    let (status, report) = server.get_json(&official, "/api/v1/province/report?quarter=2026-Q1").await;
    assert_eq!(status, 200, "{report}");
    assert_eq!((report["due"].as_str(), report["province"]["name"].as_str()), (Some("2026-03-10"), Some("Hải Phòng")));
    let names: Vec<&str> =
        report["communes"].as_array().unwrap().iter().map(|c| c["commune"]["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Đại Hợp", "Kiến Minh"]);
    let kien_minh = &report["communes"][1];
    assert_eq!(kien_minh["report"]["standing"], "late");
    assert_eq!(kien_minh["submitted"]["people"]["adults"], 2, "as it was submitted");
    assert_eq!(kien_minh["live"]["people"]["adults"], 4, "as it stands now");
    let identity = |line: &Value| {
        line["programmes"].as_array().unwrap().iter().find(|p| p["programme"] == "digital_identity").cloned().unwrap()
    };
    assert_eq!(identity(&kien_minh["submitted"])["guided"], 1);
    assert_eq!(identity(&kien_minh["live"])["guided"], 2);
    let dai_hop = &report["communes"][0];
    assert!(dai_hop["submitted"].is_null());
    assert_eq!(dai_hop["report"]["standing"], "missing");
    assert_eq!(report["submitted_total"]["people"]["adults"], 2);
    assert_eq!(report["live_total"]["people"]["adults"], 4);
    assert_eq!(report["not_submitted"], json!(["Đại Hợp"]));
    assert!(!report.to_string().contains("Nguyễn Văn An"), "figures only");

    // The same as a spreadsheet, as a Department officer opens it.
    let response = server
        .client
        .get(server.url("/api/v1/province/report.xlsx?quarter=2026-Q1"))
        .bearer_auth(&official)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let sheet = crate::common::spreadsheet_as_csv(&response.bytes().await.unwrap());
    assert!(sheet.contains("Xã chưa nộp: Đại Hợp"), "{sheet}");
    assert!(sheet.contains("Kiến Minh,Đã nộp trễ hạn"), "{sheet}");
    assert!(sheet.lines().any(|line| line.starts_with("Tổng cộng,,,")), "{sheet}");

    assert_eq!(server.get_json(&coordinator, "/api/v1/province/report").await.0, 403);
}
