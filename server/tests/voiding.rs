//! A leader voids a visit of the team that should not count; it leaves every
//! list and phone like a deletion by its author, and cannot come back.

use crate::common::{new_id, visit, TestServer};
use serde_json::{json, Value};

#[tokio::test]
async fn a_leader_voids_a_team_visit_and_the_authors_phone_forgets_it() {
    let server = TestServer::start().await;
    let author = server.login("tinhnguyen1").await;
    let leader = server.login("totruong").await;
    let household = server.new_household(&author).await;
    let visit_id = new_id();
    let pushed = visit(&visit_id, &household);
    server.push(&author, &json!({"visits": [pushed.clone()]})).await;
    let cursor = server.pull(&author, None, None).await["cursor"].as_str().unwrap().to_owned();

    let path = format!("/api/v1/visits/{visit_id}");
    let volunteer = server.login("tinhnguyen2").await;
    assert_eq!(server.delete(&volunteer, &path).await.0, 403, "a volunteer voids nothing");
    assert_eq!(server.delete(&leader, &path).await.0, 204);
    assert_eq!(server.delete(&leader, &path).await.0, 204, "voiding twice changes nothing");
    assert_eq!(server.delete(&leader, &format!("/api/v1/visits/{}", new_id())).await.0, 404);

    let pulled = server.pull(&author, Some(&cursor), None).await;
    let kinds: Vec<&str> = pulled["changes"].as_array().unwrap().iter().map(|c| c["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"visit_deleted"), "{pulled}");
    assert!(server.visits(&author).await.is_empty());
    assert!(server.visits(&leader).await.is_empty());

    // A replay from the author's phone does not bring it back; an edit is a conflict.
    let answer: Value = server.push(&author, &json!({"visits": [pushed.clone()]})).await.json().await.unwrap();
    assert_eq!(answer["results"][0]["status"], "duplicate");
    let mut edited = pushed;
    edited["revision"] = json!(2);
    edited["note"] = json!("Sửa sau khi đã bị hủy");
    let answer: Value = server.push(&author, &json!({"visits": [edited]})).await.json().await.unwrap();
    assert_eq!(answer["results"][0]["status"], "conflict");
    assert!(server.visits(&author).await.is_empty());

    let (_, log) = server.get_json(&server.login("dieuphoi").await, "/api/v1/audit?limit=1").await;
    assert_eq!(log["entries"][0]["action"], "visit.voided");
    assert_eq!(log["entries"][0]["actor_name"], "Lê Văn Minh");
}

#[tokio::test]
async fn the_current_apps_replay_of_a_voided_visit_is_a_duplicate_and_an_edit_a_conflict() {
    let server = TestServer::start().await;
    let author = server.login("tinhnguyen1").await;
    let leader = server.login("totruong").await;
    let household = server.new_household(&author).await;
    let visit_id = new_id();
    // As the app pushes a visit new on the phone: revision 1, edited from nothing on the server.
    let mut pushed = visit(&visit_id, &household);
    pushed["base_revision"] = json!(0);
    server.push(&author, &json!({"visits": [pushed.clone()]})).await;
    assert_eq!(server.delete(&leader, &format!("/api/v1/visits/{visit_id}")).await.0, 204);

    // The phone never heard the first answer and sends the same push again.
    let answer: Value = server.push(&author, &json!({"visits": [pushed.clone()]})).await.json().await.unwrap();
    assert_eq!(answer["results"][0]["status"], "duplicate", "{answer}");
    assert!(answer["results"][0]["revision"].is_null(), "a tombstone has no revision to keep: {answer}");
    let mut edited = pushed;
    edited["revision"] = json!(2);
    edited["note"] = json!("Sửa khi chưa biết lượt thăm đã bị hủy");
    let answer: Value = server.push(&author, &json!({"visits": [edited]})).await.json().await.unwrap();
    assert_eq!(answer["results"][0]["status"], "conflict", "{answer}");
    assert!(server.visits(&author).await.is_empty(), "nothing brings it back");
}
