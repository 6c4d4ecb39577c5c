//! Several server processes on one database (issue 14): what one server
//! stores, every other serves, and a pull never skips a change, even when
//! transactions commit in another order than they took their sequence
//! numbers (PostgreSQL). Each server is the real binary, a process of its
//! own. Run on every backend (`GOCUA_TEST_BACKEND`).

use crate::common::{self, household, new_id, visit};
use crate::server_process::ServerProcess;
use gocua_server::db::Engine;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Phones pushing at once, each through both servers in turn.
const PUSHERS: [&str; 3] = ["tinhnguyen1", "tinhnguyen2", "totruong"];
const BATCHES: usize = 12;
const VISITS_PER_BATCH: usize = 8;

async fn sign_in(client: &reqwest::Client, base: &str, username: &str) -> String {
    common::login(client, base, username).await
}

/// Pulls from `since` to the end of the log, from the servers in turn page
/// by page; the visits seen are added to `seen`. The last cursor.
async fn pull_to_end(
    client: &reqwest::Client,
    servers: &[String],
    token: &str,
    mut since: Option<String>,
    seen: &mut BTreeSet<String>,
) -> Option<String> {
    for page in 0.. {
        let base = &servers[page % servers.len()];
        let mut request = client.get(format!("{base}/api/v1/sync/pull")).bearer_auth(token).query(&[("limit", "25")]);
        if let Some(since) = &since {
            request = request.query(&[("since", since)]);
        }
        let answer: Value = request.send().await.unwrap().json().await.unwrap();
        for change in answer["changes"].as_array().expect("a page of changes") {
            if change["kind"] == "visit" {
                seen.insert(change["visit"]["id"].as_str().unwrap().to_owned());
            }
        }
        since = answer["cursor"].as_str().map(str::to_owned);
        if answer["has_more"] == false {
            break;
        }
    }
    since
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_pushes_through_two_servers_reach_a_puller_that_keeps_pulling() {
    let dir = tempfile::tempdir().unwrap();
    let processes = [ServerProcess::start(dir.path()), ServerProcess::start(dir.path())];
    let servers: Vec<String> = processes.iter().map(|process| process.base.clone()).collect();
    let client = reqwest::Client::new();
    if common::engine() == Engine::Postgres {
        // Each push lingers between taking its sequence numbers and committing,
        // so pushes running side by side would commit out of order.
        let url = common::database_url(dir.path());
        let linger = "CREATE FUNCTION linger() RETURNS trigger LANGUAGE plpgsql AS $$
                      BEGIN PERFORM pg_sleep(random() * 0.05); RETURN NEW; END $$";
        common::execute_sql(&url, linger, &[]).await;
        let after_the_log =
            "CREATE TRIGGER linger AFTER INSERT ON visits_to_fold FOR EACH ROW EXECUTE FUNCTION linger()";
        common::execute_sql(&url, after_the_log, &[]).await;
    }

    // One household of the team, stored through the first server.
    let owner = sign_in(&client, &servers[0], PUSHERS[0]).await;
    let me: Value =
        client.get(format!("{}/api/v1/me", servers[0])).bearer_auth(&owner).send().await.unwrap().json().await.unwrap();
    let household_id = new_id();
    let body = json!({"households": [household(&household_id, me["villages"][0]["id"].as_i64().unwrap())]});
    let stored = client.post(format!("{}/api/v1/sync/push", servers[0])).bearer_auth(&owner).json(&body);
    assert_eq!(stored.send().await.unwrap().status(), 200);

    // The coordinator's phone pulls to the end again and again while the team pushes.
    let coordinator = sign_in(&client, &servers[1], "dieuphoi").await;
    let pushing = Arc::new(AtomicBool::new(true));
    let puller = {
        let (client, servers, coordinator, pushing) =
            (client.clone(), servers.clone(), coordinator.clone(), pushing.clone());
        tokio::spawn(async move {
            let (mut seen, mut cursor) = (BTreeSet::new(), None);
            while pushing.load(Ordering::SeqCst) {
                cursor = pull_to_end(&client, &servers, &coordinator, cursor, &mut seen).await;
            }
            // Once the last push is answered, one more pull from where it stood.
            pull_to_end(&client, &servers, &coordinator, cursor, &mut seen).await;
            seen
        })
    };

    let mut phones = Vec::new();
    for (phone, username) in PUSHERS.into_iter().enumerate() {
        let (client, servers, household_id) = (client.clone(), servers.clone(), household_id.clone());
        phones.push(tokio::spawn(async move {
            let token = sign_in(&client, &servers[phone % 2], username).await;
            let mut pushed = Vec::new();
            for batch in 0..BATCHES {
                let visits: Vec<Value> = (0..VISITS_PER_BATCH).map(|_| visit(&new_id(), &household_id)).collect();
                pushed.extend(visits.iter().map(|visit| visit["id"].as_str().unwrap().to_owned()));
                let base = &servers[(phone + batch) % 2];
                let answer: Value = client
                    .post(format!("{base}/api/v1/sync/push"))
                    .bearer_auth(&token)
                    .json(&json!({"visits": visits}))
                    .send()
                    .await
                    .unwrap()
                    .json()
                    .await
                    .unwrap();
                let statuses: Vec<&Value> =
                    answer["results"].as_array().unwrap().iter().map(|r| &r["status"]).collect();
                assert!(statuses.iter().all(|status| *status == "applied"), "{answer}");
            }
            pushed
        }));
    }
    let mut pushed = BTreeSet::new();
    for phone in phones {
        pushed.extend(phone.await.unwrap());
    }
    pushing.store(false, Ordering::SeqCst);
    let seen = puller.await.unwrap();

    assert_eq!(pushed.len(), PUSHERS.len() * BATCHES * VISITS_PER_BATCH);
    let missed: Vec<&String> = pushed.difference(&seen).collect();
    assert!(
        missed.is_empty(),
        "{} of {} pushed visits never reached the puller: {missed:?}",
        missed.len(),
        pushed.len()
    );
    assert_eq!(seen, pushed, "the puller holds exactly what was pushed");
}

/// `path` on `base` with `token`: the status and the JSON body (`null` when there is none).
async fn ask(
    client: &reqwest::Client,
    method: reqwest::Method,
    base: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> (reqwest::StatusCode, Value) {
    let mut request = client.request(method, format!("{base}{path}"));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// Sessions and their revocation, invites and the audit log live in the
/// database: what one server does, the other knows at once, whichever a
/// phone's next request reaches.
#[tokio::test]
async fn sessions_invites_and_the_audit_log_are_shared_by_every_server() {
    use reqwest::Method;
    let dir = tempfile::tempdir().unwrap();
    let processes = [ServerProcess::start(dir.path()), ServerProcess::start(dir.path())];
    let (first, second) = (processes[0].base.clone(), processes[1].base.clone());
    let client = reqwest::Client::new();

    // A volunteer signs in on one server and is known on the other.
    let volunteer = sign_in(&client, &first, "tinhnguyen1").await;
    let (status, me) = ask(&client, Method::GET, &second, "/api/v1/me", Some(&volunteer), None).await;
    assert_eq!(status, 200);
    let volunteer_id = me["user_id"].as_i64().unwrap();
    let (_, sessions) = ask(&client, Method::GET, &second, "/api/v1/auth/sessions", Some(&volunteer), None).await;
    let session_id = sessions["sessions"][0]["id"].as_i64().expect("the volunteer's session");

    // Her leader revokes that phone through the second server; the first refuses it at once.
    let leader = sign_in(&client, &second, "totruong").await;
    let revoke = format!("/api/v1/users/{volunteer_id}/sessions/{session_id}");
    let (status, _) = ask(&client, Method::DELETE, &second, &revoke, Some(&leader), None).await;
    assert_eq!(status, 204);
    let (status, refused) = ask(&client, Method::GET, &first, "/api/v1/me", Some(&volunteer), None).await;
    assert_eq!((status.as_u16(), refused["error"]["code"].as_str()), (401, Some("session_revoked")), "{refused}");

    // An invite made on one server is taken on the other, and only once on either.
    let coordinator = sign_in(&client, &first, "dieuphoi").await;
    let (_, teams) = ask(&client, Method::GET, &first, "/api/v1/teams", Some(&coordinator), None).await;
    let team_id = teams["teams"][0]["id"].as_i64().expect("the demo team");
    let (status, invite) =
        ask(&client, Method::POST, &first, "/api/v1/invites", Some(&coordinator), Some(json!({"team_id": team_id})))
            .await;
    assert_eq!(status, 201, "{invite}");
    let join = |username: &str| json!({"code": invite["code"], "username": username, "display_name": "Vũ Thị Lan", "password": "mật-khẩu-dài"});
    let (status, joined) = ask(&client, Method::POST, &second, "/api/v1/auth/join", None, Some(join("vuthilan"))).await;
    assert_eq!(status, 201, "{joined}");
    let (status, again) = ask(&client, Method::POST, &first, "/api/v1/auth/join", None, Some(join("vuthilan2"))).await;
    assert_eq!((status.as_u16(), again["error"]["code"].as_str()), (400, Some("invite_used")), "{again}");

    // One audit log: each server reads what the other recorded.
    for base in [&first, &second] {
        let (status, audit) = ask(&client, Method::GET, base, "/api/v1/audit", Some(&coordinator), None).await;
        assert_eq!(status, 200);
        let actions: BTreeSet<&str> =
            audit["entries"].as_array().unwrap().iter().filter_map(|entry| entry["action"].as_str()).collect();
        for action in ["session.revoked", "invite.created", "account.joined"] {
            assert!(actions.contains(action), "{action} in the audit log read through {base}: {actions:?}");
        }
    }
}
