//! Export throughput (scripts/bench-export.sh): 100,000 visits downloaded
//! as CSV and as XLSX over real HTTP on 127.0.0.1, with the server's resident
//! memory sampled while it streams. Prints Markdown for docs/benchmarks.md.

#[path = "../tests/common/mod.rs"]
mod common;

use chrono::Utc;
use gocua_domain::api::Role;
use gocua_domain::sync::Pushed;
use gocua_server::access;
use gocua_server::db::{Actor, Change, ChangeBatch};
use serde_json::json;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const VISITS: usize = 100_000;
/// Downloads per format: the machine's speed varies from run to run.
const RUNS: usize = 5;

/// This process's resident anonymous memory (its heap and stacks, not the
/// database file pages it maps), in KiB: the server runs in it.
fn resident_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("RssAnon:"))
        .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let (base, db) = common::serve_database(dir.path()).await;
    let volunteer = access::scope(&Actor { user_id: 3, commune_id: 1, team_id: Some(1), role: Role::Volunteer });
    let now = Utc::now();
    let catalogue = gocua_domain::Catalogue::starting();
    let household_id = uuid::Uuid::now_v7().to_string();
    let household = gocua_domain::Household::parse(&gocua_domain::HouseholdInput {
        id: household_id.clone(),
        village_id: 1,
        head_name: "Nguyễn Văn An".into(),
        address: "Số 12, ngõ 3".into(),
        ..Default::default()
    })
    .unwrap();
    db.store_changes(
        &volunteer,
        &ChangeBatch { changes: vec![Change::Household(Pushed::new_record(household))], ..Default::default() },
        now,
    )
    .await
    .unwrap();
    for _ in 0..VISITS / 1000 {
        let visits = (0..1000)
            .map(|_| {
                let input: gocua_domain::VisitInput = serde_json::from_value(json!({
                    "id": uuid::Uuid::now_v7().to_string(), "household_id": household_id, "outcome": "guided",
                    "people": {"adults": 2, "elderly": 1},
                    "skills": [{"code": "vneid.level2", "completed": true}, {"code": "payment.qr", "completed": false}],
                    "note": "Đã hướng dẫn cài VNeID và thanh toán bằng mã QR.", "visited_at": "2026-11-20T03:00:00Z"
                }))
                .unwrap();
                Change::Visit(Pushed::new_record(gocua_domain::Visit::parse(&input, now, &catalogue).unwrap()))
            })
            .collect();
        db.store_changes(&volunteer, &ChangeBatch { changes: visits, ..Default::default() }, now).await.unwrap();
    }

    let client = reqwest::Client::new();
    let token = common::login(&client, &base, "dieuphoi").await;

    println!("| format | rows | bytes | rows/s, median of {RUNS} | every run (rows/s) | resident heap before → peak while streaming |");
    println!("|---|---|---|---|---|---|");
    for format in ["csv", "xlsx"] {
        let before = resident_kib();
        let peak = Arc::new(AtomicU64::new(before));
        let sampler = {
            let peak = peak.clone();
            tokio::spawn(async move {
                loop {
                    peak.fetch_max(resident_kib(), Ordering::Relaxed);
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
            })
        };
        let mut rates = Vec::new();
        let mut bytes = 0;
        for _ in 0..RUNS {
            let started = Instant::now();
            let mut response =
                client.get(format!("{base}/api/v1/exports/visits.{format}")).bearer_auth(&token).send().await.unwrap();
            assert_eq!(response.status(), 200);
            let (mut received, mut lines) = (0usize, 0usize);
            while let Some(chunk) = response.chunk().await.unwrap() {
                received += chunk.len();
                lines += chunk.iter().filter(|b| **b == b'\n').count();
            }
            rates.push(VISITS as f64 / started.elapsed().as_secs_f64());
            if format == "csv" {
                assert_eq!(lines, VISITS + 1, "a header and every visit");
            }
            bytes = received;
        }
        sampler.abort();
        let every: Vec<String> = rates.iter().map(|rate| format!("{rate:.0}")).collect();
        rates.sort_by(f64::total_cmp);
        println!(
            "| {format} | {VISITS} | {bytes} | {:.0} | {} | {} MiB → {} MiB |",
            rates[RUNS / 2],
            every.join(", "),
            before / 1024,
            peak.load(Ordering::Relaxed) / 1024
        );
    }
}
