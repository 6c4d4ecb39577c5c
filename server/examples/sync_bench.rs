//! Sync throughput (scripts/bench-sync.sh): pushes 10,000 visits from one
//! device in batches over real HTTP on 127.0.0.1 — to 500 households, 20
//! visits each, as a team's phone makes them — inserts the same rows
//! straight into the same engine, in the same schema and batches, as the
//! ceiling, and pulls 100,000 changes in pages. Prints Markdown for
//! docs/benchmarks.md.
//!
//! The engine is the tests' (`GOCUA_TEST_BACKEND`, tests/common): SQLite
//! files by default, or with `postgres` a fresh database of the PostgreSQL
//! server `GOCUA_TEST_POSTGRES_ADMIN_URL` names for each round.
//!
//! The pushes and the ceiling are measured in alternating rounds, each on a
//! fresh database, and the best round of each is kept: this machine's disk
//! and cores vary by a third from one moment to the next, and a ratio of
//! two single runs measured seconds apart says more about that than about
//! the push.

#[path = "../tests/common/mod.rs"]
mod common;

use chrono::{DateTime, Utc};
use gocua_domain::api::Role;
use gocua_domain::sync::Pushed;
use gocua_server::access;
use gocua_server::db::{Actor, Change, ChangeBatch, Database, Engine, SqliteDatabase};
use gocua_server::demo;
use serde_json::{json, Value};
use std::time::Instant;

const PUSHED: usize = 10_000;
/// The households the pushed visits go to.
const HOUSEHOLDS: usize = 500;
const BATCH: usize = 200;
/// Phones pushing at once in the second measure.
const PHONES: usize = 4;
const PULLED: usize = 100_000;
const PAGE: usize = 1000;
/// Rounds of the pushes and of the ceiling, alternating.
const ROUNDS: usize = 3;

fn visit(id: &str, household_id: &str) -> Value {
    json!({
        "id": id, "household_id": household_id, "outcome": "guided",
        "people": {"adults": 2, "elderly": 1},
        "skills": [{"code": "vneid.level2", "completed": true}, {"code": "payment.qr", "completed": false}],
        "note": "Đã hướng dẫn cài VNeID và thanh toán bằng mã QR.", "visited_at": "2026-11-20T03:00:00Z", "revision": 1
    })
}

/// One round of pushes, on a fresh server: seconds for one phone's pushes,
/// and until their figures are folded in; the same for several phones at once.
struct PushRound {
    push: f64,
    figures: f64,
    phones: f64,
    phones_figures: f64,
}

/// One round of the ceiling, in rows a second. Each meets the table as the
/// pushes it is compared with do: the first 10,000 visits into an empty
/// table, the phones' 10,000 on top of them (an index's insert costs more as
/// it grows).
struct CeilingRound {
    /// The first 10,000, one multi-row INSERT per batch.
    multi_row: f64,
    /// The same rows on a database of their own, one prepared INSERT per row.
    per_row: f64,
    /// The next 10,000, one multi-row INSERT per batch, on top of the first.
    multi_row_on_top: f64,
}

#[tokio::main]
async fn main() {
    let client = reqwest::Client::new();
    let (mut pushes, mut ceilings) = (Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        pushes.push(push_round(&client).await);
        ceilings.push(ceiling_round().await);
    }
    let best = |seconds: fn(&PushRound) -> f64| pushes.iter().map(seconds).fold(f64::INFINITY, f64::min);
    let (push_seconds, figures_seconds) = (best(|round| round.push), best(|round| round.figures));
    let (phones_seconds, phones_figures_seconds) = (best(|round| round.phones), best(|round| round.phones_figures));
    let best_rate = |rate: fn(&CeilingRound) -> f64| ceilings.iter().map(rate).fold(0.0, f64::max);
    let ceiling = CeilingRound {
        multi_row: best_rate(|round| round.multi_row),
        per_row: best_rate(|round| round.per_row),
        multi_row_on_top: best_rate(|round| round.multi_row_on_top),
    };
    let (pulled, pages, pull_seconds) = pull(&client).await;
    report(push_seconds, figures_seconds, phones_seconds, phones_figures_seconds, &ceiling);
    println!(
        "| pull {pulled} changes in {pages} pages of {PAGE} | {:.0} changes/s ({pull_seconds:.2} s) |",
        pulled as f64 / pull_seconds
    );
}

/// Households for the pushed visits, as one phone's pushes made them.
fn household_ids() -> Vec<String> {
    (0..HOUSEHOLDS).map(|_| uuid::Uuid::now_v7().to_string()).collect()
}

/// The visits of one round: 20 to each household.
fn visits(household_ids: &[String]) -> Vec<Value> {
    visits_of(household_ids, PUSHED)
}

/// `count` new visits, one to each household in turn.
fn visits_of(household_ids: &[String], count: usize) -> Vec<Value> {
    (0..count).map(|i| visit(&uuid::Uuid::now_v7().to_string(), &household_ids[i % HOUSEHOLDS])).collect()
}

/// The visits of several phones pushing at once, each phone's in turn.
fn phones_visits(household_ids: &[String]) -> Vec<Vec<Value>> {
    (0..PHONES).map(|_| visits_of(household_ids, PUSHED / PHONES)).collect()
}

async fn push_round(client: &reqwest::Client) -> PushRound {
    let dir = tempfile::tempdir().unwrap();
    let (base, db) = common::serve_database(dir.path()).await;
    let token = common::login(client, &base, "tinhnguyen1").await;
    let me: Value =
        client.get(format!("{base}/api/v1/me")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    let village = me["villages"][0]["id"].as_i64().unwrap();
    let household_ids = household_ids();
    for ids in household_ids.chunks(BATCH) {
        let households: Vec<Value> = ids
            .iter()
            .map(|id| json!({"id": id, "village_id": village, "head_name": "Nguyễn Văn An", "address": "Số 12", "revision": 1}))
            .collect();
        let response = client
            .post(format!("{base}/api/v1/sync/push"))
            .bearer_auth(&token)
            .json(&json!({"households": households}));
        response.send().await.unwrap();
    }
    let visits = visits(&household_ids);
    // A phone's outbox is ready to send: its JSON is written before the clock
    // starts, and the answers are checked after it stops.
    let bodies: Vec<String> = visits.chunks(BATCH).map(|batch| json!({"visits": batch}).to_string()).collect();
    let mut answers = Vec::with_capacity(bodies.len());
    let push = format!("{base}/api/v1/sync/push");
    let started = Instant::now();
    for body in bodies {
        let request = client.post(&push).bearer_auth(&token).header("content-type", "application/json").body(body);
        answers.push(request.send().await.unwrap().bytes().await.unwrap());
    }
    let push_seconds = started.elapsed().as_secs_f64();
    for answer in &answers {
        let answer: Value = serde_json::from_slice(answer).unwrap();
        assert!(answer["results"].as_array().unwrap().iter().all(|r| r["status"] == "applied"));
    }
    // The figures of the last batches are folded in behind the push (a task
    // a moment later, or the next read of the figures). Once they are, the
    // whole work of the push — figures included — is done.
    let figures_seconds = push_seconds + fold_seconds(&db).await;
    let coordinator = common::login(client, &base, "dieuphoi").await;
    assert_eq!(dashboard_doors(client, &base, &coordinator).await, PUSHED as u64, "every pushed visit is counted");

    // 1b. Four phones at once, another 10,000 visits between them: the
    // database's work is one at a time, but each phone's HTTP and checks
    // run beside another's.
    let mut phones = Vec::new();
    for visits in phones_visits(&household_ids) {
        let token = common::login(client, &base, "tinhnguyen1").await;
        let bodies: Vec<String> = visits.chunks(BATCH).map(|batch| json!({"visits": batch}).to_string()).collect();
        phones.push((token, bodies));
    }
    let started = Instant::now();
    let pushing: Vec<_> = phones
        .into_iter()
        .map(|(token, bodies)| {
            let (client, push) = (client.clone(), push.clone());
            tokio::spawn(async move {
                let mut answers = Vec::new();
                for body in bodies {
                    let request =
                        client.post(&push).bearer_auth(&token).header("content-type", "application/json").body(body);
                    answers.push(request.send().await.unwrap().bytes().await.unwrap());
                }
                answers
            })
        })
        .collect();
    let mut answers = Vec::new();
    for phone in pushing {
        answers.extend(phone.await.unwrap());
    }
    let phones_seconds = started.elapsed().as_secs_f64();
    let phones_figures_seconds = phones_seconds + fold_seconds(&db).await;
    assert_eq!(dashboard_doors(client, &base, &coordinator).await, 2 * PUSHED as u64, "every pushed visit is counted");
    for answer in &answers {
        let answer: Value = serde_json::from_slice(answer).unwrap();
        assert!(answer["results"].as_array().unwrap().iter().all(|r| r["status"] == "applied"));
    }

    PushRound {
        push: push_seconds,
        figures: figures_seconds,
        phones: phones_seconds,
        phones_figures: phones_figures_seconds,
    }
}

/// Seconds to fold what the pushes left queued into the dashboard's figures:
/// the work a dashboard's first read would do before its own.
async fn fold_seconds(db: &Database) -> f64 {
    let started = Instant::now();
    db.fold_queued_figures().await.unwrap();
    started.elapsed().as_secs_f64()
}

/// The doors the coordinator's dashboard counts this month.
async fn dashboard_doors(client: &reqwest::Client, base: &str, token: &str) -> u64 {
    let dashboard = client.get(format!("{base}/api/v1/dashboard?from=2026-11-01&to=2026-11-30")).bearer_auth(token);
    let figures: Value = dashboard.send().await.unwrap().json().await.unwrap();
    figures["totals"]["doors"].as_u64().unwrap()
}

/// The ceiling's inserts, written once for each engine's types: the
/// households, then each phase's visits — each phone's in batches of its own,
/// as the phones push them — `rows_a_statement` to an INSERT and a batch to a
/// transaction; rows a second, by phase.
macro_rules! raw_inserts {
    ($engine:ty, $pool:expr, $household_ids:expr, $phases:expr) => {{
        let pool = $pool;
        for id in $household_ids {
            let mut insert = sqlx::QueryBuilder::<$engine>::new(
                "INSERT INTO households (id, commune_id, team_id, village_id, head_name, address, revision, created_by, updated_at) ",
            );
            insert.push_values([id], |mut row, id| {
                row.push_bind(id.as_str()).push_bind(1_i64).push_bind(1_i64).push_bind(1_i64).push_bind("x");
                row.push_bind("y").push_bind(1_i64).push_bind(3_i64).push_bind(Utc::now());
            });
            insert.build().execute(&pool).await.unwrap();
        }
        let mut rates = Vec::new();
        for &(phones, rows_a_statement) in $phases {
            let phones: &[Vec<RawVisit>] = phones;
            let started = Instant::now();
            for batch in phones.iter().flat_map(|rows| rows.chunks(BATCH)) {
                let mut tx = pool.begin().await.unwrap();
                for statement in batch.chunks(rows_a_statement) {
                    let mut insert = sqlx::QueryBuilder::<$engine>::new(
                        "INSERT INTO visits (id, author_id, commune_id, team_id, household_id, outcome, officials, pupils,
                                             adults, elderly, workers, skills, note, visited_at, revision, received_at,
                                             written_by_session) ",
                    );
                    insert.push_values(statement, |mut row, visit| {
                        row.push_bind(visit.id.as_str()).push_bind(3_i64).push_bind(1_i64).push_bind(1_i64);
                        row.push_bind(visit.household_id.as_str()).push_bind("guided");
                        row.push_bind(0_i64).push_bind(0_i64).push_bind(2_i64).push_bind(1_i64).push_bind(0_i64);
                        row.push_bind(visit.skills.as_str()).push_bind(visit.note.as_str()).push_bind(visit.visited_at);
                        row.push_bind(1_i64).push_bind(Utc::now());
                        // The pushing device, as a push records it.
                        row.push_bind(1_i64);
                    });
                    insert.build().execute(&mut *tx).await.unwrap();
                }
                tx.commit().await.unwrap();
            }
            let rows: usize = phones.iter().map(Vec::len).sum();
            rates.push(rows as f64 / started.elapsed().as_secs_f64());
        }
        rates
    }};
}

async fn ceiling_round() -> CeilingRound {
    let household_ids = household_ids();
    // The rows as the database takes them, made before the clock starts.
    let raw = |visits: &[Value]| visits.iter().map(RawVisit::of).collect::<Vec<_>>();
    let first = [raw(&visits(&household_ids))];
    let on_top: Vec<_> = phones_visits(&household_ids).iter().map(|visits| raw(visits)).collect();
    let multi_row = raw_rates(&household_ids, &[(&first[..], BATCH), (&on_top[..], BATCH)]).await;
    let per_row = raw_rates(&household_ids, &[(&first[..], 1)]).await;
    CeilingRound { multi_row: multi_row[0], per_row: per_row[0], multi_row_on_top: multi_row[1] }
}

/// The ceiling: the same rows, in the same schema (its indexes, foreign
/// keys and durability: SQLite's WAL with synchronous = FULL, PostgreSQL's
/// defaults), in transactions of the same batch size, each committed to
/// disk, on a fresh database — by the fastest plain insert there is here:
/// one multi-row INSERT per batch (a prepared INSERT per row, also timed,
/// is slower). Rows a second, by phase.
async fn raw_rates(household_ids: &[String], phases: &[(&[Vec<RawVisit>], usize)]) -> Vec<f64> {
    let raw_dir = tempfile::tempdir().unwrap();
    let url = common::database_url(raw_dir.path());
    let raw = Database::connect(&url).await.unwrap();
    demo::ensure(&raw).await.unwrap();
    drop(raw);
    match common::engine() {
        Engine::Sqlite => {
            // Opened as the server opens it (WAL, synchronous = FULL, foreign keys, its memory map).
            let options = SqliteDatabase::connect_options(&url).unwrap();
            let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
            raw_inserts!(sqlx::Sqlite, pool, household_ids, phases)
        }
        Engine::Postgres => {
            let pool = sqlx::PgPool::connect(&url).await.unwrap();
            raw_inserts!(sqlx::Postgres, pool, household_ids, phases)
        }
    }
}

/// A pushed visit's values as the ceiling inserts them.
struct RawVisit {
    id: String,
    household_id: String,
    skills: String,
    note: String,
    visited_at: DateTime<Utc>,
}

impl RawVisit {
    fn of(visit: &Value) -> RawVisit {
        RawVisit {
            id: visit["id"].as_str().unwrap().to_owned(),
            household_id: visit["household_id"].as_str().unwrap().to_owned(),
            skills: visit["skills"].to_string(),
            note: visit["note"].as_str().unwrap().to_owned(),
            visited_at: visit["visited_at"].as_str().unwrap().parse().unwrap(),
        }
    }
}

/// Pulls 100,000 changes in pages: how many, in how many pages, in how many seconds.
async fn pull(client: &reqwest::Client) -> (usize, usize, f64) {
    let household_id = uuid::Uuid::now_v7().to_string();
    let pull_dir = tempfile::tempdir().unwrap();
    let (base, db) = common::serve_database(pull_dir.path()).await;
    let token = common::login(client, &base, "tinhnguyen1").await;
    let actor = access::scope(&Actor { user_id: 3, commune_id: 1, team_id: Some(1), role: Role::Volunteer });
    let household = gocua_domain::Household::parse(&gocua_domain::HouseholdInput {
        id: household_id.clone(),
        village_id: 1,
        head_name: "Nguyễn Văn An".into(),
        address: "Số 12".into(),
        ..Default::default()
    })
    .unwrap();
    db.store_changes(
        &actor,
        &ChangeBatch { changes: vec![Change::Household(Pushed::new_record(household))], ..Default::default() },
        Utc::now(),
    )
    .await
    .unwrap();
    let catalogue = gocua_domain::Catalogue::starting();
    let now = Utc::now();
    for _ in 0..PULLED / 1000 {
        let batch: Vec<Change> = (0..1000)
            .map(|_| {
                let input: gocua_domain::VisitInput =
                    serde_json::from_value(visit(&uuid::Uuid::now_v7().to_string(), &household_id)).unwrap();
                Change::Visit(Pushed::new_record(gocua_domain::Visit::parse(&input, now, &catalogue).unwrap()))
            })
            .collect();
        db.store_changes(&actor, &ChangeBatch { changes: batch, ..Default::default() }, now).await.unwrap();
    }
    // Their figures folded first (a dashboard read does it), so the pull is timed alone.
    let coordinator = common::login(client, &base, "dieuphoi").await;
    let dashboard =
        client.get(format!("{base}/api/v1/dashboard?from=2026-11-01&to=2026-11-30")).bearer_auth(&coordinator);
    assert_eq!(dashboard.send().await.unwrap().status(), 200);
    if common::engine() == Engine::Postgres && std::env::var_os("GOCUA_BENCH_NO_ANALYZE").is_none() {
        // The statistics a live database has: autovacuum gathers them within a minute of such a
        // load. Without them the planner misjudges the tables just filled (docs/benchmarks.md
        // records the pull both ways; GOCUA_BENCH_NO_ANALYZE=1 times it without).
        common::execute_sql(&common::database_url(pull_dir.path()), "ANALYZE", &[]).await;
    }
    let started = Instant::now();
    let (mut pulled, mut pages, mut cursor) = (0usize, 0usize, String::new());
    loop {
        let page: Value = client
            .get(format!("{base}/api/v1/sync/pull?limit={PAGE}&since={cursor}"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        pulled += page["changes"].as_array().unwrap().len();
        pages += 1;
        cursor = page["cursor"].as_str().unwrap().to_owned();
        if page["has_more"] == false {
            break;
        }
    }
    let pull_seconds = started.elapsed().as_secs_f64();

    (pulled, pages, pull_seconds)
}

fn report(
    push_seconds: f64,
    figures_seconds: f64,
    phones_seconds: f64,
    phones_figures_seconds: f64,
    ceiling_of: &CeilingRound,
) {
    let push_rate = PUSHED as f64 / push_seconds;
    let ceiling = ceiling_of.multi_row.max(ceiling_of.per_row);
    let engine = common::engine().name();
    println!("On {engine}:");
    println!();
    println!("| measure | figure |");
    println!("|---|---:|");
    println!("| push {PUSHED} visits in batches of {BATCH} over HTTP (sync path) | {push_rate:.0} visits/s ({push_seconds:.2} s) |");
    println!(
        "| ceiling: the same rows, one multi-row INSERT per transaction of {BATCH} | {:.0} rows/s |",
        ceiling_of.multi_row
    );
    println!("| (a prepared INSERT per row, transactions of {BATCH}) | {:.0} rows/s |", ceiling_of.per_row);
    println!("| sync path / ceiling | {:.2} |", push_rate / ceiling);
    let figures_rate = PUSHED as f64 / figures_seconds;
    println!("| push, then its last figures folded | {figures_rate:.0} visits/s ({figures_seconds:.2} s) |");
    println!("| push with its figures / ceiling | {:.2} |", figures_rate / ceiling);
    let phones_rate = PUSHED as f64 / phones_seconds;
    let on_top = ceiling_of.multi_row_on_top;
    println!(
        "| {PHONES} phones at once, {} visits each in batches of {BATCH} | {phones_rate:.0} visits/s ({phones_seconds:.2} s) |",
        PUSHED / PHONES
    );
    println!("| ceiling for the phones: their rows the same way, on top of the first {PUSHED} | {on_top:.0} rows/s |");
    println!("| {PHONES} phones / ceiling | {:.2} |", phones_rate / on_top);
    let phones_figures_rate = PUSHED as f64 / phones_figures_seconds;
    println!(
        "| {PHONES} phones, then their last figures folded | {phones_figures_rate:.0} visits/s ({phones_figures_seconds:.2} s) |"
    );
    println!("| {PHONES} phones with the figures / ceiling | {:.2} |", phones_figures_rate / on_top);
}
