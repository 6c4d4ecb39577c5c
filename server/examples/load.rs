//! Load (scripts/bench-load.sh): many phones of many communes sync what
//! they logged offline through the real server process at once — households,
//! then visits in small batches, then a pull to the end — over connections
//! that are cut now and then (the phone gives up waiting and sends the same
//! batch again). It ends by checking that every visit and household is
//! stored exactly once, that no answer was a 5xx, and that every phone
//! pulled back all it pushed; and prints throughput, push latency and the
//! server's memory as Markdown for docs/benchmarks.md.
//!
//! SQLite with one server process by default; `GOCUA_LOAD_DATABASE` names
//! another database (an empty PostgreSQL one: `scripts/bench-load.sh` starts
//! a cluster) and `GOCUA_LOAD_SERVERS` how many server processes share it —
//! the phones are spread over them.

use gocua_domain::api::Role;
use gocua_server::db::{Database, NewUser};
use gocua_server::password;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashSet};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const COMMUNES: usize = 20;
const TEAMS_PER_COMMUNE: usize = 5;
/// Phones (each a volunteer of its own), spread over the communes' teams.
const PHONES: usize = 1000;
const HOUSEHOLDS_PER_PHONE: usize = 4;
const VISITS_PER_PHONE: usize = 30;
/// Visits a phone sends at a time.
const BATCH: usize = 10;
/// One request in this many is cut: the phone stops waiting after a few milliseconds.
const CUT_ONE_IN: u64 = 10;
const PASSWORD: &str = "mat-khau-thu-tai";

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().unwrap();
    let database = std::env::var("GOCUA_LOAD_DATABASE")
        .unwrap_or_else(|_| format!("sqlite://{}", dir.path().join("load.db").display()));
    let server_count: usize =
        std::env::var("GOCUA_LOAD_SERVERS").map_or(1, |n| n.parse().expect("a number of servers"));
    set_up(&database).await;
    let servers: Vec<Server> = (0..server_count).map(|_| Server::start(&database, dir.path())).collect();
    let base_of = |phone: usize| servers[phone % servers.len()].base.as_str();
    let client = reqwest::Client::builder().pool_max_idle_per_host(PHONES).build().unwrap();

    let signed_in = Instant::now();
    let mut phones = Vec::new();
    // A few at a time: attempts under way count against the one address
    // they all come from (30 allowed, as for a commune office behind one).
    for chunk in (0..PHONES).collect::<Vec<_>>().chunks(20) {
        let logins = chunk.iter().map(|&phone| sign_in(&client, base_of(phone), phone));
        phones.extend(futures_util::future::join_all(logins).await);
    }
    let sign_in_seconds = signed_in.elapsed().as_secs_f64();

    let tally = Arc::new(Tally::default());
    let started = Instant::now();
    let syncing: Vec<_> = phones
        .into_iter()
        .enumerate()
        .map(|(number, phone)| {
            let (client, base, tally) = (client.clone(), base_of(number).to_owned(), tally.clone());
            tokio::spawn(async move { sync_offline_work(&client, &base, number, phone, &tally).await })
        })
        .collect();
    for phone in syncing {
        phone.await.unwrap();
    }
    let seconds = started.elapsed().as_secs_f64();
    let memory: Vec<u64> = servers.iter().map(Server::peak_memory_kib).collect();
    drop(servers);

    let stored = count_stored(&database).await;
    let expected = (PHONES * VISITS_PER_PHONE, PHONES * HOUSEHOLDS_PER_PHONE);
    assert_eq!(stored, expected, "every visit and household stored exactly once");
    let tally = Arc::try_unwrap(tally).ok().unwrap();
    let statuses = tally.statuses.into_inner().unwrap();
    assert!(statuses.keys().all(|status| *status < 500), "no 5xx: {statuses:?}");
    let mut latencies = tally.push_latencies.into_inner().unwrap();
    latencies.sort();
    let percentile = |p: f64| latencies[((latencies.len() - 1) as f64 * p) as usize].as_secs_f64() * 1000.0;

    println!("| measure | figure |");
    println!("|---|---:|");
    let engine = database.split(':').next().unwrap_or_default();
    println!("| database; server processes | {engine}; {server_count} |");
    println!("| phones (volunteers of {COMMUNES} communes, {} teams) | {PHONES} |", COMMUNES * TEAMS_PER_COMMUNE);
    println!("| sign-ins (argon2id, 20 at a time; not in the sync time) | {sign_in_seconds:.1} s |");
    println!(
        "| synced at once: {} households, {} visits in batches of {BATCH}, then a pull to the end each | {seconds:.1} s |",
        expected.1, expected.0
    );
    println!("| visits stored a second, all phones together | {:.0} |", expected.0 as f64 / seconds);
    println!("| push latency p50 / p99 (answered pushes) | {:.0} ms / {:.0} ms |", percentile(0.5), percentile(0.99));
    println!("| requests cut by the phone and sent again | {} |", tally.cuts.into_inner().unwrap());
    println!("| answers by status | {statuses:?} |");
    let memory: Vec<String> = memory.iter().map(|kib| format!("{:.0} MiB", *kib as f64 / 1024.0)).collect();
    println!("| each server's peak memory (VmHWM) | {} |", memory.join(", "));
    println!("| stored: visits, households (each exactly once) | {}, {} |", stored.0, stored.1);
}

/// Communes, their villages and teams, and a volunteer per phone, straight
/// into the database (one password hash for all: hashing is not what is measured).
async fn set_up(database: &str) {
    let db = Database::connect(database).await.unwrap();
    let password_hash = password::hash(PASSWORD);
    for commune in 0..COMMUNES {
        let name = commune_name(commune);
        db.add_commune(&name).await.unwrap();
        db.add_village(&name, "Thôn Đông", 300).await.unwrap();
        for team in 0..TEAMS_PER_COMMUNE {
            db.add_team(&name, &team_name(team)).await.unwrap();
        }
    }
    for phone in 0..PHONES {
        let user = NewUser {
            commune: commune_name(phone % COMMUNES),
            team: Some(team_name(phone / COMMUNES % TEAMS_PER_COMMUNE)),
            username: format!("tnv{phone}"),
            display_name: format!("Tình nguyện viên {phone}"),
            role: Role::Volunteer,
            password_hash: password_hash.clone(),
        };
        db.add_user(&user).await.unwrap();
    }
}

fn commune_name(commune: usize) -> String {
    format!("Xã thử tải {commune}")
}

fn team_name(team: usize) -> String {
    format!("Tổ {team}")
}

/// The real server binary (built beside this example) on a free port.
struct Server {
    child: Child,
    base: String,
}

impl Server {
    fn start(database: &str, dir: &std::path::Path) -> Server {
        let binary = std::env::current_exe().unwrap().parent().unwrap().parent().unwrap().join("gocua-server");
        let app = dir.join("no-app");
        std::fs::create_dir_all(&app).unwrap();
        let mut child = Command::new(&binary)
            .args(["serve", "--addr", "127.0.0.1:0", "--database", database, "--static-dir"])
            .arg(&app)
            .env("RUST_LOG", "gocua_server=warn")
            .stdout(Stdio::piped())
            // Not this tool's: a panic here aborts without stopping the server, which would hold it open.
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|error| panic!("{}: {error} (build it: cargo build --release)", binary.display()));
        let mut first = String::new();
        BufReader::new(child.stdout.as_mut().unwrap()).read_line(&mut first).unwrap();
        let at = first.find("http://").unwrap_or_else(|| panic!("the server says where it runs: {first:?}"));
        Server { base: first[at..].trim().trim_end_matches('/').to_owned(), child }
    }

    /// The most memory the process has held (kibibytes), from /proc.
    fn peak_memory_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap_or_default();
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmHWM:"))
            .and_then(|kib| kib.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A signed-in phone: its token and its village.
struct Phone {
    token: String,
    village_id: i64,
}

async fn sign_in(client: &reqwest::Client, base: &str, phone: usize) -> Phone {
    let login = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"username": format!("tnv{phone}"), "password": PASSWORD}));
    let body: Value = login.send().await.unwrap().json().await.unwrap();
    let token = body["token"].as_str().unwrap_or_else(|| panic!("phone {phone} signs in: {body}")).to_owned();
    let me: Value =
        client.get(format!("{base}/api/v1/me")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    Phone { token, village_id: me["villages"][0]["id"].as_i64().unwrap() }
}

#[derive(Default)]
struct Tally {
    statuses: Mutex<BTreeMap<u16, usize>>,
    push_latencies: Mutex<Vec<Duration>>,
    cuts: Mutex<usize>,
}

/// One phone's offline work, synced: households, visits in batches, a pull to the end.
async fn sync_offline_work(client: &reqwest::Client, base: &str, number: usize, phone: Phone, tally: &Tally) {
    let households: Vec<String> = (0..HOUSEHOLDS_PER_PHONE).map(|_| uuid::Uuid::now_v7().to_string()).collect();
    let visits: Vec<Value> = (0..VISITS_PER_PHONE)
        .map(|i| {
            json!({
                "id": uuid::Uuid::now_v7().to_string(), "household_id": households[i % HOUSEHOLDS_PER_PHONE],
                "outcome": "guided", "people": {"adults": 1, "elderly": 1},
                "skills": [{"code": "vneid.level2", "completed": true}],
                "note": "", "visited_at": "2026-11-20T03:00:00Z", "revision": 1
            })
        })
        .collect();
    let household_rows: Vec<Value> = households
        .iter()
        .map(|id| json!({"id": id, "village_id": phone.village_id, "head_name": "Hộ thử", "address": "Số 1", "revision": 1}))
        .collect();
    let mut seed = number as u64 * 7919 + 1;
    let push = format!("{base}/api/v1/sync/push");
    send(client, &push, &phone.token, json!({"households": household_rows}).to_string(), &mut seed, tally).await;
    for batch in visits.chunks(BATCH) {
        send(client, &push, &phone.token, json!({"visits": batch}).to_string(), &mut seed, tally).await;
    }

    let mut pulled = HashSet::new();
    let mut since: Option<String> = None;
    loop {
        let mut pull = client.get(format!("{base}/api/v1/sync/pull")).bearer_auth(&phone.token);
        if let Some(cursor) = &since {
            pull = pull.query(&[("since", cursor)]);
        }
        let response = pull.send().await.unwrap();
        note_status(tally, response.status().as_u16());
        let page: Value = response.json().await.unwrap();
        for change in page["changes"].as_array().unwrap() {
            if let Some(id) = change["visit"]["id"].as_str() {
                pulled.insert(id.to_owned());
            }
        }
        since = page["cursor"].as_str().map(str::to_owned);
        if page["has_more"] != true {
            break;
        }
    }
    for visit in &visits {
        assert!(pulled.contains(visit["id"].as_str().unwrap()), "phone {number} pulls back what it pushed");
    }
}

/// Sends one push until it is answered; some tries are cut short by the
/// phone (the server may or may not have stored them), as on a weak signal.
async fn send(client: &reqwest::Client, url: &str, token: &str, body: String, seed: &mut u64, tally: &Tally) {
    loop {
        *seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let cut = (*seed >> 33) % CUT_ONE_IN == 0;
        let mut request =
            client.post(url).bearer_auth(token).header("content-type", "application/json").body(body.clone());
        if cut {
            request = request.timeout(Duration::from_millis(1 + (*seed >> 40) % 10));
        }
        let started = Instant::now();
        match request.send().await {
            Ok(response) => {
                let status = response.status().as_u16();
                let answer = response.text().await;
                note_status(tally, status);
                match answer {
                    Ok(_) if status == 200 => {
                        tally.push_latencies.lock().unwrap().push(started.elapsed());
                        return;
                    }
                    Err(_) if cut => *tally.cuts.lock().unwrap() += 1,
                    _ => panic!("a push answered {status}: {answer:?}"),
                }
            }
            Err(error) if cut || error.is_timeout() => *tally.cuts.lock().unwrap() += 1,
            Err(error) => panic!("a push failed: {error}"),
        }
    }
}

fn note_status(tally: &Tally, status: u16) {
    *tally.statuses.lock().unwrap().entry(status).or_default() += 1;
}

/// Visits and households stored, each id counted once if stored twice (on either engine).
async fn count_stored(database: &str) -> (usize, usize) {
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(database).await.unwrap();
    let count = |sql: &'static str| {
        let pool = pool.clone();
        async move {
            let (all, distinct): (i64, i64) = sqlx::query_as(sql).fetch_one(&pool).await.unwrap();
            assert_eq!(all, distinct, "no record stored twice: {sql}");
            all as usize
        }
    };
    (
        count("SELECT COUNT(*), COUNT(DISTINCT id) FROM visits").await,
        count("SELECT COUNT(*), COUNT(DISTINCT id) FROM households").await,
    )
}
