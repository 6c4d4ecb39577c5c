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
