//! Busy is not broken: many writers at once, on every write endpoint, beside
//! phones pushing. SQLite has one writer at a time; every other write waits
//! its turn, and none is answered 5xx. Afterwards the database holds exactly
//! what was answered.

use crate::common::{household, new_id, visit, TestServer};
use reqwest::Method;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// Rounds each writer makes.
const ROUNDS: usize = 12;

/// Counts answers by kind, failing the test on any 5xx.
#[derive(Default)]
struct Answers {
    ok: AtomicUsize,
}

impl Answers {
    fn check(&self, what: &str, status: reqwest::StatusCode, body: &Value) {
        assert!(!status.is_server_error(), "{what} answered {status}: {body}");
        assert!(status.is_success(), "{what} answered {status}: {body}");
        self.ok.fetch_add(1, Ordering::Relaxed);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_write_endpoint_waits_its_turn_beside_pushing_phones() {
    let server = Arc::new(TestServer::start().await);
    let (volunteer1, volunteer2) = (server.login("tinhnguyen1").await, server.login("tinhnguyen2").await);
    let (leader, coordinator) = (server.login("totruong").await, server.login("dieuphoi").await);
    let village = server.village_id(&volunteer1).await;
    let household_id = server.new_household(&volunteer1).await;
    let answers = Arc::new(Answers::default());
    let mut writers = tokio::task::JoinSet::new();

    // Two phones push batches of new visits, each to a new household.
    let pushed_visits = Arc::new(AtomicUsize::new(0));
    for token in [volunteer1.clone(), volunteer2.clone()] {
        let (server, answers, pushed_visits) = (server.clone(), answers.clone(), pushed_visits.clone());
        writers.spawn(async move {
            for _ in 0..ROUNDS {
                let home = new_id();
                let visits: Vec<Value> = (0..20).map(|_| visit(&new_id(), &home)).collect();
                let batch = json!({"households": [household(&home, village)], "visits": visits});
                let response = server.push(&token, &batch).await;
                let status = response.status();
                let body: Value = response.json().await.unwrap_or(Value::Null);
                answers.check("push", status, &body);
                let applied = body["results"].as_array().unwrap().iter().filter(|r| r["status"] == "applied").count();
                assert_eq!(applied, 21, "{body}");
                pushed_visits.fetch_add(20, Ordering::Relaxed);
            }
        });
    }
    // The coordinator corrects one household again and again, and erases others.
    {
        let (server, answers, token, id) = (server.clone(), answers.clone(), coordinator.clone(), household_id.clone());
        writers.spawn(async move {
            for round in 0..ROUNDS {
                let path = format!("/api/v1/households/{id}");
                let body = json!({"address": format!("Số {round}, ngõ 3")});
                let (status, body) = server.send_json(Method::PATCH, &token, &path, &body).await;
                answers.check("household correction", status, &body);
            }
        });
    }
    {
        let (server, answers, volunteer, token) =
            (server.clone(), answers.clone(), volunteer1.clone(), coordinator.clone());
        writers.spawn(async move {
            for _ in 0..ROUNDS / 2 {
                let id = server.new_household(&volunteer).await;
                let (status, body) = server.delete(&token, &format!("/api/v1/households/{id}/personal-data")).await;
                answers.check("erasure", status, &body);
            }
        });
    }
    // The leader voids visits as they are logged, and invites volunteers.
    let voided = Arc::new(AtomicUsize::new(0));
    {
        let (server, answers, volunteer, token, voided) =
            (server.clone(), answers.clone(), volunteer2.clone(), leader.clone(), voided.clone());
        let household_id = household_id.clone();
        writers.spawn(async move {
            for _ in 0..ROUNDS {
                let id = new_id();
                let response = server.push(&volunteer, &json!({"visits": [visit(&id, &household_id)]})).await;
                let status = response.status();
                answers.check("push before voiding", status, &response.json().await.unwrap_or(Value::Null));
                let (status, body) = server.delete(&token, &format!("/api/v1/visits/{id}")).await;
                answers.check("voiding", status, &body);
                voided.fetch_add(1, Ordering::Relaxed);
            }
        });
    }
    {
        let (server, answers, token) = (server.clone(), answers.clone(), leader.clone());
        writers.spawn(async move {
            for _ in 0..ROUNDS {
                let (status, body) = server.send_json(Method::POST, &token, "/api/v1/invites", &json!({})).await;
                answers.check("invite", status, &body);
            }
        });
    }
    // The coordinator sets up the commune: villages, teams, accounts, skills.
    {
        let (server, answers, token) = (server.clone(), answers.clone(), coordinator.clone());
        writers.spawn(async move {
            for round in 0..ROUNDS {
                let village = json!({"name": format!("Thôn bận {round}"), "households": 10 + round});
                let (status, body) = server.send_json(Method::POST, &token, "/api/v1/villages", &village).await;
                answers.check("village", status, &body);
                let team = json!({"name": format!("Tổ bận {round}")});
                let (status, body) = server.send_json(Method::POST, &token, "/api/v1/teams", &team).await;
                answers.check("team", status, &body);
                let team_id = body["id"].as_i64().unwrap();
                let account = json!({"username": format!("ban{round}"), "display_name": format!("Người bận {round}"),
                                     "role": "volunteer", "team_id": team_id, "password": "mat-khau-dai-du"});
                let (status, body) = server.send_json(Method::POST, &token, "/api/v1/users", &account).await;
                answers.check("account", status, &body);
                let user_id = body["id"].as_i64().unwrap();
                let change = json!({"display_name": format!("Người bận số {round}")});
                let path = format!("/api/v1/users/{user_id}");
                let (status, body) = server.send_json(Method::PATCH, &token, &path, &change).await;
                answers.check("account change", status, &body);
                let skill = json!({"code": format!("busy.s{round}"), "group": "smart_devices",
                                   "label": format!("Kỹ năng bận {round}")});
                let (status, body) = server.send_json(Method::POST, &token, "/api/v1/catalogue", &skill).await;
                answers.check("skill", status, &body);
            }
        });
    }
    while let Some(done) = writers.join_next().await {
        done.expect("a writer panicked");
    }

    // The database holds what was answered.
    let (_, villages) = server.get_json(&coordinator, "/api/v1/villages").await;
    let busy_villages = villages["villages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["name"].as_str().is_some_and(|name| name.starts_with("Thôn bận")));
    assert_eq!(busy_villages.count(), ROUNDS);
    let (_, teams) = server.get_json(&coordinator, "/api/v1/teams").await;
    let busy_teams =
        teams["teams"].as_array().unwrap().iter().filter(|t| t["name"].as_str().unwrap().starts_with("Tổ bận"));
    assert_eq!(busy_teams.count(), ROUNDS);
    let corrected = server.households(&coordinator).await.into_iter().find(|h| h["id"] == household_id.as_str());
    assert_eq!(corrected.unwrap()["address"], format!("Số {}, ngõ 3", ROUNDS - 1));
    let visits = server.visits(&leader).await;
    assert_eq!(visits.len(), pushed_visits.load(Ordering::Relaxed), "every pushed visit, and no voided one");
    assert_eq!(voided.load(Ordering::Relaxed), ROUNDS);
    let (_, audit) = server.get_json(&coordinator, "/api/v1/audit?limit=1000").await;
    let logged = |action: &str| audit["entries"].as_array().unwrap().iter().filter(|e| e["action"] == action).count();
    assert_eq!(logged("household.corrected"), ROUNDS);
    assert_eq!(logged("invite.created"), ROUNDS);
    assert_eq!(logged("visit.voided"), ROUNDS);
}

/// Pushes of one commune arriving at once, more than the server's
/// connections to the database (16).
const BURST: usize = 40;

/// A burst of one commune's pushes waits its turn without taking every
/// connection to the database: another commune's coordinator, and a reader of
/// the same commune, are answered while the burst is still being stored, not
/// after it. On PostgreSQL, where each push is made to linger in the database
/// (a trigger) so the burst lasts seconds; SQLite's pushes take turns inside
/// the server process already, with no database server to wait on.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_burst_of_one_communes_pushes_leaves_connections_for_everyone_else() {
    if crate::common::engine() != gocua_server::db::Engine::Postgres {
        return;
    }
    let server = TestServer::start().await;
    crate::common::add_neighbours(&server).await;
    let url = server.database_url();
    let linger = "CREATE FUNCTION linger() RETURNS trigger LANGUAGE plpgsql AS $$
                  BEGIN PERFORM pg_sleep(0.1); RETURN NEW; END $$";
    crate::common::execute_sql(&url, linger, &[]).await;
    let after_each_push = "CREATE TRIGGER linger AFTER INSERT ON visits_to_fold FOR EACH ROW EXECUTE FUNCTION linger()";
    crate::common::execute_sql(&url, after_each_push, &[]).await;
    let volunteer = server.login("tinhnguyen1").await;
    let household_id = server.new_household(&volunteer).await;
    let (neighbour, leader) = (server.login("dieuphoi-khac").await, server.login("totruong").await);

    let server = Arc::new(server);
    let stored = Arc::new(AtomicUsize::new(0));
    let pushes: Vec<_> = (0..BURST)
        .map(|_| {
            let (server, stored, volunteer, household_id) =
                (server.clone(), stored.clone(), volunteer.clone(), household_id.clone());
            tokio::spawn(async move {
                let body = json!({"visits": [visit(&new_id(), &household_id)]});
                let answer: Value = server.push(&volunteer, &body).await.json().await.unwrap();
                assert_eq!(answer["results"][0]["status"], "applied", "{answer}");
                stored.fetch_add(1, Ordering::SeqCst);
            })
        })
        .collect();
    // The burst is under way: the first push is stored.
    while stored.load(Ordering::SeqCst) == 0 {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    for (who, token) in [("another commune's coordinator", &neighbour), ("the same commune's leader", &leader)] {
        server.pull(token, None, None).await;
        let by_then = stored.load(Ordering::SeqCst);
        assert!(by_then < BURST / 2, "{who} was answered only after {by_then} of the {BURST} pushes");
    }
    for push in pushes {
        push.await.unwrap();
    }
    assert_eq!(stored.load(Ordering::SeqCst), BURST);
}
