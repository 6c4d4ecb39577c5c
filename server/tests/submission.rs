//! A commune's quarterly report sent upward (issue 15): kept as submitted,
//! replaced until its due date, then standing; the coordinator's alone.

use crate::common::{new_id, visit, TestServer};
use chrono::Utc;
use gocua_domain::report::Quarter;
use gocua_domain::time::today;
use reqwest::Method;
use serde_json::{json, Value};

const SUBMISSION: &str = "/api/v1/reports/quarterly/submission";

fn previous(quarter: Quarter) -> Quarter {
    if quarter.number == 1 {
        Quarter { year: quarter.year - 1, number: 4 }
    } else {
        Quarter { year: quarter.year, number: quarter.number - 1 }
    }
}

fn next(quarter: Quarter) -> Quarter {
    if quarter.number == 4 {
        Quarter { year: quarter.year + 1, number: 1 }
    } else {
        Quarter { year: quarter.year, number: quarter.number + 1 }
    }
}

/// A visit logged now, so it falls in this quarter.
async fn visit_now(server: &TestServer, token: &str, household_id: &str) {
    let mut logged = visit(&new_id(), household_id);
    logged["visited_at"] = json!(Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
    let answer: Value = server.push(token, &json!({"visits": [logged]})).await.json().await.unwrap();
    assert_eq!(answer["results"][0]["status"], "applied", "{answer}");
}

#[tokio::test]
async fn a_submitted_report_is_kept_as_it_was_and_replaced_until_its_due_date() {
    let server = TestServer::start().await;
    let volunteer = server.login("tinhnguyen1").await;
    let coordinator = server.login("dieuphoi").await;
    let household_id = server.new_household(&volunteer).await;
    visit_now(&server, &volunteer, &household_id).await;

    let this_quarter = Quarter::of(today(Utc::now()));
    let on_time = today(Utc::now()) <= this_quarter.report_due();
    let (status, before) = server.get_json(&coordinator, &format!("{SUBMISSION}?quarter={this_quarter}")).await;
    assert_eq!(status, 200, "{before}");
    assert_eq!(before["submission"], Value::Null);
    assert_eq!(before["standing"], if on_time { "due" } else { "missing" });
    assert_eq!(before["due"], json!(this_quarter.report_due()));

    let body = json!({"quarter": this_quarter.to_string()});
    let (status, submitted) = server.send_json(Method::POST, &coordinator, SUBMISSION, &body).await;
    assert_eq!(status, 200, "{submitted}");
    assert_eq!(submitted["standing"], if on_time { "on_time" } else { "late" });
    assert_eq!(submitted["submission"]["times"], 1);
    assert_eq!(submitted["submission"]["submitted_by"], "Trần Thị Hoa", "{submitted}");
    assert_eq!(submitted["submission"]["report"]["totals"]["doors"], 1);
    // When it was submitted is when the report was compiled, to the microsecond.
    assert_eq!(submitted["submission"]["submitted_at"], submitted["submission"]["report"]["generated_at"]);

    // Logged after: the live report counts it, the submitted one is as it was sent.
    visit_now(&server, &volunteer, &household_id).await;
    let (_, live) = server.get_json(&coordinator, &format!("/api/v1/reports/quarterly?quarter={this_quarter}")).await;
    assert_eq!(live["totals"]["doors"], 2);
    let (_, kept) = server.get_json(&coordinator, &format!("{SUBMISSION}?quarter={this_quarter}")).await;
    assert_eq!(kept["submission"]["report"]["totals"]["doors"], 1, "{kept}");

    if on_time {
        let (status, again) = server.send_json(Method::POST, &coordinator, SUBMISSION, &body).await;
        assert_eq!(status, 200, "{again}");
        assert_eq!(again["submission"]["times"], 2);
        assert_eq!(again["submission"]["report"]["totals"]["doors"], 2, "replaced by the report as it is now");
    }

    let (_, audit) = server.get_json(&coordinator, "/api/v1/audit").await;
    let actions: Vec<&str> = audit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|entry| entry["subject"] == format!("report:{this_quarter}"))
        .map(|entry| entry["action"].as_str().unwrap())
        .collect();
    let expected = if on_time { vec!["report.resubmitted", "report.submitted"] } else { vec!["report.submitted"] };
    assert_eq!(actions, expected, "each submission is in the audit log, newest first");
}

#[tokio::test]
async fn a_report_past_its_due_date_is_sent_late_once_then_stands() {
    let server = TestServer::start().await;
    let coordinator = server.login("dieuphoi").await;
    let past = previous(Quarter::of(today(Utc::now())));
    let body = json!({"quarter": past.to_string()});

    let (_, missing) = server.get_json(&coordinator, &format!("{SUBMISSION}?quarter={past}")).await;
    assert_eq!(missing["standing"], "missing");
    let (status, late) = server.send_json(Method::POST, &coordinator, SUBMISSION, &body).await;
    assert_eq!(status, 200, "{late}");
    assert_eq!(late["standing"], "late");

    let (status, refused) = server.send_json(Method::POST, &coordinator, SUBMISSION, &body).await;
    assert_eq!(status, 409, "{refused}");
    assert_eq!(refused["error"]["code"], "report_closed");
    let message = refused["error"]["message"].as_str().unwrap();
    assert!(message.contains("giữ nguyên"), "says what stands, in Vietnamese: {message}");
    let (_, kept) = server.get_json(&coordinator, &format!("{SUBMISSION}?quarter={past}")).await;
    assert_eq!(kept["submission"]["times"], 1, "nothing replaced");

    let future = json!({"quarter": next(Quarter::of(today(Utc::now()))).to_string()});
    let (status, refused) = server.send_json(Method::POST, &coordinator, SUBMISSION, &future).await;
    assert_eq!((status.as_u16(), &refused["error"]["code"]), (400, &json!("quarter_not_started")), "{refused}");
}

#[tokio::test]
async fn only_the_communes_coordinator_submits_and_reads_its_submission() {
    let server = TestServer::start().await;
    crate::common::add_neighbours(&server).await;
    let this_quarter = Quarter::of(today(Utc::now())).to_string();
    let body = json!({"quarter": this_quarter});
    for username in ["tinhnguyen1", "totruong"] {
        let token = server.login(username).await;
        let (status, _) = server.send_json(Method::POST, &token, SUBMISSION, &body).await;
        assert_eq!(status, 403, "{username} submits nothing");
        let (status, _) = server.get_json(&token, &format!("{SUBMISSION}?quarter={this_quarter}")).await;
        assert_eq!(status, 403, "{username} reads nothing");
    }
    let coordinator = server.login("dieuphoi").await;
    let (status, _) = server.send_json(Method::POST, &coordinator, SUBMISSION, &body).await;
    assert_eq!(status, 200);
    // Another commune's coordinator sees its own commune's standing, never ours.
    let neighbour = server.login("dieuphoi-khac").await;
    let (status, theirs) = server.get_json(&neighbour, &format!("{SUBMISSION}?quarter={this_quarter}")).await;
    assert_eq!(status, 200);
    assert_eq!(theirs["submission"], Value::Null, "{theirs}");

    for wrong in [json!([]), json!({"quarter": "quý 4"}), json!({"quarter": this_quarter, "team_id": 1}), json!({})] {
        let (status, answer) = server.send_json(Method::POST, &coordinator, SUBMISSION, &wrong).await;
        assert_eq!(status, 400, "{wrong}: {answer}");
    }
}

/// Two coordinators submitting at once: each report is compiled before the
/// commune's turn is taken, so the later compile may reach storage first.
/// The kept submission is the later compile's, whichever commits last.
#[tokio::test]
async fn of_two_submissions_at_once_the_later_compile_is_kept() {
    let server = TestServer::start().await;
    let (_, me) = server.get_json(&server.login("dieuphoi").await, "/api/v1/me").await;
    let coordinator = gocua_server::db::Actor {
        user_id: me["user_id"].as_i64().unwrap(),
        commune_id: me["commune"]["id"].as_i64().unwrap(),
        team_id: None,
        role: gocua_domain::api::Role::Coordinator,
    };
    let db = server.database().await;
    let quarter = Quarter { year: 2026, number: 1 };
    let at = |time: &str| format!("2026-02-01T{time}Z").parse::<chrono::DateTime<Utc>>().unwrap();
    let submit = |report: &'static str, compiled_at| {
        let (db, coordinator) = (&db, &coordinator);
        async move { db.submit_report(coordinator, quarter, report, compiled_at).await.unwrap().unwrap() }
    };

    let later = submit(r#"{"compiled":"later"}"#, at("03:00:01")).await;
    assert_eq!((later.times, later.report.as_str()), (1, r#"{"compiled":"later"}"#));
    // The earlier compile commits second: it replaces nothing, and is answered the kept one.
    let earlier = submit(r#"{"compiled":"earlier"}"#, at("03:00:00")).await;
    assert_eq!((earlier.times, earlier.report.as_str()), (1, r#"{"compiled":"later"}"#));
    assert_eq!(earlier.submitted_at, at("03:00:01"));
    // A resubmission compiled afterwards replaces it, as any before the due date does.
    let again = submit(r#"{"compiled":"again"}"#, at("04:00:00")).await;
    assert_eq!((again.times, again.report.as_str()), (2, r#"{"compiled":"again"}"#));
}
