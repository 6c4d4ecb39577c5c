//! Households' personal data: kept only with the household's agreement,
//! corrected or erased by a coordinator on request, and every such write audited.

use crate::common::{household, new_id, visit, TestServer};
use serde_json::{json, Value};

async fn push_household(server: &TestServer, token: &str, body: Value) -> Value {
    let answer: Value = server.push(token, &json!({"households": [body]})).await.json().await.unwrap();
    answer["results"][0].clone()
}

async fn audit_actions(server: &TestServer) -> Vec<String> {
    let coordinator = server.login("dieuphoi").await;
    let (_, log) = server.get_json(&coordinator, "/api/v1/audit").await;
    log["entries"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn without_agreement_a_household_is_kept_without_name_address_or_phone() {
    let server = TestServer::start().await;
    let token = server.login("tinhnguyen1").await;
    let village = server.village_id(&token).await;

    let anonymous = json!({"id": new_id(), "village_id": village, "members": 3, "consent": false});
    assert_eq!(push_household(&server, &token, anonymous).await["status"], "applied");
    let mut leaking = household(&new_id(), village);
    leaking["consent"] = json!(false);
    let result = push_household(&server, &token, leaking).await;
    assert_eq!(result["status"], "rejected");
    assert_eq!(result["errors"][0], json!({"field": "head_name", "code": "without_consent"}));

    let listed = server.households(&token).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["consent"], false);
    assert_eq!((listed[0]["head_name"].as_str(), listed[0]["phone"].as_str()), (Some(""), None));
    assert_eq!(audit_actions(&server).await, ["household.created"]);
}

#[tokio::test]
async fn a_coordinator_corrects_and_erases_and_every_phone_learns_it() {
    let server = TestServer::start().await;
    crate::common::add_neighbours(&server).await;
    let volunteer = server.login("tinhnguyen1").await;
    let teammate = server.login("tinhnguyen2").await;
    let id = server.new_household(&volunteer).await;
    let cursor = server.pull(&teammate, None, None).await["cursor"].as_str().unwrap().to_owned();
    // What the volunteer wrote at a visit may name the person too.
    let mut noted = visit(&new_id(), &id);
    noted["note"] = json!("Ông Nguyễn Văn An nhờ gọi con gái.");
    noted["follow_up"] = json!({"on": "2026-03-09", "reason": "Gọi Nguyễn Văn An"});
    let answer: Value = server.push(&volunteer, &json!({"visits": [noted]})).await.json().await.unwrap();
    assert_eq!(answer["results"][0]["status"], "applied", "{answer}");
    let own_cursor = server.pull(&volunteer, None, None).await["cursor"].as_str().unwrap().to_owned();

    let coordinator = server.login("dieuphoi").await;
    let path = server.url(&format!("/api/v1/households/{id}"));
    let corrected: Value = server
        .client
        .patch(&path)
        .bearer_auth(&coordinator)
        .json(&json!({"head_name": "Nguyễn Văn Ân", "phone": ""}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!((corrected["head_name"].as_str(), corrected["phone"].as_str()), (Some("Nguyễn Văn Ân"), None));
    assert_eq!(corrected["revision"], 2);

    // Neither a leader nor another commune's coordinator may.
    for (who, status) in [("totruong", 403), ("dieuphoi-khac", 404)] {
        let token = server.login(who).await;
        let response =
            server.client.patch(&path).bearer_auth(&token).json(&json!({"head_name": "X"})).send().await.unwrap();
        assert_eq!(response.status(), status, "{who} correcting");
        let erase = server.client.delete(format!("{path}/personal-data")).bearer_auth(&token).send().await.unwrap();
        assert_eq!(erase.status(), status, "{who} erasing");
    }
    let bad = server.client.patch(&path).bearer_auth(&coordinator).json(&json!({"phone": "12"})).send().await.unwrap();
    assert_eq!(bad.status(), 400);
    let bad: Value = bad.json().await.unwrap();
    assert_eq!(bad["error"]["fields"][0]["field"], "phone");

    let response =
        server.client.delete(format!("{path}/personal-data")).bearer_auth(&coordinator).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let erased: Value = response.json().await.unwrap();
    assert_eq!((erased["head_name"].as_str(), erased["address"].as_str()), (Some(""), Some("")));
    assert_eq!((erased["consent"].as_bool(), erased["revision"].as_u64()), (Some(false), Some(3)));
    // Asked again, there is nothing left to erase: the same household, no new revision, nothing audited.
    let again: Value = server.delete(&coordinator, &format!("/api/v1/households/{id}/personal-data")).await.1;
    assert_eq!(again, erased);

    // The teammate's phone pulls the erased version, not the name.
    let pulled = server.pull(&teammate, Some(&cursor), None).await;
    let households: Vec<&Value> = pulled["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "household")
        .map(|c| &c["household"])
        .collect();
    assert_eq!(households.len(), 1);
    assert_eq!(households[0]["head_name"], "");
    assert!(!pulled.to_string().contains("Nguyễn"), "no trace of the name in the pull: {pulled}");

    // The visit stays, counted, its note and follow-up's reason blank, on the author's phone too.
    let pulled = server.pull(&volunteer, Some(&own_cursor), None).await;
    let visits: Vec<&Value> =
        pulled["changes"].as_array().unwrap().iter().filter(|c| c["kind"] == "visit").map(|c| &c["visit"]).collect();
    assert_eq!(visits.len(), 1, "{pulled}");
    assert_eq!((&visits[0]["note"], &visits[0]["revision"]), (&json!(""), &json!(2)));
    assert_eq!(visits[0]["follow_up"], json!({"on": "2026-03-09", "reason": ""}));
    assert!(!pulled.to_string().contains("Nguyễn"), "no trace of the name in the author's pull: {pulled}");
    assert_eq!(server.visits(&volunteer).await.len(), 1);
    // Marked as the erasure's revision, so a phone holding an edit of it drops that edit's text.
    assert_eq!(visits[0]["text_erased_revision"], 2, "{pulled}");

    // An edit made offline before the erasure cannot bring the text back: from a phone that says
    // what it edited, a conflict (its phone then drops the text); from one that does not, refused.
    let mut before = noted.clone();
    before["revision"] = json!(2);
    before["base_revision"] = json!(1);
    let answer: Value = server.push(&volunteer, &json!({"visits": [before]})).await.json().await.unwrap();
    assert_eq!(answer["results"][0]["status"], "conflict", "{answer}");
    let mut unsaid = noted.clone();
    unsaid["revision"] = json!(3);
    let answer: Value = server.push(&volunteer, &json!({"visits": [unsaid]})).await.json().await.unwrap();
    assert_eq!(answer["results"][0]["status"], "rejected", "{answer}");
    assert_eq!(answer["results"][0]["errors"][0], json!({"field": "note", "code": "erased"}));
    assert_eq!(server.visits(&volunteer).await[0]["note"], "");
    // Text written since the phone had the blank version is new, and stays; the mark stays too.
    let mut since = visits[0].clone();
    since["note"] = json!("Hẹn tuần sau quay lại.");
    since["revision"] = json!(3);
    since["base_revision"] = json!(2);
    let answer: Value = server.push(&volunteer, &json!({"visits": [since]})).await.json().await.unwrap();
    assert_eq!(answer["results"][0]["status"], "applied", "{answer}");
    let stored = &server.visits(&volunteer).await[0];
    assert_eq!((&stored["note"], &stored["text_erased_revision"]), (&json!("Hẹn tuần sau quay lại."), &json!(2)));

    // An edit made offline before the erasure cannot bring the name back.
    let mut late = household(&id, server.village_id(&volunteer).await);
    late["revision"] = json!(4);
    let result = push_household(&server, &volunteer, late).await;
    assert_eq!(result["status"], "rejected");
    assert_eq!(result["errors"][0], json!({"field": "consent", "code": "erased"}));
    assert_eq!(server.households(&volunteer).await[0]["head_name"], "");

    assert_eq!(audit_actions(&server).await, ["household.erased", "household.corrected", "household.created"]);
}

#[tokio::test]
async fn an_erased_address_is_gone_from_the_sqlite_file() {
    if crate::common::engine() != gocua_server::db::Engine::Sqlite {
        return; // PostgreSQL keeps old row versions until its vacuum (docs/api.md).
    }
    let server = TestServer::start().await;
    let volunteer = server.login("tinhnguyen1").await;
    let id = new_id();
    let mut named = household(&id, server.village_id(&volunteer).await);
    // A long address: the shorter row that replaces it is written over the end of the old one, not its start.
    named["address"] = json!(format!("Xóm Độc Nhất, {}", "số 12, ngõ 3, đường Lạch Tray, ".repeat(5)));
    assert_eq!(push_household(&server, &volunteer, named).await["status"], "applied");
    // Anywhere on disk the database keeps: its file and its write-ahead log.
    let on_disk = || {
        let address = "Xóm Độc Nhất".as_bytes();
        ["gocua.db", "gocua.db-wal"].iter().any(|name| {
            std::fs::read(server.dir.path().join(name))
                .is_ok_and(|file| file.windows(address.len()).any(|bytes| bytes == address))
        })
    };
    assert!(on_disk(), "the address is kept on disk");

    let coordinator = server.login("dieuphoi").await;
    let erased = server.delete(&coordinator, &format!("/api/v1/households/{id}/personal-data")).await;
    assert_eq!(erased.0, 200);
    assert!(!on_disk(), "the erased address is still in the database file or its log");
}
