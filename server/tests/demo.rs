//! The demo a newcomer opens (`serve --demo`): a commune with a season of
//! work, so every screen has figures — made once.

use crate::common::TestServer;
use chrono::{Duration, Utc};
use gocua_domain::time::local_day;
use gocua_server::demo;

#[tokio::test]
async fn the_demo_season_gives_every_screen_figures_and_is_made_once() {
    let server = TestServer::start().await;
    let now = Utc::now();
    demo::season::ensure(&server.database().await, now).await.unwrap();

    let (leader, coordinator) = (server.login("totruong").await, server.login("dieuphoi").await);
    let visits = server.visits(&leader).await;
    assert!(visits.len() > 300, "three months of a team's visits: {}", visits.len());
    let households = server.households(&leader).await;
    assert_eq!(households.len(), 240);
    let without_consent = households.iter().filter(|h| h["consent"] == false).count();
    assert!((10..60).contains(&without_consent), "some households did not agree: {without_consent}");
    assert!(households.iter().filter(|h| h["consent"] == false).all(|h| h["head_name"] == ""));

    let today = local_day(now);
    let season = format!("/api/v1/dashboard?from={}&to={today}", today - Duration::days(90));
    let (status, dashboard) = server.get_json(&coordinator, &season).await;
    assert_eq!(status, 200, "{dashboard}");
    assert_eq!(dashboard["totals"]["households_reached"], 240, "{}", dashboard["totals"]);
    assert!(dashboard["totals"]["people"]["elderly"].as_u64().unwrap() > 0);
    assert!(dashboard["community_sessions"]["sessions"].as_u64().unwrap() >= 5);
    let owed = dashboard["follow_ups_total"].as_u64().unwrap();
    assert!(owed > 0, "returns are owed: {}", dashboard["follow_ups"]);
    let overdue = dashboard["follow_ups"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|owed| owed["on"].as_str().unwrap() < today.to_string().as_str())
        .count();
    assert!(overdue > 0, "some returns are overdue");
    let this_week = format!("/api/v1/dashboard?from={}&to={today}", today - Duration::days(6));
    let (_, week) = server.get_json(&leader, &this_week).await;
    assert!(week["totals"]["doors"].as_u64().unwrap() > 0, "visits this week too");

    // Started again, the server leaves the season as it is.
    demo::season::ensure(&server.database().await, now + Duration::hours(1)).await.unwrap();
    assert_eq!(server.visits(&leader).await.len(), visits.len());
    assert_eq!(server.households(&leader).await.len(), 240);
}

#[tokio::test]
async fn the_demo_city_shows_its_department_three_communes_at_different_stages() {
    let server = TestServer::start().await;
    let now = Utc::now();
    let db = server.database().await;
    demo::season::ensure(&db, now).await.unwrap();
    demo::ensure_neighbours(&db, now).await.unwrap();

    let official = server.login(demo::PROVINCE_ACCOUNT.0).await;
    let (status, view) = server.get_json(&official, "/api/v1/province").await;
    assert_eq!(status, 200, "{view}");
    assert_eq!(view["province"]["name"], demo::PROVINCE);
    let communes = view["communes"].as_array().unwrap();
    let names: Vec<&str> = communes.iter().map(|c| c["commune"]["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Kiến Hải", "Kiến Minh", "Nghi Dương"]);
    let reached = |i: usize| communes[i]["households_reached"].as_u64().unwrap();
    assert_eq!((reached(1), reached(0), reached(2)), (240, 110, 30), "three stages of progress");
    assert_eq!(communes.iter().map(|c| c["quiet"] == true).collect::<Vec<_>>(), [false, false, true]);
    assert!(communes[0]["active_volunteers"].as_u64().unwrap() > 0);

    // Each neighbour's coordinator signs in to its own commune.
    let (_, me) = server.get_json(&server.login("dieuphoi-nghiduong").await, "/api/v1/me").await;
    assert_eq!(me["commune"]["name"], "Nghi Dương");

    // Started again, nothing is made twice.
    demo::ensure_neighbours(&db, now + Duration::hours(1)).await.unwrap();
    let (_, again) = server.get_json(&official, "/api/v1/province").await;
    assert_eq!(again["communes"].as_array().unwrap().len(), 3);
    assert_eq!(again["communes"][0]["households_reached"], 110);
}
