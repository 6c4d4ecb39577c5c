//! Provinces above their communes: the Department of Science and Technology
//! signs in to its province, with no commune and nothing of a commune's people.

use crate::common::{add_neighbours, community_session, new_id, visit, TestServer};
use chrono::NaiveDate;
use gocua_domain::province::{quiet_window_start, ReportLine};
use gocua_domain::report::Quarter;
use gocua_server::db::{DashboardScope, Database};
use reqwest::Method;
use serde_json::{json, Value};
use std::collections::BTreeMap;

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

/// The demo's server with its neighbours, and Đại Hợp — a commune of Hải Phòng with nothing logged yet.
async fn with_dai_hop() -> TestServer {
    let server = TestServer::start().await;
    add_neighbours(&server).await;
    let db = server.database().await;
    db.add_commune("Đại Hợp").await.unwrap();
    db.place_commune("Đại Hợp", "Hải Phòng").await.unwrap();
    server
}

#[tokio::test]
async fn the_province_sees_each_communes_figures_and_report_and_never_a_household() {
    let server = with_dai_hop().await;

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
async fn the_province_adds_a_commune_that_starts_empty_and_invites_its_coordinator() {
    let server = TestServer::start().await;
    add_neighbours(&server).await;
    let official = server.login("so-khcn").await;
    let add = |token: String, body: Value| {
        let server = &server;
        async move { server.send_json(Method::POST, &token, "/api/v1/province/communes", &body).await }
    };

    let (status, created) = add(official.clone(), json!({"name": "  Xã   Tân Trào "})).await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["name"], "Xã Tân Trào", "trimmed, its spaces collapsed");
    let id = created["id"].as_i64().unwrap();

    // Refused with what to fix: a name the server has (of any province), none, too long, not an object.
    for (body, field_problem) in [
        (json!({"name": "Xã Tân Trào"}), "taken"),
        (json!({"name": "Tiên Tiến"}), "taken"),
        (json!({"name": "   "}), "required"),
        (json!({"name": "x".repeat(101)}), "too_long"),
    ] {
        let (status, refused) = add(official.clone(), body.clone()).await;
        assert_eq!(status, 400, "{body}: {refused}");
        assert_eq!(refused["error"]["fields"][0]["field"], "name", "{refused}");
        assert_eq!(refused["error"]["fields"][0]["code"], field_problem, "{refused}");
        assert!(!refused["error"]["message"].as_str().unwrap().is_empty());
    }
    assert_eq!(add(official.clone(), json!([])).await.0, 400);
    // Only a province account adds communes.
    for username in ["dieuphoi", "totruong", "tinhnguyen1"] {
        assert_eq!(add(server.login(username).await, json!({"name": "Xã Khác"})).await.0, 403, "{username}");
    }

    // At once in its province's view and consolidated report of this quarter, with nothing logged.
    let (_, view) = server.get_json(&official, "/api/v1/province").await;
    let row = view["communes"].as_array().unwrap().iter().find(|c| c["commune"]["id"] == id).cloned().unwrap();
    assert_eq!(row["commune"]["name"], "Xã Tân Trào");
    assert_eq!((row["households"].as_u64(), row["households_reached"].as_u64()), (Some(0), Some(0)));
    let standing = row["report"]["standing"].as_str().unwrap();
    assert!(["due", "missing"].contains(&standing), "not submitted: {standing}");
    let (status, report) = server.get_json(&official, "/api/v1/province/report").await;
    assert_eq!(status, 200);
    assert!(report["not_submitted"].as_array().unwrap().contains(&json!("Xã Tân Trào")), "{report}");
    // But in no quarter that ended before it existed: never missing a report it could not send.
    let this_quarter = Quarter::of(gocua_domain::time::today(chrono::Utc::now()));
    let before = Quarter::of(this_quarter.first_day() - chrono::Duration::days(1));
    for path in [format!("/api/v1/province?quarter={before}"), format!("/api/v1/province/report?quarter={before}")] {
        let (status, earlier) = server.get_json(&official, &path).await;
        assert_eq!(status, 200);
        assert!(!earlier.to_string().contains("Tân Trào"), "{path}: {earlier}");
        assert!(earlier.to_string().contains("Kiến Minh"), "{path}: set up with the command line, in every quarter");
    }
    // And in no other province.
    let (_, other) = server.get_json(&server.login("so-khcn-khac").await, "/api/v1/province").await;
    assert!(!other.to_string().contains("Tân Trào"), "{other}");
    // Another province may have its own new commune.
    let (status, theirs) = add(server.login("so-khcn-khac").await, json!({"name": "Xã Hòa Bình"})).await;
    assert_eq!(status, 201, "{theirs}");
    let (_, view) = server.get_json(&official, "/api/v1/province").await;
    assert!(!view.to_string().contains("Hòa Bình"), "{view}");

    // Its coordinator joins by the Department's invite, and finds the starting catalogue and the log.
    let (status, invite) = invite(&server, &official, id).await;
    assert_eq!(status, 201, "{invite}");
    let join = json!({"code": invite["code"], "username": "dieuphoi-tantrao", "display_name": "Lê Văn Bình",
                      "password": "mật khẩu mới dài"});
    let joined = server.client.post(server.url("/api/v1/auth/join")).json(&join).send().await.unwrap();
    assert_eq!(joined.status(), 201);
    let joined: Value = joined.json().await.unwrap();
    assert_eq!(joined["profile"]["commune"]["name"], "Xã Tân Trào");
    let coordinator = joined["token"].as_str().unwrap();
    let (_, catalogue) = server.get_json(coordinator, "/api/v1/catalogue").await;
    let starting = gocua_domain::Catalogue::starting().skills.len();
    assert_eq!(catalogue["skills"].as_array().unwrap().len(), starting);
    let (_, audit) = server.get_json(coordinator, "/api/v1/audit").await;
    let entries = audit["entries"].as_array().unwrap();
    let created = entries.iter().find(|e| e["action"] == "commune.created").cloned().unwrap();
    assert_eq!(created["actor_name"], "Vũ Thị Thanh", "the commune's log names the Department's officer");
    assert_eq!(
        (created["subject"].as_str(), created["detail"].as_str()),
        (Some(&*format!("commune:{id}")), Some("Xã Tân Trào"))
    );
}

#[tokio::test]
async fn the_consolidated_report_holds_each_report_as_submitted_beside_its_figures_now() {
    let server = with_dai_hop().await;

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

/// What each commune's own figures say of `quarter` (its dashboard and
/// quarterly report, commune by commune): the oracle of the province's
/// figures, read for a whole province at once from the kept quarter rows.
async fn each_communes_own(db: &Database, quarter: Quarter, today: NaiveDate) -> BTreeMap<String, Value> {
    let province = db.credentials("so-khcn").await.unwrap().unwrap();
    let province_id = db.profile(province.user_id).await.unwrap().province.unwrap().id;
    let mut own = BTreeMap::new();
    for commune in db.province_communes(province_id).await.unwrap() {
        let in_quarter = DashboardScope::of_days(commune.id, None, quarter.first_day(), quarter.last_day());
        let recent = DashboardScope::of_days(commune.id, None, quiet_window_start(today), today);
        let villages = db.dashboard_villages(&in_quarter).await.unwrap();
        let active = db.dashboard_volunteers(&recent).await.unwrap().iter().filter(|v| v.doors > 0).count();
        let recent_sessions = db.dashboard_community_sessions(&recent).await.unwrap().sessions;
        let report = gocua_server::report::compile(db, &commune, None, quarter, chrono::Utc::now()).await.unwrap();
        own.insert(
            commune.name.clone(),
            json!({
                "households": villages.iter().map(|v| v.households).sum::<u32>(),
                "households_reached": villages.iter().map(|v| v.households_reached_ever).sum::<u32>(),
                "households_at_target": villages.iter().map(|v| v.households_at_target).sum::<u32>(),
                "people": report.totals.people,
                "community_sessions": report.community_sessions.sessions,
                "active_volunteers": active,
                "quiet": active == 0 && recent_sessions == 0,
                "live": ReportLine::of(&report),
            }),
        );
    }
    own
}

/// The same figures as the Department reads them: its view and its consolidated report of `quarter`.
async fn as_the_province_reads(server: &TestServer, official: &str, quarter: Quarter) -> BTreeMap<String, Value> {
    let (status, view) = server.get_json(official, &format!("/api/v1/province?quarter={quarter}")).await;
    assert_eq!(status, 200, "{view}");
    let (status, report) = server.get_json(official, &format!("/api/v1/province/report?quarter={quarter}")).await;
    assert_eq!(status, 200, "{report}");
    let mut read = BTreeMap::new();
    for (progress, row) in view["communes"].as_array().unwrap().iter().zip(report["communes"].as_array().unwrap()) {
        assert_eq!(progress["commune"], row["commune"], "both by name");
        let mut figures = json!({"live": row["live"]});
        for field in [
            "households",
            "households_reached",
            "households_at_target",
            "people",
            "community_sessions",
            "active_volunteers",
            "quiet",
        ] {
            figures[field] = progress[field].clone();
        }
        read.insert(progress["commune"]["name"].as_str().unwrap().to_owned(), figures);
    }
    read
}

/// The province reads each commune's quarter from a few kept rows, kept by
/// the database with every change of the commune's figures; they must say
/// what the commune's own figures say — for the city's three demo communes
/// at their seasons' different stages, this quarter and the last, after
/// pushes, an edit, a void and a recount of the national target, and after
/// every kept figure is rebuilt.
#[tokio::test]
async fn the_province_reads_what_each_communes_own_figures_say() {
    let server = TestServer::start().await;
    let db = server.database().await;
    let now = chrono::Utc::now();
    gocua_server::demo::season::ensure(&db, now).await.unwrap();
    gocua_server::demo::ensure_neighbours(&db, now).await.unwrap();
    let today = gocua_domain::time::today(now);
    let this_quarter = Quarter::of(today);
    let last_quarter = Quarter::of(this_quarter.first_day().pred_opt().unwrap());
    let official = server.login("so-khcn").await;
    let agree = |when: &'static str| {
        let (server, db, official) = (&server, &db, &official);
        async move {
            for quarter in [this_quarter, last_quarter] {
                let own = each_communes_own(db, quarter, today).await;
                assert_eq!(own.len(), 3, "Kiến Minh and its two neighbours");
                assert_eq!(as_the_province_reads(server, official, quarter).await, own, "{when}, {quarter}");
            }
        }
    };
    agree("the demo's seasons").await;

    // A volunteer logs two visits (one last quarter), corrects one, and her leader voids the other.
    let volunteer = server.login("tinhnguyen1").await;
    let household = server.new_household(&volunteer).await;
    let (today_visit, earlier) = (new_id(), new_id());
    let mut visit_today = visit(&today_visit, &household);
    visit_today["visited_at"] = json!((now - chrono::Duration::hours(1)).to_rfc3339());
    let mut visit_earlier = visit(&earlier, &household);
    visit_earlier["visited_at"] = json!(format!("{}T03:00:00Z", last_quarter.first_day()));
    let pushed: Value =
        server.push(&volunteer, &json!({"visits": [visit_today.clone(), visit_earlier]})).await.json().await.unwrap();
    assert!(pushed["results"].as_array().unwrap().iter().all(|r| r["status"] == "applied"), "{pushed}");
    agree("after two visits").await;
    visit_today["revision"] = json!(2);
    visit_today["base_revision"] = json!(1);
    visit_today["people"] = json!({"pupils": 3});
    visit_today["skills"] = json!([{"code": "safety.scam", "completed": true}]);
    let pushed: Value = server.push(&volunteer, &json!({"visits": [visit_today]})).await.json().await.unwrap();
    assert_eq!(pushed["results"][0]["status"], "applied", "{pushed}");
    let leader = server.login("totruong").await;
    assert_eq!(server.delete(&leader, &format!("/api/v1/visits/{earlier}")).await.0, 204);
    agree("after an edit and a void").await;

    // The coordinator makes a skill count for a basic skill: the national target is recounted.
    let coordinator = server.login("dieuphoi").await;
    let remap = json!({"basic_skill": "local_platforms"});
    let (status, _) = server.send_json(Method::PATCH, &coordinator, "/api/v1/catalogue/device.basics", &remap).await;
    assert_eq!(status, 200);
    agree("after a recount of the target").await;

    db.rebuild_aggregates().await.unwrap();
    agree("after every kept figure is rebuilt").await;
}
