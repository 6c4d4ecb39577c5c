//! The dashboard's figures against a hand-computed fixture, across a quarter
//! boundary and Vietnam's day boundary (a visit at 23:30 local time counts on
//! that local day, one at 00:00 on the next).

use crate::common::{self, community_session, household, new_id, TestServer};
use crate::server_process::ServerProcess;
use serde_json::{json, Value};

fn visit_at(household_id: &str, at: &str, outcome: &str, people: Value, skills: Value) -> Value {
    json!({"id": new_id(), "household_id": household_id, "outcome": outcome, "people": people, "skills": skills, "visited_at": at})
}

/// A village of a dashboard (or report), by name.
fn village(dashboard: &Value, name: &str) -> Value {
    dashboard["villages"].as_array().unwrap().iter().find(|v| v["name"] == name).cloned().unwrap()
}

/// A village's households at the national target.
fn at_target(dashboard: &Value, name: &str) -> u64 {
    village(dashboard, name)["households_at_target"].as_u64().unwrap()
}

async fn push(server: &TestServer, token: &str, body: Value) {
    let answer: Value = server.push(token, &body).await.json().await.unwrap();
    for result in answer["results"].as_array().unwrap() {
        assert_eq!(result["status"], "applied", "{answer}");
    }
}

/// The fixture: our team's visits across Vietnam's midnight and the first quarter's end, and another team's.
/// Returns the server and the ids of Thôn Bắc and Thôn Đông.
async fn fixture() -> (TestServer, i64, i64) {
    let server = TestServer::start().await;
    crate::common::add_neighbours(&server).await;
    let (trang, huy) = (server.login("tinhnguyen1").await, server.login("tinhnguyen2").await);
    let (_, me) = server.get_json(&trang, "/api/v1/me").await;
    let (bac, dong) = (me["villages"][0]["id"].as_i64().unwrap(), me["villages"][1]["id"].as_i64().unwrap());
    assert_eq!(
        (me["villages"][0]["name"].as_str(), me["villages"][1]["name"].as_str()),
        (Some("Thôn Bắc"), Some("Thôn Đông"))
    );
    let (a, b) = (new_id(), new_id());
    let skills = json!([{"code": "vneid.level2", "completed": true}, {"code": "payment.qr", "completed": false}]);
    push(
        &server,
        &trang,
        json!({
            "households": [household(&a, bac), household(&b, dong)],
            "visits": [
                // 2 March, 23:30 in Vietnam.
                visit_at(&a, "2026-03-02T16:30:00Z", "guided", json!({"adults": 2, "elderly": 1}), skills),
                // 31 March, 23:59: the last minute of the first quarter.
                visit_at(&b, "2026-03-31T16:59:00Z", "guided", json!({"officials": 1, "pupils": 1}),
                         json!([{"code": "payment.qr", "completed": true}])),
                // 1 April, 00:00: the second quarter.
                visit_at(&b, "2026-03-31T17:00:00Z", "declined", json!({}), json!([])),
            ]
        }),
    )
    .await;
    // 3 March, 00:30 in Vietnam.
    push(&server, &huy, json!({"visits": [visit_at(&a, "2026-03-02T17:30:00Z", "nobody_home", json!({}), json!([]))]}))
        .await;
    let outsider = server.login("khac-to").await;
    let theirs = server.new_household(&outsider).await;
    push(
        &server,
        &outsider,
        json!({"visits": [visit_at(&theirs, "2026-03-10T03:00:00Z", "nobody_home", json!({}), json!([]))]}),
    )
    .await;

    (server, bac, dong)
}

#[tokio::test]
async fn figures_match_the_hand_count() {
    let (server, bac, _) = fixture().await;
    let trang = server.login("tinhnguyen1").await;
    let leader = server.login("totruong").await;
    let (status, q1) = server.get_json(&leader, "/api/v1/dashboard?from=2026-01-01&to=2026-03-31").await;
    assert_eq!(status, 200, "{q1}");
    assert_eq!(
        q1["totals"],
        json!({
            "doors": 3, "households_reached": 2, "households_guided": 2,
            "people": {"officials": 1, "pupils": 1, "adults": 2, "elderly": 1, "workers": 0}
        })
    );
    assert_eq!(
        q1["days"],
        json!([
            {"day": "2026-03-02", "doors": 1, "people": 2},
            {"day": "2026-03-03", "doors": 1, "people": 0},
            {"day": "2026-03-31", "doors": 1, "people": 2},
        ])
    );
    assert_eq!(
        q1["skills"],
        json!([
            {"code": "payment.qr", "guided": 2, "completed": 1},
            {"code": "vneid.level2", "guided": 1, "completed": 1},
        ])
    );
    let volunteers: Vec<(String, u64, u64)> = q1["volunteers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["name"].as_str().unwrap().to_owned(), v["doors"].as_u64().unwrap(), v["people"].as_u64().unwrap()))
        .collect();
    assert_eq!(volunteers, [("Phạm Thu Trang".to_owned(), 2, 4), ("Đỗ Quang Huy".to_owned(), 1, 0)]);
    assert_eq!(
        village(&q1, "Thôn Bắc"),
        json!({
            "village_id": bac, "name": "Thôn Bắc", "doors": 2, "households": 80, "households_reached_ever": 1,
            "households_at_target": 0
        })
    );
    assert_eq!(village(&q1, "Thôn Đông")["households_reached_ever"], 1);
    assert_eq!(village(&q1, "Thôn Nam")["doors"], 0);

    let (_, day) = server.get_json(&leader, "/api/v1/dashboard?from=2026-03-03&to=2026-03-03").await;
    assert_eq!(day["totals"]["doors"], 1, "00:30 on the 3rd is the 3rd");
    let (_, q2) = server.get_json(&leader, "/api/v1/dashboard?from=2026-04-01&to=2026-06-30").await;
    assert_eq!((q2["totals"]["doors"].as_u64(), q2["totals"]["households_guided"].as_u64()), (Some(1), Some(0)));
    assert_eq!(village(&q2, "Thôn Bắc")["households_reached_ever"], 1, "reached before the period still counts");

    let coordinator = server.login("dieuphoi").await;
    let (_, commune) = server.get_json(&coordinator, "/api/v1/dashboard?from=2026-01-01&to=2026-03-31").await;
    assert_eq!(commune["totals"]["doors"], 4, "the commune has the other team's visit too");
    let (_, team) = server.get_json(&coordinator, "/api/v1/dashboard?from=2026-01-01&to=2026-03-31&team_id=1").await;
    assert_eq!(team["totals"]["doors"], 3);

    assert_eq!(server.get_json(&trang, "/api/v1/dashboard").await.0, 403);
    // Teams as add_neighbours makes them: 2 is another commune's (not found), 3 this commune's other one.
    assert_eq!(server.get_json(&leader, "/api/v1/dashboard?team_id=3").await.0, 403);
    assert_eq!(server.get_json(&leader, "/api/v1/dashboard?team_id=2").await.0, 404);
    assert_eq!(server.get_json(&leader, "/api/v1/dashboard?from=2026-03-05&to=2026-03-01").await.0, 400);
    let (status, this_month) = server.get_json(&leader, "/api/v1/dashboard").await;
    assert_eq!(status, 200);
    assert_eq!(this_month["to"].as_str().unwrap().len(), 10, "this month, to today");
}

#[tokio::test]
async fn the_quarterly_report_counts_per_programme_and_is_due_on_the_tenth() {
    let (server, _, _) = fixture().await;
    let coordinator = server.login("dieuphoi").await;
    let (status, report) = server.get_json(&coordinator, "/api/v1/reports/quarterly?quarter=2026-Q1").await;
    assert_eq!(status, 200, "{report}");
    assert_eq!((report["label"].as_str(), report["due"].as_str()), (Some("Quý I/2026"), Some("2026-03-10")));
    assert_eq!((report["from"].as_str(), report["to"].as_str()), (Some("2026-01-01"), Some("2026-03-31")));
    assert_eq!(report["totals"]["doors"], 4);
    let programme =
        |name: &str| report["programmes"].as_array().unwrap().iter().find(|p| p["programme"] == name).cloned().unwrap();
    assert_eq!(
        (programme("cashless_payments")["guided"].as_u64(), programme("cashless_payments")["completed"].as_u64()),
        (Some(2), Some(1))
    );
    assert_eq!(
        (programme("digital_identity")["guided"].as_u64(), programme("digital_identity")["completed"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(programme("e_commerce")["guided"], 0);
    assert_eq!(report["programmes"].as_array().unwrap().len(), 7, "every programme, zero or not");
    let teams: Vec<(&str, u64)> = report["teams"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["name"].as_str().unwrap(), t["doors"].as_u64().unwrap()))
        .collect();
    assert_eq!(teams, [("Tổ CNSCĐ thôn Đông", 3), ("Tổ CNSCĐ thôn Tây", 1)]);

    let leader = server.login("totruong").await;
    let (_, team_report) = server.get_json(&leader, "/api/v1/reports/quarterly?quarter=2026-Q1").await;
    assert_eq!(team_report["totals"]["doors"], 3, "a leader's report is the team's");
    assert_eq!(server.get_json(&leader, "/api/v1/reports/quarterly?quarter=2026-Q7").await.0, 400);
    assert_eq!(server.get_json(&server.login("tinhnguyen1").await, "/api/v1/reports/quarterly").await.0, 403);

    // The XLSX, as LibreOffice reads it.
    let response = server
        .client
        .get(server.url("/api/v1/reports/quarterly.xlsx?quarter=2026-Q1"))
        .bearer_auth(&coordinator)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let text = crate::common::spreadsheet_as_csv(&response.bytes().await.unwrap());
    assert!(text.contains("Báo cáo Quý I/2026 – xã Kiến Minh"), "{text}");
    assert!(text.contains("Hạn gửi báo cáo: 10/03/2026"), "{text}");
    assert!(text.contains("Thanh toán không dùng tiền mặt,2,1"), "{text}");
    assert!(text.contains("Tổ CNSCĐ thôn Đông,3,2,4"), "{text}");
    assert!(text.contains("Thôn Bắc,3,2,80,0"), "the other team knocked in Thôn Bắc too: {text}");
    assert!(text.contains("Buổi học cộng đồng (tính riêng, không tính là hộ)"), "{text}");
    assert!(text.contains("Số buổi học,0,"), "{text}");
}

#[tokio::test]
async fn a_household_visited_twice_in_a_few_days_is_one_household_reached() {
    let (server, _, _) = fixture().await;
    let leader = server.login("totruong").await;
    // 2 and 3 March in Vietnam: the same household, once guided at 23:30, once nobody home after midnight.
    let (status, days) = server.get_json(&leader, "/api/v1/dashboard?from=2026-03-02&to=2026-03-03").await;
    assert_eq!(status, 200, "{days}");
    assert_eq!(
        (&days["totals"]["doors"], &days["totals"]["households_reached"], &days["totals"]["households_guided"]),
        (&json!(2), &json!(1), &json!(1))
    );
    assert_eq!(days["teams"][0]["households_guided"], 1);
}

#[tokio::test]
async fn follow_ups_owed_name_their_owner_until_someone_returns() {
    let (server, _, dong) = fixture().await;
    let huy = server.login("tinhnguyen2").await;
    let c = new_id();
    let mut promised = visit_at(&c, "2026-03-04T03:00:00Z", "guided", json!({"adults": 1}), json!([]));
    promised["follow_up"] = json!({"on": "2026-03-09", "reason": "Cài VNeID cho con"});
    push(&server, &huy, json!({"households": [household(&c, dong)], "visits": [promised]})).await;

    let leader = server.login("totruong").await;
    let (_, march) = server.get_json(&leader, "/api/v1/dashboard?from=2026-03-01&to=2026-03-31").await;
    assert_eq!(
        march["follow_ups"],
        json!([{
            "household_id": c, "household": "Nguyễn Văn An", "village": "Thôn Đông", "on": "2026-03-09",
            "reason": "Cài VNeID cho con", "owner_id": march["follow_ups"][0]["owner_id"], "owner": "Đỗ Quang Huy"
        }])
    );
    let (_, early) = server.get_json(&leader, "/api/v1/dashboard?from=2026-03-01&to=2026-03-08").await;
    assert_eq!(early["follow_ups"], json!([]), "not due yet by the 8th");
    assert_eq!(march["teams"].as_array().unwrap().len(), 1, "a leader's dashboard has the team only");

    // Someone goes back: the household no longer waits.
    let trang = server.login("tinhnguyen1").await;
    push(
        &server,
        &trang,
        json!({"visits": [visit_at(&c, "2026-03-09T03:00:00Z", "guided", json!({"adults": 1}), json!([]))]}),
    )
    .await;
    let (_, after) = server.get_json(&leader, "/api/v1/dashboard?from=2026-03-01&to=2026-03-31").await;
    assert_eq!(after["follow_ups"], json!([]));
    let (_, commune) =
        server.get_json(&server.login("dieuphoi").await, "/api/v1/dashboard?from=2026-03-01&to=2026-03-31").await;
    assert_eq!(commune["teams"].as_array().unwrap().len(), 2, "a coordinator compares the teams");
}

#[tokio::test]
async fn a_dashboard_lists_the_hundred_soonest_returns_and_counts_them_all() {
    let (server, _, dong) = fixture().await;
    let huy = server.login("tinhnguyen2").await;
    // 130 households each promised a return, due 1 to 130 days after 1 May (a day each).
    let owed = 130;
    let households: Vec<String> = (0..owed).map(|_| new_id()).collect();
    for (chunk, ids) in households.chunks(65).enumerate() {
        let visits: Vec<Value> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| {
                let due = chrono::NaiveDate::from_ymd_opt(2026, 5, 1).unwrap()
                    + chrono::Days::new((chunk * 65 + i) as u64 + 1);
                let mut visit = visit_at(id, "2026-05-01T03:00:00Z", "guided", json!({"adults": 1}), json!([]));
                visit["follow_up"] = json!({"on": due, "reason": "Quay lại"});
                visit
            })
            .collect();
        let households: Vec<Value> = ids.iter().map(|id| household(id, dong)).collect();
        push(&server, &huy, json!({"households": households, "visits": visits})).await;
    }

    let leader = server.login("totruong").await;
    let (_, all) = server.get_json(&leader, "/api/v1/dashboard?from=2026-05-01&to=2026-12-31").await;
    let listed = all["follow_ups"].as_array().unwrap();
    assert_eq!(listed.len(), 100, "the hundred soonest");
    assert_eq!(all["follow_ups_total"], owed, "and how many are owed in all");
    assert_eq!(listed[0]["on"], "2026-05-02");
    assert_eq!(listed[99]["on"], "2026-08-09", "soonest first, the later ones left out");

    let (_, may) = server.get_json(&leader, "/api/v1/dashboard?from=2026-05-01&to=2026-05-31").await;
    assert_eq!(may["follow_ups"].as_array().unwrap().len(), 30, "due by 31 May: the 2nd to the 31st");
    assert_eq!(may["follow_ups_total"], 30);
}

/// The five basic skills, each completed: online public services, shopping, payment, safety, local platforms.
fn basic_skills(codes: &[&str]) -> Value {
    Value::Array(codes.iter().map(|code| json!({"code": code, "completed": true})).collect())
}

#[tokio::test]
async fn a_household_reaches_the_national_target_when_its_visits_show_the_five_basic_skills_completed() {
    let (server, bac, dong) = fixture().await;
    let (trang, huy) = (server.login("tinhnguyen1").await, server.login("tinhnguyen2").await);
    let (target, short, late) = (new_id(), new_id(), new_id());
    push(
        &server,
        &trang,
        json!({
            "households": [household(&target, bac), household(&short, bac), household(&late, dong)],
            "visits": [
                // Four of the five in March (two codes of the same group count once)...
                visit_at(&target, "2026-03-05T03:00:00Z", "guided", json!({"adults": 1}),
                         basic_skills(&["publicservice.account", "publicservice.submit", "ecommerce.buy",
                                        "payment.qr", "safety.scam"])),
                // Five guided, but local platforms not completed.
                visit_at(&short, "2026-03-06T03:00:00Z", "guided", json!({"adults": 1}), json!([
                    {"code": "publicservice.submit", "completed": true}, {"code": "ecommerce.buy", "completed": true},
                    {"code": "payment.account", "completed": true}, {"code": "safety.privacy", "completed": true},
                    {"code": "local.platform", "completed": false}, {"code": "vneid.level2", "completed": true}])),
                // All five, but on 1 April: after the first quarter.
                visit_at(&late, "2026-03-31T17:00:00Z", "guided", json!({"pupils": 1}),
                         basic_skills(&["publicservice.submit", "ecommerce.buy", "payment.qr", "safety.account",
                                        "local.platform"])),
            ]
        }),
    )
    .await;
    // ...and the fifth on a later visit, by a teammate.
    push(
        &server,
        &huy,
        json!({"visits": [visit_at(&target, "2026-03-20T03:00:00Z", "guided", json!({"adults": 1}),
                                   basic_skills(&["local.platform"]))]}),
    )
    .await;

    let leader = server.login("totruong").await;
    let (_, early) = server.get_json(&leader, "/api/v1/dashboard?from=2026-03-01&to=2026-03-19").await;
    assert_eq!(at_target(&early, "Thôn Bắc"), 0, "four of five by the 19th");
    let (_, march) = server.get_json(&leader, "/api/v1/dashboard?from=2026-03-01&to=2026-03-31").await;
    assert_eq!((at_target(&march, "Thôn Bắc"), at_target(&march, "Thôn Đông")), (1, 0));
    let (_, q2) = server.get_json(&leader, "/api/v1/dashboard?from=2026-04-01&to=2026-06-30").await;
    assert_eq!((at_target(&q2, "Thôn Bắc"), at_target(&q2, "Thôn Đông")), (1, 1), "reached stays reached");

    let (_, report) = server.get_json(&leader, "/api/v1/reports/quarterly?quarter=2026-Q1").await;
    assert_eq!(at_target(&report, "Thôn Bắc"), 1);
}

#[tokio::test]
async fn a_commune_that_remaps_a_basic_skill_sees_its_households_at_target_recounted() {
    let (server, bac, _) = fixture().await;
    let trang = server.login("tinhnguyen1").await;
    let household_id = new_id();
    // Four basic skills by the starting mapping, and `device.basics`, which counts for none of them.
    push(
        &server,
        &trang,
        json!({
            "households": [household(&household_id, bac)],
            "visits": [visit_at(&household_id, "2026-03-05T03:00:00Z", "guided", json!({"adults": 1}),
                                basic_skills(&["publicservice.submit", "ecommerce.buy", "payment.qr", "safety.scam",
                                               "device.basics"]))]
        }),
    )
    .await;
    let leader = server.login("totruong").await;
    let bac_at_target = || async {
        let (_, march) = server.get_json(&leader, "/api/v1/dashboard?from=2026-03-01&to=2026-03-31").await;
        at_target(&march, "Thôn Bắc")
    };
    assert_eq!(bac_at_target().await, 0, "four of the five");

    // The province counts using the commune's devices class as "local digital platforms".
    let coordinator = server.login("dieuphoi").await;
    let remap = |code: &'static str, basic_skill: Value| {
        let token = coordinator.clone();
        let server = &server;
        async move {
            let path = format!("/api/v1/catalogue/{code}");
            server.send_json(reqwest::Method::PATCH, &token, &path, &json!({"basic_skill": basic_skill})).await
        }
    };
    let (status, entry) = remap("device.basics", json!("local_platforms")).await;
    assert_eq!(status, 200, "{entry}");
    assert_eq!(entry["basic_skill"], "local_platforms");
    assert_eq!(bac_at_target().await, 1, "recounted at once");
    let (_, catalogue) = server.get_json(&trang, "/api/v1/catalogue").await;
    let mapped =
        |code: &str| catalogue["skills"].as_array().unwrap().iter().find(|s| s["code"] == code).unwrap().clone();
    assert_eq!(mapped("device.basics")["basic_skill"], "local_platforms", "phones learn the mapping");
    assert_eq!(mapped("payment.qr")["basic_skill"], "online_payment", "the starting mapping");
    assert_eq!(mapped("vneid.level2")["basic_skill"], Value::Null);

    // Taken out of the mapping, QR payment no longer counts: online payment is missing again.
    let (status, entry) = remap("payment.qr", Value::Null).await;
    assert_eq!((status.as_u16(), &entry["basic_skill"]), (200, &Value::Null));
    assert_eq!(bac_at_target().await, 0);

    let (status, error) = remap("payment.qr", json!("cooking")).await;
    assert_eq!(status, 400, "not one of the five: {error}");
    let (status, _) = server
        .send_json(
            reqwest::Method::PATCH,
            &leader,
            "/api/v1/catalogue/payment.qr",
            &json!({"basic_skill": "online_payment"}),
        )
        .await;
    assert_eq!(status, 403, "only the coordinator remaps");
    let (_, audit) = server.get_json(&coordinator, "/api/v1/audit").await;
    let details: Vec<&str> = audit["entries"].as_array().unwrap().iter().filter_map(|e| e["detail"].as_str()).collect();
    assert!(details.iter().any(|d| d.contains("kỹ năng cơ bản: Nền tảng số của địa phương")), "{details:?}");
}

#[tokio::test]
async fn community_sessions_are_counted_apart_and_never_as_households() {
    let (server, bac, dong) = fixture().await;
    let trang = server.login("tinhnguyen1").await;
    let leader = server.login("totruong").await;
    let (_, before) = server.get_json(&leader, "/api/v1/dashboard?from=2026-01-01&to=2026-03-31").await;

    let mut last_day = community_session(&new_id(), dong);
    last_day["held_on"] = json!("2026-03-31");
    last_day["attendees"] = json!({"officials": 2, "pupils": 30, "adults": 40, "elderly": 12, "workers": 3});
    let mut first_day = community_session(&new_id(), bac);
    first_day["held_on"] = json!("2026-04-01");
    let deleted_id = new_id();
    let mut deleted = community_session(&deleted_id, bac);
    deleted["held_on"] = json!("2026-03-15");
    push(&server, &trang, json!({"community_sessions": [last_day, first_day, deleted]})).await;
    push(&server, &trang, json!({"deleted_community_sessions": [deleted_id]})).await;
    let outsider = server.login("khac-to").await;
    let mut theirs = community_session(&new_id(), bac);
    theirs["held_on"] = json!("2026-03-10");
    theirs["attendees"] = json!({"adults": 10});
    push(&server, &outsider, json!({"community_sessions": [theirs]})).await;

    let (_, q1) = server.get_json(&leader, "/api/v1/dashboard?from=2026-01-01&to=2026-03-31").await;
    assert_eq!(
        q1["community_sessions"],
        json!({
            "sessions": 1,
            "attendees": {"officials": 2, "pupils": 30, "adults": 40, "elderly": 12, "workers": 3},
            "villages": [{"village_id": dong, "name": "Thôn Đông", "sessions": 1, "attendees": 75}]
        })
    );
    for figure in ["totals", "villages", "days", "volunteers", "teams"] {
        assert_eq!(q1[figure], before[figure], "{figure} counts visits only");
    }

    let coordinator = server.login("dieuphoi").await;
    let (_, commune) = server.get_json(&coordinator, "/api/v1/dashboard?from=2026-01-01&to=2026-03-31").await;
    assert_eq!(commune["community_sessions"]["sessions"], 2, "the other team's session too");
    let (_, q2) = server.get_json(&coordinator, "/api/v1/reports/quarterly?quarter=2026-Q2").await;
    assert_eq!(
        (q2["community_sessions"]["sessions"].as_u64(), q2["community_sessions"]["attendees"]["adults"].as_u64()),
        (Some(1), Some(80)),
        "1 April is in the second quarter"
    );
    assert_eq!(q2["totals"]["households_reached"], 1, "attendees are not households");
}

#[tokio::test]
async fn the_kept_figures_follow_edits_deletions_voids_and_moves_exactly() {
    let (server, bac, dong) = fixture().await;
    let (trang, leader, coordinator) =
        (server.login("tinhnguyen1").await, server.login("totruong").await, server.login("dieuphoi").await);
    let (first, second) = (new_id(), new_id());
    let visit = |id: &str, household: &str, at: &str, skills: Value| {
        let mut visit = visit_at(household, at, "guided", json!({"adults": 1, "elderly": 1}), skills);
        visit["id"] = json!(id);
        visit
    };
    let (home, other) = (new_id(), new_id());
    let all_five =
        basic_skills(&["publicservice.submit", "ecommerce.buy", "payment.qr", "safety.scam", "local.platform"]);
    push(
        &server,
        &trang,
        json!({
            "households": [household(&home, bac), household(&other, dong)],
            "visits": [visit(&first, &home, "2026-03-10T03:00:00Z", all_five.clone()),
                       visit(&second, &home, "2026-03-11T03:00:00Z", json!([]))]
        }),
    )
    .await;
    let march = "/api/v1/dashboard?from=2026-03-01&to=2026-03-31";
    let (_, before) = server.get_json(&coordinator, march).await;
    assert_kept_equals_rebuilt(&server, &coordinator).await;

    // A visit made earlier arrives later (a phone that was offline): the first visit, the basic
    // skills' times and the months move back; the latest visit stays the latest.
    let mut earlier =
        visit(&new_id(), &other, "2026-02-20T03:00:00Z", json!([{"code": "payment.qr", "completed": true}]));
    earlier["follow_up"] = json!({"on": "2026-02-27", "reason": "Quay lại"});
    push(&server, &server.login("tinhnguyen2").await, json!({"visits": [earlier]})).await;
    assert_kept_equals_rebuilt(&server, &coordinator).await;

    // An edit moves the first visit to the other household, a day later and without skills...
    let mut edited = visit(&first, &other, "2026-03-12T03:00:00Z", json!([]));
    edited["revision"] = json!(2);
    push(&server, &trang, json!({"visits": [edited]})).await;
    // ...the second is deleted by its author, and a leader voids one of the fixture's...
    push(&server, &trang, json!({"deleted_visits": [second]})).await;
    let (_, visits) = server.get_json(&leader, "/api/v1/visits").await;
    let fixture_visit = visits["visits"].as_array().unwrap().iter().find(|v| v["outcome"] == "declined").unwrap();
    let (status, _) =
        server.delete(&leader, &format!("/api/v1/visits/{}", fixture_visit["id"].as_str().unwrap())).await;
    assert_eq!(status, 204);
    // ...and the other household's village is corrected.
    let mut moved = household(&other, bac);
    moved["revision"] = json!(2);
    push(&server, &trang, json!({"households": [moved]})).await;

    let (_, after) = server.get_json(&coordinator, march).await;
    assert_eq!(after["totals"]["doors"], before["totals"]["doors"].as_u64().unwrap() - 1, "one visit deleted");
    assert_eq!(village(&before, "Thôn Bắc")["households_at_target"], 1);
    assert_eq!(village(&after, "Thôn Bắc")["households_at_target"], 0, "the skills went with the edit");

    assert_kept_equals_rebuilt(&server, &coordinator).await;
}

#[tokio::test]
async fn visits_still_queued_for_the_figures_are_edited_deleted_voided_and_moved_exactly() {
    // A push's new visits are folded into the figures a second after it; each change below
    // follows within a few milliseconds, finds them still queued, and must fold them first.
    let (server, bac, dong) = fixture().await;
    let (trang, leader, coordinator) =
        (server.login("tinhnguyen1").await, server.login("totruong").await, server.login("dieuphoi").await);
    let march = "/api/v1/dashboard?from=2026-03-01&to=2026-03-31";
    let (_, before) = server.get_json(&coordinator, march).await;
    let (home, other) = (new_id(), new_id());
    let (edited, deleted, voided) = (new_id(), new_id(), new_id());
    let visit = |id: &str, household: &str, at: &str| {
        let skills = basic_skills(&["publicservice.submit", "payment.qr"]);
        let mut visit = visit_at(household, at, "guided", json!({"adults": 2}), skills);
        visit["id"] = json!(id);
        visit
    };
    push(
        &server,
        &trang,
        json!({
            "households": [household(&home, bac), household(&other, dong)],
            "visits": [visit(&edited, &home, "2026-03-10T03:00:00Z"),
                       visit(&deleted, &home, "2026-03-11T03:00:00Z"),
                       visit(&voided, &other, "2026-03-12T03:00:00Z")]
        }),
    )
    .await;
    let mut edit = visit(&edited, &other, "2026-03-13T03:00:00Z");
    edit["revision"] = json!(2);
    push(&server, &trang, json!({"visits": [edit], "deleted_visits": [deleted]})).await;
    push(&server, &trang, json!({"visits": [visit(&new_id(), &home, "2026-03-14T03:00:00Z")]})).await;
    let (status, _) = server.delete(&leader, &format!("/api/v1/visits/{voided}")).await;
    assert_eq!(status, 204);
    push(&server, &trang, json!({"visits": [visit(&new_id(), &other, "2026-03-15T03:00:00Z")]})).await;
    let mut moved = household(&other, bac);
    moved["revision"] = json!(2);
    push(&server, &trang, json!({"households": [moved]})).await;

    let (_, after) = server.get_json(&coordinator, march).await;
    let doors = |dashboard: &Value| dashboard["totals"]["doors"].as_u64().unwrap();
    assert_eq!(doors(&after), doors(&before) + 3, "the edited visit and two new ones; one deleted, one voided");
    assert_kept_equals_rebuilt(&server, &coordinator).await;
}

/// The kept figures equal figures computed afresh from the visits, for a few periods and the report.
async fn assert_kept_equals_rebuilt(server: &TestServer, coordinator: &str) {
    let without_time = |dashboard: &Value| {
        let mut dashboard = dashboard.clone();
        dashboard["generated_at"] = json!(null);
        dashboard
    };
    for path in [
        "/api/v1/dashboard?from=2026-03-01&to=2026-03-31",
        "/api/v1/dashboard?from=2026-02-15&to=2026-03-11",
        "/api/v1/dashboard?from=2026-01-01&to=2026-06-30",
        "/api/v1/dashboard?from=2026-01-01&to=2026-06-30&team_id=1",
        "/api/v1/reports/quarterly?quarter=2026-Q1",
    ] {
        let (_, kept) = server.get_json(coordinator, path).await;
        server.database().await.rebuild_aggregates().await.unwrap();
        let (_, rebuilt) = server.get_json(coordinator, path).await;
        assert_eq!(without_time(&kept), without_time(&rebuilt), "{path}");
    }
}

#[tokio::test]
async fn two_servers_folding_visits_to_the_same_households_at_once_lose_no_increment() {
    // Two server processes on one database, as a province runs them: two
    // volunteers push visits to the same households through different servers,
    // each folding what it stored soon after, while two more folders race them.
    let dir = tempfile::tempdir().unwrap();
    let processes = [ServerProcess::start(dir.path()), ServerProcess::start(dir.path())];
    let (first, second) = (processes[0].base.clone(), processes[1].base.clone());
    let url = common::database_url(dir.path());
    let folders = [
        gocua_server::db::Database::connect(&url).await.unwrap(),
        gocua_server::db::Database::connect(&url).await.unwrap(),
    ];
    let client = reqwest::Client::new();
    let (trang, huy) =
        (common::login(&client, &first, "tinhnguyen1").await, common::login(&client, &second, "tinhnguyen2").await);
    let me: Value =
        client.get(format!("{first}/api/v1/me")).bearer_auth(&trang).send().await.unwrap().json().await.unwrap();
    let village_id = me["villages"][0]["id"].as_i64().unwrap();
    let households: Vec<String> = (0..5).map(|_| new_id()).collect();
    let send = |base: &str, token: &str, body: Value| {
        let request = client.post(format!("{base}/api/v1/sync/push")).bearer_auth(token).json(&body);
        async move {
            let answer: Value = request.send().await.unwrap().json().await.unwrap();
            assert!(answer["results"].as_array().unwrap().iter().all(|r| r["status"] == "applied"), "{answer}");
        }
    };
    send(
        &first,
        &trang,
        json!({"households": households.iter().map(|id| household(id, village_id)).collect::<Vec<_>>()}),
    )
    .await;

    let batch = |at: &str| -> Value {
        let skills = json!([{"code": "vneid.level2", "completed": true}, {"code": "payment.qr", "completed": true}]);
        let visits: Vec<Value> =
            households.iter().map(|id| visit_at(id, at, "guided", json!({"adults": 1}), skills.clone())).collect();
        json!({"visits": visits})
    };
    for round in 0..10 {
        let at = format!("2026-03-{:02}T03:00:00Z", round + 2);
        tokio::join!(
            send(&first, &trang, batch(&at)),
            send(&second, &huy, batch(&at)),
            async { folders[0].fold_queued_figures().await.unwrap() },
            async { folders[1].fold_queued_figures().await.unwrap() },
        );
    }

    let coordinator = common::login(&client, &first, "dieuphoi").await;
    let dashboard = |base: String| {
        let request =
            client.get(format!("{base}/api/v1/dashboard?from=2026-03-01&to=2026-03-31")).bearer_auth(&coordinator);
        async move {
            let mut figures: Value = request.send().await.unwrap().json().await.unwrap();
            figures["generated_at"] = json!(null);
            figures
        }
    };
    let kept = dashboard(second.clone()).await;
    assert_eq!(kept["totals"]["doors"], 100, "every visit counted once: {kept}");
    folders[0].rebuild_aggregates().await.unwrap();
    assert_eq!(kept, dashboard(first).await, "the kept figures equal a rebuild");
}
