//! Community sessions through sync: stored once whatever is repeated,
//! edited by revision, deleted as tombstones, refused field by field, and
//! pulled by exactly the people who see a visit.

use crate::common::{add_neighbours, community_session, new_id, TestServer};
use serde_json::{json, Value};

async fn results(server: &TestServer, token: &str, batch: Value) -> Vec<Value> {
    let answer: Value = server.push(token, &batch).await.json().await.unwrap();
    answer["results"].as_array().unwrap().clone()
}

async fn statuses(server: &TestServer, token: &str, batch: Value) -> Vec<String> {
    results(server, token, batch).await.iter().map(|r| r["status"].as_str().unwrap().to_owned()).collect()
}

/// The community sessions (and their tombstones) a user pulls from the beginning.
async fn pulled_sessions(server: &TestServer, token: &str) -> Vec<Value> {
    let pulled = server.pull(token, None, None).await;
    pulled["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|change| change["kind"].as_str().unwrap().starts_with("community_session"))
        .cloned()
        .collect()
}

#[tokio::test]
async fn a_session_pushed_twice_is_stored_once_and_an_edit_replaces_it() {
    let server = TestServer::start().await;
    let token = server.login("tinhnguyen1").await;
    let village = server.village_id(&token).await;
    let id = new_id();
    let first = community_session(&id, village);

    let answer = results(&server, &token, json!({"community_sessions": [first.clone()]})).await;
    assert_eq!(answer, [json!({"kind": "community_session", "id": id, "status": "applied", "revision": 1})]);
    assert_eq!(statuses(&server, &token, json!({"community_sessions": [first.clone()]})).await, ["duplicate"]);

    let mut edited = first.clone();
    edited["attendees"]["adults"] = json!(90);
    edited["revision"] = json!(2);
    assert_eq!(statuses(&server, &token, json!({"community_sessions": [edited]})).await, ["applied"]);
    assert_eq!(
        statuses(&server, &token, json!({"community_sessions": [first.clone()]})).await,
        ["conflict"],
        "a late replay of revision 1 changes nothing (and is not answered as stored)"
    );
    let mut other = first;
    other["place"] = json!("Sân trường tiểu học");
    other["revision"] = json!(2);
    assert_eq!(
        statuses(&server, &token, json!({"community_sessions": [other]})).await,
        ["conflict"],
        "the same revision with other content"
    );

    let sessions = pulled_sessions(&server, &token).await;
    assert_eq!(sessions.len(), 1, "one session however often it was pushed: {sessions:?}");
    let session = &sessions[0]["community_session"];
    assert_eq!(session["place"], "Nhà văn hóa thôn Đông");
    assert_eq!(session["attendees"]["adults"], 90);
    assert_eq!(session["skills"], json!(["safety.scam", "vneid.level2"]));
    assert_eq!(session["revision"], 2);
}

#[tokio::test]
async fn a_bad_session_is_refused_field_by_field_and_the_rest_of_the_batch_is_stored() {
    let server = TestServer::start().await;
    let token = server.login("tinhnguyen1").await;
    let village = server.village_id(&token).await;
    let good = community_session(&new_id(), village);
    let bad_id = new_id();
    let mut bad = community_session(&bad_id, village);
    bad["village_id"] = json!(9999);
    bad["place"] = json!("  ");
    bad["held_on"] = json!("2099-01-01");
    bad["attendees"] = json!({"adults": 2, "elderly": 3});

    let answer = results(&server, &token, json!({"community_sessions": [good, bad]})).await;
    assert_eq!(answer[0]["status"], "applied");
    assert_eq!(answer[1]["status"], "rejected");
    assert_eq!(answer[1]["id"], bad_id.as_str());
    let fields: Vec<&str> =
        answer[1]["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["village_id", "place", "held_on", "attendees"]);
    let message = answer[1]["message"].as_str().unwrap();
    assert!(message.contains("Số người tham dự: số người cao tuổi"), "{message}");
    assert!(message.contains("Ngày tổ chức: không được ở tương lai"), "{message}");

    let malformed = results(&server, &token, json!({"community_sessions": [{"id": "x", "attendees": "many"}]})).await;
    assert_eq!(malformed[0]["status"], "rejected");
    assert_eq!(malformed[0]["id"], "x");
}

#[tokio::test]
async fn a_deleted_session_is_pulled_as_a_tombstone_and_a_late_replay_does_not_revive_it() {
    let server = TestServer::start().await;
    let token = server.login("tinhnguyen1").await;
    let village = server.village_id(&token).await;
    let id = new_id();
    statuses(&server, &token, json!({"community_sessions": [community_session(&id, village)]})).await;

    let teammate = server.login("tinhnguyen2").await;
    assert_eq!(
        statuses(&server, &teammate, json!({"deleted_community_sessions": [id]})).await,
        ["conflict"],
        "only its author deletes a session"
    );
    let answer = results(&server, &token, json!({"deleted_community_sessions": [id]})).await;
    assert_eq!(answer, [json!({"kind": "community_session_deleted", "id": id, "status": "applied"})]);
    assert_eq!(statuses(&server, &token, json!({"deleted_community_sessions": [id]})).await, ["duplicate"]);
    assert_eq!(
        statuses(&server, &token, json!({"community_sessions": [community_session(&id, village)]})).await,
        ["duplicate"]
    );
    assert_eq!(pulled_sessions(&server, &token).await, [json!({"kind": "community_session_deleted", "id": id})]);

    // Deleted on the phone before its first push ever arrived.
    let never_arrived = new_id();
    assert_eq!(statuses(&server, &token, json!({"deleted_community_sessions": [never_arrived]})).await, ["applied"]);
    assert_eq!(
        statuses(&server, &token, json!({"community_sessions": [community_session(&never_arrived, village)]})).await,
        ["duplicate"],
        "the delayed push does not create it"
    );
    assert_eq!(pulled_sessions(&server, &token).await.len(), 1);
}

#[tokio::test]
async fn a_session_reaches_its_author_the_teams_leader_and_the_communes_coordinator_only() {
    let server = TestServer::start().await;
    add_neighbours(&server).await;
    let author = server.login("tinhnguyen1").await;
    let village = server.village_id(&author).await;
    let id = new_id();
    statuses(&server, &author, json!({"community_sessions": [community_session(&id, village)]})).await;

    for (username, sees) in [
        ("tinhnguyen1", true),
        ("totruong", true),
        ("dieuphoi", true),
        ("tinhnguyen2", false),
        ("truong-khac-to", false),
        ("khac-xa", false),
        ("dieuphoi-khac", false),
    ] {
        let token = server.login(username).await;
        let sessions = pulled_sessions(&server, &token).await;
        assert_eq!(sessions.len(), usize::from(sees), "{username} pulled {sessions:?}");
        if sees {
            assert_eq!(sessions[0]["community_session"]["id"], id.as_str());
            assert!(sessions[0]["author_id"].as_i64().is_some());
        }
    }

    let foreign = server.login("khac-xa").await;
    let answer =
        results(&server, &foreign, json!({"community_sessions": [community_session(&new_id(), village)]})).await;
    assert_eq!(answer[0]["status"], "rejected", "a village of another commune: {answer:?}");
    assert_eq!(answer[0]["errors"][0]["code"], "unknown_village");
}
