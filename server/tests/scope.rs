//! Nothing of another team or commune ever reaches a phone: pull, lists and
//! pushes all stay inside the user's scope.

use crate::common::{household, new_id, visit, TestServer};
use serde_json::{json, Value};

#[tokio::test]
async fn another_team_or_commune_sees_nothing_and_cannot_write_into_ours() {
    let server = TestServer::start().await;
    crate::common::add_neighbours(&server).await;
    let ours = server.login("tinhnguyen1").await;
    let household_id = server.new_household(&ours).await;
    let visit_id = new_id();
    server.push(&ours, &json!({"visits": [visit(&visit_id, &household_id)]})).await;

    for outsider in ["khac-xa", "dieuphoi-khac", "khac-to"] {
        let token = server.login(outsider).await;
        let pulled = server.pull(&token, None, None).await;
        assert_eq!(pulled["changes"], json!([]), "{outsider} pulls nothing of ours");
        assert!(server.visits(&token).await.is_empty(), "{outsider} lists none of our visits");
        let listed = server.households(&token).await;
        assert_eq!(listed, Vec::<Value>::new(), "{outsider} lists none of our households");

        // Writing into our records: a visit to our household, an edit of it, deleting our visit.
        let own_village = server.village_id(&token).await;
        let mut edit = household(&household_id, own_village);
        edit["revision"] = json!(5);
        let answer: Value = server
            .push(&token, &json!({"households": [edit], "visits": [visit(&new_id(), &household_id)], "deleted_visits": [visit_id]}))
            .await
            .json()
            .await
            .unwrap();
        let statuses: Vec<&str> =
            answer["results"].as_array().unwrap().iter().map(|r| r["status"].as_str().unwrap()).collect();
        assert!(statuses.iter().all(|s| *s == "conflict" || *s == "rejected"), "{outsider}: {answer}");
    }

    let stored = server.visits(&ours).await;
    assert_eq!(stored.len(), 1, "our visit is still there, once");
    let listed = server.households(&ours).await;
    assert_eq!(listed[0]["address"], "Số 12, ngõ 3", "our household unchanged");
    assert_eq!(listed.len(), 1);
}

#[tokio::test]
async fn another_communes_deletion_of_an_id_never_stands_in_for_ours() {
    let server = TestServer::start().await;
    crate::common::add_neighbours(&server).await;
    let ours = server.login("tinhnguyen1").await;
    let household_id = server.new_household(&ours).await;
    let visit_id = new_id();

    // A phone of another commune deletes the id before any visit of it arrived: it is
    // remembered for that commune, whose later push of it is answered as deleted.
    let outsider = server.login("khac-xa").await;
    let answer: Value = server.push(&outsider, &json!({"deleted_visits": [visit_id]})).await.json().await.unwrap();
    assert_eq!(answer["results"][0]["status"], "applied", "{answer}");

    let answer: Value =
        server.push(&ours, &json!({"visits": [visit(&visit_id, &household_id)]})).await.json().await.unwrap();
    assert_eq!(answer["results"][0]["status"], "applied", "our visit is stored: {answer}");
    let stored = server.visits(&ours).await;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0]["id"], json!(visit_id));
}

/// Signs in a coordinator who is also in the west team (a small commune's coordinator works in one).
async fn west_coordinator(server: &TestServer) -> String {
    crate::common::add_neighbours(server).await;
    let coordinator = server.login("dieuphoi").await;
    let (_, teams) = server.get_json(&coordinator, "/api/v1/teams").await;
    let west =
        teams["teams"].as_array().unwrap().iter().find(|t| t["name"] == "Tổ CNSCĐ thôn Tây").unwrap()["id"].clone();
    let account = json!({"username": "dieuphoi2", "display_name": "Lê Văn Điều", "role": "coordinator",
        "team_id": west, "password": "gocua-demo"});
    let created = server.send_json(reqwest::Method::POST, &coordinator, "/api/v1/users", &account).await;
    assert_eq!(created.0, 201, "{}", created.1);
    server.login("dieuphoi2").await
}

#[tokio::test]
async fn a_coordinators_visit_is_seen_by_the_households_team_not_by_the_coordinators() {
    let server = TestServer::start().await;
    let west_coordinator = west_coordinator(&server).await;

    // A household of the demo team, visited by that coordinator.
    let volunteer = server.login("tinhnguyen1").await;
    let household_id = new_id();
    let mut ours = household(&household_id, server.village_id(&volunteer).await);
    ours["head_name"] = json!("Hộ Thôn Đông Riêng");
    server.push(&volunteer, &json!({"households": [ours]})).await;
    let visit_id = new_id();
    let answer: Value = server
        .push(&west_coordinator, &json!({"visits": [visit(&visit_id, &household_id)]}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(answer["results"][0]["status"], "applied", "{answer}");
    // Edited afterwards: the edit is stored the same way.
    let mut edited = visit(&visit_id, &household_id);
    (edited["revision"], edited["base_revision"], edited["note"]) = (json!(2), json!(1), json!("Sửa lại ghi chú"));
    let answer: Value = server.push(&west_coordinator, &json!({"visits": [edited]})).await.json().await.unwrap();
    assert_eq!(answer["results"][0]["status"], "applied", "{answer}");

    // The west team's leader sees nothing of it: not the visit, not the household's name.
    let west_leader = server.login("truong-khac-to").await;
    assert!(server.visits(&west_leader).await.is_empty());
    let pulled = server.pull(&west_leader, None, None).await;
    assert!(!pulled.to_string().contains(&household_id), "the west team pulls nothing of it: {pulled}");
    let export = server.client.get(server.url("/api/v1/exports/visits.csv")).bearer_auth(&west_leader).send().await;
    assert!(!export.unwrap().text().await.unwrap().contains("Hộ Thôn Đông Riêng"), "nor exports its name");
    let (_, dashboard) = server.get_json(&west_leader, "/api/v1/dashboard").await;
    assert!(!dashboard.to_string().contains("Hộ Thôn Đông Riêng"), "{dashboard}");

    // The household's own team does, and the coordinator still has it.
    let demo_leader = server.login("totruong").await;
    assert!(server.visits(&demo_leader).await.iter().any(|v| v["id"] == visit_id.as_str()));
    let export = server.client.get(server.url("/api/v1/exports/visits.csv")).bearer_auth(&demo_leader).send().await;
    assert!(export.unwrap().text().await.unwrap().contains("Hộ Thôn Đông Riêng"));
    assert!(server.visits(&west_coordinator).await.iter().any(|v| v["id"] == visit_id.as_str()));
}

#[tokio::test]
async fn a_visit_moved_to_another_teams_household_leaves_the_old_teams_phones() {
    let server = TestServer::start().await;
    let coordinator = west_coordinator(&server).await;
    let (west_volunteer, east_volunteer) = (server.login("khac-to").await, server.login("tinhnguyen1").await);
    let (west_house, east_house) =
        (server.new_household(&west_volunteer).await, server.new_household(&east_volunteer).await);
    let visit_id = new_id();
    let answer: Value =
        server.push(&coordinator, &json!({"visits": [visit(&visit_id, &west_house)]})).await.json().await.unwrap();
    assert_eq!(answer["results"][0]["status"], "applied", "{answer}");
    let west_leader = server.login("truong-khac-to").await;
    let pulled = server.pull(&west_leader, None, None).await;
    assert!(pulled["changes"].as_array().unwrap().iter().any(|c| c["visit"]["id"] == visit_id.as_str()));
    let cursor = pulled["cursor"].as_str().unwrap().to_owned();

    // The coordinator finds it was the other house, of the east team.
    let mut moved = visit(&visit_id, &east_house);
    (moved["revision"], moved["base_revision"]) = (json!(2), json!(1));
    let answer: Value = server.push(&coordinator, &json!({"visits": [moved]})).await.json().await.unwrap();
    assert_eq!(answer["results"][0]["status"], "applied", "{answer}");

    // The west leader's phone drops its copy; a west phone starting afresh never gets it.
    let pulled = server.pull(&west_leader, Some(&cursor), None).await;
    let about_it: Vec<&Value> = pulled["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["id"] == visit_id.as_str() || c["visit"]["id"] == visit_id.as_str())
        .collect();
    assert_eq!(about_it, [&json!({"kind": "visit_deleted", "id": visit_id})], "{pulled}");
    let afresh = server.pull(&west_leader, None, None).await;
    assert!(
        !afresh["changes"].as_array().unwrap().iter().any(|c| c["kind"] == "visit"),
        "no visit of the east team reaches the west: {afresh}"
    );
    // The east team's leader has it, and the coordinator, its author, still does.
    let east_leader = server.login("totruong").await;
    assert!(server.visits(&east_leader).await.iter().any(|v| v["id"] == visit_id.as_str()));
    let own = server.pull(&coordinator, None, None).await;
    assert!(own["changes"].as_array().unwrap().iter().any(|c| c["visit"]["id"] == visit_id.as_str()), "{own}");
}
