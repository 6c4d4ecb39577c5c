//! Sync beyond a single push: edits by revision, deletions, pulling what the
//! team knows page by page, and the catalogue phones cache.

use crate::common::{household, new_id, visit, TestServer};
use gocua_domain::{CatalogueEntry, SkillGroup};
use serde_json::{json, Value};

async fn statuses(server: &TestServer, token: &str, batch: Value) -> Vec<String> {
    let answer: Value = server.push(token, &batch).await.json().await.unwrap();
    answer["results"].as_array().unwrap().iter().map(|r| r["status"].as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn an_edit_with_a_higher_revision_is_applied_and_a_stale_replay_changes_nothing() {
    let server = TestServer::start().await;
    let token = server.login("tinhnguyen1").await;
    let household_id = server.new_household(&token).await;
    let id = new_id();
    let first = visit(&id, &household_id);
    statuses(&server, &token, json!({"visits": [first.clone()]})).await;

    let mut edited = first.clone();
    edited["note"] = json!("Đã sửa: hẹn tuần sau quay lại.");
    edited["revision"] = json!(2);
    assert_eq!(statuses(&server, &token, json!({"visits": [edited]})).await, ["applied"]);
    // Revision 1 with other content arriving after revision 2 may be a late replay or an edit made
    // elsewhere: either way nothing changes, and the phone is told `conflict`, not that it is stored.
    assert_eq!(
        statuses(&server, &token, json!({"visits": [first]})).await,
        ["conflict"],
        "a late replay of revision 1"
    );

    let stored = server.visits(&token).await;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0]["note"], "Đã sửa: hẹn tuần sau quay lại.");
    assert_eq!(stored[0]["revision"], 2);
}

#[tokio::test]
async fn a_batch_mixing_new_visits_an_edit_a_repeat_and_a_stranger_answers_each_in_order() {
    let server = TestServer::start().await;
    let token = server.login("tinhnguyen1").await;
    let household_id = server.new_household(&token).await;
    let known = new_id();
    statuses(&server, &token, json!({"visits": [visit(&known, &household_id)]})).await;

    let (fresh, twice) = (new_id(), new_id());
    let mut known_edited = visit(&known, &household_id);
    known_edited["note"] = json!("Đã sửa");
    known_edited["revision"] = json!(2);
    let mut twice_edited = visit(&twice, &household_id);
    twice_edited["note"] = json!("Sửa ngay trong cùng lượt gửi");
    twice_edited["revision"] = json!(2);
    let stranger = visit(&new_id(), &new_id());
    let answer = statuses(
        &server,
        &token,
        json!({"visits": [visit(&fresh, &household_id), known_edited, visit(&twice, &household_id), stranger,
                          twice_edited, visit(&fresh, &household_id)]}),
    )
    .await;
    assert_eq!(answer, ["applied", "applied", "applied", "rejected", "applied", "duplicate"]);

    let stored = server.visits(&token).await;
    let note_of = |id: &str| stored.iter().find(|v| v["id"] == id).map(|v| v["note"].clone());
    assert_eq!(stored.len(), 3, "{stored:?}");
    assert_eq!(note_of(&known), Some(json!("Đã sửa")));
    assert_eq!(note_of(&twice), Some(json!("Sửa ngay trong cùng lượt gửi")));
    assert!(note_of(&fresh).is_some());
    let pulled = server.pull(&token, None, None).await;
    let visits_pulled = pulled["changes"].as_array().unwrap().iter().filter(|c| c["kind"] == "visit").count();
    assert_eq!(visits_pulled, 3, "each visit pulled once: {pulled}");

    // The dashboard counts each visit once, as it stands now (a version replaced in the same push never counted).
    let leader = server.login("totruong").await;
    let (_, day) = server.get_json(&leader, "/api/v1/dashboard?from=2026-03-02&to=2026-03-02").await;
    assert_eq!(
        day["totals"],
        json!({"doors": 3, "households_reached": 1, "households_guided": 1,
               "people": {"officials": 0, "pupils": 0, "adults": 6, "elderly": 3, "workers": 0}})
    );
}

#[tokio::test]
async fn a_household_edited_on_two_phones_keeps_the_first_and_reports_the_second_as_a_conflict() {
    let server = TestServer::start().await;
    let (one, two) = (server.login("tinhnguyen1").await, server.login("tinhnguyen2").await);
    let village = server.village_id(&one).await;
    let id = server.new_household(&one).await;

    let mut from_one = household(&id, village);
    from_one["address"] = json!("Số 14, ngõ 3");
    from_one["revision"] = json!(2);
    let mut from_two = household(&id, village);
    from_two["phone"] = json!("0987 654 321");
    from_two["revision"] = json!(2);
    assert_eq!(statuses(&server, &one, json!({"households": [from_one]})).await, ["applied"]);
    assert_eq!(statuses(&server, &two, json!({"households": [from_two]})).await, ["conflict"]);

    let listed = server.households(&two).await;
    assert_eq!(listed[0]["address"], "Số 14, ngõ 3");
    assert_eq!(listed[0]["phone"], "0912345678");
}

#[tokio::test]
async fn a_deleted_visit_leaves_the_lists_and_is_pulled_as_a_tombstone() {
    let server = TestServer::start().await;
    let token = server.login("tinhnguyen1").await;
    let household_id = server.new_household(&token).await;
    let id = new_id();
    statuses(&server, &token, json!({"visits": [visit(&id, &household_id)]})).await;

    let other = server.login("tinhnguyen2").await;
    assert_eq!(
        statuses(&server, &other, json!({"deleted_visits": [id]})).await,
        ["conflict"],
        "only the author deletes"
    );
    assert_eq!(statuses(&server, &token, json!({"deleted_visits": [id]})).await, ["applied"]);
    assert_eq!(statuses(&server, &token, json!({"deleted_visits": [id]})).await, ["duplicate"]);
    assert_eq!(
        statuses(&server, &token, json!({"visits": [visit(&id, &household_id)]})).await,
        ["duplicate"],
        "a late replay does not bring it back"
    );
    assert!(server.visits(&token).await.is_empty());

    let pulled = server.pull(&token, None, None).await;
    let tombstones: Vec<&Value> =
        pulled["changes"].as_array().unwrap().iter().filter(|c| c["kind"] == "visit_deleted").collect();
    assert_eq!(tombstones, [&json!({"kind": "visit_deleted", "id": id})]);
}

#[tokio::test]
async fn a_volunteer_pulls_the_teams_households_with_who_visited_but_only_their_own_visits() {
    let server = TestServer::start().await;
    let (one, two) = (server.login("tinhnguyen1").await, server.login("tinhnguyen2").await);
    let household_id = server.new_household(&one).await;
    let teammates_visit = new_id();
    statuses(&server, &two, json!({"visits": [visit(&teammates_visit, &household_id)]})).await;

    let pulled = server.pull(&one, None, None).await;
    assert_eq!(pulled["has_more"], false);
    let changes = pulled["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "the household once, as it stands now: {pulled}");
    assert_eq!(changes[0]["kind"], "household");
    assert_eq!(changes[0]["household"]["id"], household_id.as_str());
    assert_eq!(changes[0]["visits"]["count"], 1);
    assert_eq!(changes[0]["visits"]["last"]["by"], "Đỗ Quang Huy");
    assert_eq!(changes[0]["visits"]["last"]["outcome"], "guided");

    let pulled = server.pull(&two, None, None).await;
    let kinds: Vec<&str> = pulled["changes"].as_array().unwrap().iter().map(|c| c["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["visit", "household"]);

    let coordinator = server.login("dieuphoi").await;
    let pulled = server.pull(&coordinator, None, None).await;
    assert_eq!(pulled["changes"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn pull_pages_from_a_cursor_and_never_repeats_or_skips() {
    let server = TestServer::start().await;
    let token = server.login("tinhnguyen1").await;
    let village = server.village_id(&token).await;
    let ids: Vec<String> = (0..5).map(|_| new_id()).collect();
    let households: Vec<Value> = ids.iter().map(|id| household(id, village)).collect();
    statuses(&server, &token, json!({"households": households})).await;

    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let page = server.pull(&token, cursor.as_deref(), Some(2)).await;
        for change in page["changes"].as_array().unwrap() {
            seen.push(change["household"]["id"].as_str().unwrap().to_owned());
        }
        cursor = Some(page["cursor"].as_str().unwrap().to_owned());
        if page["has_more"] == false {
            break;
        }
    }
    assert_eq!(seen, ids);
    let after = server.pull(&token, cursor.as_deref(), None).await;
    assert_eq!(after["changes"], json!([]));
    assert_eq!(after["cursor"], cursor.unwrap().as_str(), "an empty page keeps the cursor");
}

#[tokio::test]
async fn a_cursor_that_is_not_ours_is_a_400() {
    let server = TestServer::start().await;
    let token = server.login("tinhnguyen1").await;
    let response =
        server.client.get(server.url("/api/v1/sync/pull?since=bogus")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(response.status(), 400);
}

#[tokio::test]
async fn a_skill_added_on_the_server_is_served_and_accepted_and_a_retired_one_stays_readable() {
    let server = TestServer::start().await;
    let token = server.login("tinhnguyen1").await;
    let household_id = server.new_household(&token).await;
    let db = server.database().await;
    let entry = CatalogueEntry {
        code: "ai.assistant".into(),
        group: SkillGroup::SmartDevices,
        label: "Dùng trợ lý ảo an toàn".into(),
        retired: false,
        basic_skill: None,
    };
    db.add_skill("Kiến Minh", &entry).await.unwrap();
    db.retire_skill("Kiến Minh", "health.record").await.unwrap();

    let catalogue: Value = server
        .client
        .get(server.url("/api/v1/catalogue"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let skills = catalogue["skills"].as_array().unwrap();
    assert_eq!(skills.last().unwrap()["code"], "ai.assistant");
    let retired = skills.iter().find(|s| s["code"] == "health.record").unwrap();
    assert_eq!(retired["retired"], true);
    assert_eq!(retired["label"], "Sổ sức khỏe điện tử");

    let mut with_new_skill = visit(&new_id(), &household_id);
    with_new_skill["skills"] = json!([{"code": "ai.assistant", "completed": true}]);
    assert_eq!(statuses(&server, &token, json!({"visits": [with_new_skill]})).await, ["applied"]);
}

#[tokio::test]
async fn a_pull_running_while_pushes_commit_never_skips_a_change() {
    let server = TestServer::start().await;
    let writer = server.login("tinhnguyen2").await;
    let reader = server.login("totruong").await;
    let village = server.village_id(&writer).await;
    let ids: Vec<String> = (0..60).map(|_| new_id()).collect();

    let pushes = {
        let (client, url, writer, ids) =
            (server.client.clone(), server.url("/api/v1/sync/push"), writer.clone(), ids.clone());
        tokio::spawn(async move {
            for pair in ids.chunks(2) {
                let households: Vec<Value> = pair.iter().map(|id| household(id, village)).collect();
                let response = client
                    .post(&url)
                    .bearer_auth(&writer)
                    .json(&json!({"households": households}))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status(), 200);
            }
        })
    };
    // Pull in small pages, over and over, while the pushes commit.
    let mut seen = std::collections::HashSet::new();
    let mut cursor: Option<String> = None;
    let mut pushes = Some(pushes);
    loop {
        let page = server.pull(&reader, cursor.as_deref(), Some(3)).await;
        for change in page["changes"].as_array().unwrap() {
            seen.insert(change["household"]["id"].as_str().unwrap().to_owned());
        }
        cursor = Some(page["cursor"].as_str().unwrap().to_owned());
        if page["has_more"] == false {
            match pushes.take() {
                Some(handle) if !handle.is_finished() => pushes = Some(handle),
                Some(handle) => {
                    handle.await.unwrap();
                    // One more pass after the last commit.
                    continue;
                }
                None => break,
            }
        }
    }
    assert_eq!(seen.len(), ids.len(), "every household committed during the pulls was pulled");
}

#[tokio::test]
async fn cursors_the_server_never_gave_and_bad_limits_are_400s_in_the_error_shape() {
    let server = TestServer::start().await;
    let token = server.login("tinhnguyen1").await;
    for (query, code) in [
        ("since=c999999", "invalid_cursor"),
        ("since=bogus", "invalid_cursor"),
        ("limit=0", "bad_request"),
        ("limit=1001", "bad_request"),
        ("limit=abc", "bad_request"),
    ] {
        let response = server
            .client
            .get(server.url(&format!("/api/v1/sync/pull?{query}")))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 400, "{query}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"]["code"], code, "{query}");
    }
}

#[tokio::test]
async fn a_visit_deleted_before_it_ever_arrived_is_not_brought_back_by_a_late_push() {
    let server = TestServer::start().await;
    let token = server.login("tinhnguyen1").await;
    let household_id = server.new_household(&token).await;
    let id = new_id();
    assert_eq!(statuses(&server, &token, json!({"deleted_visits": [id]})).await, ["applied"]);
    // Sent again (its answer lost), the deletion is already done; another user's is not theirs to make.
    assert_eq!(statuses(&server, &token, json!({"deleted_visits": [id]})).await, ["duplicate"]);
    let teammate = server.login("tinhnguyen2").await;
    assert_eq!(statuses(&server, &teammate, json!({"deleted_visits": [id]})).await, ["conflict"]);
    assert_eq!(statuses(&server, &token, json!({"visits": [visit(&id, &household_id)]})).await, ["duplicate"]);
    assert!(server.visits(&token).await.is_empty());
}

#[tokio::test]
async fn a_visit_moved_to_another_household_updates_both_households() {
    let server = TestServer::start().await;
    let token = server.login("tinhnguyen1").await;
    let (first, second) = (server.new_household(&token).await, server.new_household(&token).await);
    let id = new_id();
    statuses(&server, &token, json!({"visits": [visit(&id, &first)]})).await;
    let cursor = server.pull(&token, None, None).await["cursor"].as_str().unwrap().to_owned();

    let mut moved = visit(&id, &second);
    moved["revision"] = json!(2);
    assert_eq!(statuses(&server, &token, json!({"visits": [moved]})).await, ["applied"]);
    let pulled = server.pull(&token, Some(&cursor), None).await;
    let counts: std::collections::HashMap<String, u64> = pulled["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "household")
        .map(|c| (c["household"]["id"].as_str().unwrap().to_owned(), c["visits"]["count"].as_u64().unwrap()))
        .collect();
    assert_eq!(counts.get(&first), Some(&0));
    assert_eq!(counts.get(&second), Some(&1));
}

#[tokio::test]
async fn a_household_pulled_with_a_null_phone_can_be_pushed_back_edited() {
    let server = TestServer::start().await;
    let token = server.login("tinhnguyen1").await;
    let village = server.village_id(&token).await;
    let id = new_id();
    let mut without_phone = household(&id, village);
    without_phone["phone"] = json!("");
    statuses(&server, &token, json!({"households": [without_phone]})).await;
    let pulled = server.pull(&token, None, None).await;
    let mut record = pulled["changes"][0]["household"].clone();
    assert_eq!(record["phone"], Value::Null);
    record["address"] = json!("Số 13, ngõ 3");
    record["revision"] = json!(2);
    assert_eq!(statuses(&server, &token, json!({"households": [record]})).await, ["applied"]);
}

/// One pushed record's result.
async fn result_of(server: &TestServer, token: &str, batch: Value) -> Value {
    let answer: Value = server.push(token, &batch).await.json().await.unwrap();
    answer["results"][0].clone()
}

/// Issue 12's example: two volunteers correct one household offline, A twice
/// and B once, and B's signal returns first. B's correction is kept and A is
/// told, with both versions to choose from; nothing is silently overwritten.
#[tokio::test]
async fn two_offline_corrections_of_one_household_end_in_a_conflict_not_a_lost_update() {
    let server = TestServer::start().await;
    let (a, b) = (server.login("tinhnguyen1").await, server.login("tinhnguyen2").await);
    let id = server.new_household(&a).await;
    let synced = server.households(&b).await.into_iter().find(|h| h["id"] == id.as_str()).unwrap();
    assert_eq!(synced["revision"], 1);

    // Offline: A saves two corrections (revision 3), B one (revision 2); both edited revision 1.
    let mut a_version = synced.clone();
    a_version["address"] = json!("Số 14, ngõ 3");
    a_version["revision"] = json!(3);
    a_version["base_revision"] = json!(1);
    let mut b_version = synced.clone();
    b_version["address"] = json!("Số 12, ngõ 5");
    b_version["revision"] = json!(2);
    b_version["base_revision"] = json!(1);

    let b_answer = result_of(&server, &b, json!({"households": [b_version]})).await;
    assert_eq!((b_answer["status"].as_str(), b_answer["revision"].as_u64()), (Some("applied"), Some(2)));
    let a_answer = result_of(&server, &a, json!({"households": [a_version.clone()]})).await;
    assert_eq!(a_answer["status"], "conflict", "{a_answer}");
    let kept = server.households(&a).await.into_iter().find(|h| h["id"] == id.as_str()).unwrap();
    assert_eq!(kept["address"], "Số 12, ngõ 5", "B's correction is kept");

    // A's phone pulls B's version, and A chooses to keep theirs: an edit of revision 2.
    a_version["revision"] = json!(4);
    a_version["base_revision"] = json!(2);
    let a_answer = result_of(&server, &a, json!({"households": [a_version.clone()]})).await;
    assert_eq!((a_answer["status"].as_str(), a_answer["revision"].as_u64()), (Some("applied"), Some(4)));

    // A copy of A's from before B's correction (restored from an old backup, say) cannot
    // overwrite it, though A's own push wrote what the server holds now: A's run began at 2.
    let mut restored = synced.clone();
    restored["address"] = json!("Số 1, ngõ cũ");
    restored["revision"] = json!(6);
    restored["base_revision"] = json!(1);
    let answer = result_of(&server, &a, json!({"households": [restored]})).await;
    assert_eq!(answer["status"], "conflict", "{answer}");
    // A's next edit of its own version, its answer lost before, still follows it.
    a_version["address"] = json!("Số 14A, ngõ 3");
    a_version["revision"] = json!(5);
    let answer = result_of(&server, &a, json!({"households": [a_version]})).await;
    assert_eq!((answer["status"].as_str(), answer["revision"].as_u64()), (Some("applied"), Some(5)));
}

#[tokio::test]
async fn an_edit_after_a_lost_answer_follows_the_phones_own_version_but_not_another_phones() {
    let server = TestServer::start().await;
    let token = server.login("tinhnguyen1").await;
    let household_id = server.new_household(&token).await;
    let id = new_id();
    assert_eq!(statuses(&server, &token, json!({"visits": [visit(&id, &household_id)]})).await, ["applied"]);

    // The first edit is stored, but its answer never reaches the phone …
    let mut first = visit(&id, &household_id);
    first["note"] = json!("Lần sửa thứ nhất");
    first["revision"] = json!(2);
    first["base_revision"] = json!(1);
    assert_eq!(statuses(&server, &token, json!({"visits": [first.clone()]})).await, ["applied"]);
    // … so the phone's next edit is still one of revision 1: it follows its own version.
    let mut second = first.clone();
    second["note"] = json!("Lần sửa thứ hai");
    second["revision"] = json!(3);
    assert_eq!(statuses(&server, &token, json!({"visits": [second]})).await, ["applied"]);
    // The first push, delivered again late, changes nothing.
    assert_eq!(statuses(&server, &token, json!({"visits": [first]})).await, ["duplicate"]);

    // The same volunteer's second phone (another sign-in) edited revision 1 too: a conflict.
    let other_phone = server.login("tinhnguyen1").await;
    let mut elsewhere = visit(&id, &household_id);
    elsewhere["note"] = json!("Sửa ở máy khác");
    elsewhere["revision"] = json!(2);
    elsewhere["base_revision"] = json!(1);
    assert_eq!(statuses(&server, &other_phone, json!({"visits": [elsewhere]})).await, ["conflict"]);
    let stored = server.visits(&token).await;
    assert_eq!((stored[0]["note"].as_str(), stored[0]["revision"].as_u64()), (Some("Lần sửa thứ hai"), Some(3)));
}

#[tokio::test]
async fn a_base_revision_that_is_not_a_whole_number_rejects_the_change_alone() {
    let server = TestServer::start().await;
    let token = server.login("tinhnguyen1").await;
    let village = server.village_id(&token).await;
    let mut bad = household(&new_id(), village);
    bad["base_revision"] = json!("một");
    let good = household(&new_id(), village);
    assert_eq!(statuses(&server, &token, json!({"households": [bad, good]})).await, ["rejected", "applied"]);
    assert_eq!(server.households(&token).await.len(), 1);
}

/// The revision rule trusts a device's own stored versions by its sign-in id, so an id is never
/// given to another sign-in: after A signs out, B's new session is not A's old one.
#[tokio::test]
async fn a_signed_out_devices_id_is_never_given_to_another_sign_in() {
    let server = TestServer::start().await;
    let current_id = |token: String| {
        let server = &server;
        async move {
            let (_, body) = server.get_json(&token, "/api/v1/auth/sessions").await;
            let sessions = body["sessions"].as_array().unwrap().clone();
            sessions.iter().find(|s| s["current"] == true).unwrap()["id"].as_i64().unwrap()
        }
    };
    let a = server.login("tinhnguyen1").await;
    let a_id = current_id(a.clone()).await;
    let response = server.client.post(server.url("/api/v1/auth/logout")).bearer_auth(&a).send().await.unwrap();
    assert_eq!(response.status(), 204);
    let b = server.login("tinhnguyen2").await;
    assert_ne!(current_id(b).await, a_id);
}

/// A household of no team (its creator, set up from the command line, had none) stays editable by its creator.
#[tokio::test]
async fn a_user_without_a_team_can_edit_the_household_they_recorded() {
    let server = TestServer::start().await;
    let user = gocua_server::db::NewUser {
        commune: "Kiến Minh".into(),
        team: None,
        username: "khongto".into(),
        display_name: "Không Tổ".into(),
        role: gocua_domain::api::Role::Volunteer,
        password_hash: gocua_server::password::hash("gocua-demo"),
    };
    server.database().await.add_user(&user).await.unwrap();
    let token = server.login("khongto").await;
    let village = server.village_id(&token).await;
    let id = new_id();
    let created = household(&id, village);
    assert_eq!(statuses(&server, &token, json!({"households": [created.clone()]})).await, ["applied"]);
    let mut edited = created;
    edited["address"] = json!("Số 99");
    edited["revision"] = json!(2);
    edited["base_revision"] = json!(1);
    assert_eq!(statuses(&server, &token, json!({"households": [edited]})).await, ["applied"]);
    let other = server.login("tinhnguyen1").await;
    let mut foreign = household(&id, village);
    foreign["revision"] = json!(3);
    foreign["base_revision"] = json!(2);
    assert_eq!(statuses(&server, &other, json!({"households": [foreign]})).await, ["conflict"], "not another's");
}
