//! A real server on 127.0.0.1 with a temporary SQLite file and the demo
//! commune, for tests that speak HTTP to it like a phone would — and for the
//! benchmarks (`server/examples/`), which include this same module.
// The benchmarks use only part of this module.
#![allow(dead_code)]

use gocua_domain::api::Role;
use gocua_server::app_shell::AppShell;
use gocua_server::db::{Database, Engine, NewProvinceAccount, NewUser};
use gocua_server::password;
use gocua_server::{demo, router};
use serde_json::{json, Value};
use std::path::Path;
use tempfile::TempDir;

/// The database every server test runs on, named by one environment
/// variable, `GOCUA_TEST_BACKEND`: `sqlite` (the default) is a file in the
/// test's own directory; `postgres` is a database of the test's own on the
/// server `GOCUA_TEST_POSTGRES_ADMIN_URL` names (`scripts/postgres.sh`
/// starts one), named after the directory so a restarted server finds it
/// again. Another backend is added here and nowhere else in the tests (only
/// the tests that reach under the API with raw SQL speak one engine's
/// dialect, and say so).
pub fn database_url(dir: &Path) -> String {
    match engine() {
        Engine::Sqlite => format!("sqlite://{}", dir.join("gocua.db").display()),
        Engine::Postgres => postgres_database(dir),
    }
}

/// The engine the tests run on, as `GOCUA_TEST_BACKEND` names it.
pub fn engine() -> Engine {
    match std::env::var("GOCUA_TEST_BACKEND").as_deref() {
        Err(_) | Ok("") | Ok("sqlite") => Engine::Sqlite,
        Ok("postgres") => Engine::Postgres,
        Ok(other) => panic!("GOCUA_TEST_BACKEND={other:?}: `sqlite` or `postgres`"),
    }
}

/// The URL of the PostgreSQL database of the test directory `dir`, created if it does not exist.
pub fn postgres_database(dir: &Path) -> String {
    use std::hash::{Hash, Hasher};
    let admin = std::env::var("GOCUA_TEST_POSTGRES_ADMIN_URL")
        .expect("a PostgreSQL server for the tests, GOCUA_TEST_POSTGRES_ADMIN_URL: scripts/test.sh starts one");
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    dir.hash(&mut hasher);
    let name = format!("gocua_{:016x}", hasher.finish());
    // Callers are sync and async alike: the database is made on a thread of its own.
    let create = {
        let (admin, name) = (admin.clone(), name.clone());
        move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            runtime.block_on(async {
                use sqlx::Connection;
                let mut admin = sqlx::PgConnection::connect(&admin).await.expect("the PostgreSQL server answers");
                let exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
                    .bind(&name)
                    .fetch_one(&mut admin)
                    .await
                    .unwrap();
                if !exists {
                    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut admin).await.unwrap();
                }
            })
        }
    };
    std::thread::spawn(create).join().expect("the test database is created");
    let (server, _) = admin.rsplit_once('/').expect("an admin URL ends with its database");
    format!("{server}/{name}")
}

/// A write lock held on the test database from outside the server, so that
/// a write of the server waits: SQLite's one write lock, or on PostgreSQL a
/// lock on the change log every write appends to. Released by [`Self::release`].
pub struct WriteBlocker(sqlx::AnyConnection);

impl WriteBlocker {
    pub async fn hold(url: &str) -> WriteBlocker {
        use sqlx::Connection;
        sqlx::any::install_default_drivers();
        let mut connection = sqlx::AnyConnection::connect(url).await.expect("the test database opens");
        let statements: &[&str] = match Engine::of(url).unwrap() {
            Engine::Sqlite => &["BEGIN IMMEDIATE"],
            Engine::Postgres => &["BEGIN", "LOCK TABLE changes IN EXCLUSIVE MODE"],
        };
        for statement in statements {
            sqlx::query(statement).execute(&mut connection).await.unwrap();
        }
        WriteBlocker(connection)
    }

    pub async fn release(mut self) {
        sqlx::query("ROLLBACK").execute(&mut self.0).await.unwrap();
    }
}

/// Runs one statement on the database at `url`, on whichever engine it is,
/// for what no endpoint does (ageing an invite, say): `$1`-style
/// placeholders, each bound to an integer of `binds`.
pub async fn execute_sql(url: &str, sql: &str, binds: &[i64]) {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let mut connection = sqlx::AnyConnection::connect(url).await.expect("the test database opens");
    let mut query = sqlx::query(sql);
    for bind in binds {
        query = query.bind(*bind);
    }
    query.execute(&mut connection).await.unwrap_or_else(|error| panic!("{sql}: {error}"));
}

pub struct TestServer {
    pub base: String,
    pub client: reqwest::Client,
    pub dir: TempDir,
    /// Its database.
    url: String,
    server: tokio::task::JoinHandle<()>,
}

impl TestServer {
    /// Starts a server with the demo commune and a tiny built app.
    pub async fn start() -> TestServer {
        let dir = tempfile::tempdir().expect("a temporary directory");
        Self::start_in(dir).await
    }

    /// Starts a server on the database and app of `dir` (kept across restarts).
    pub async fn start_in(dir: TempDir) -> TestServer {
        Self::start_with(dir, gocua_server::connection::HEADER_TIMEOUT).await
    }

    /// Starts a server that cuts requests whose headers take longer than `header_timeout`.
    pub async fn start_with_header_timeout(header_timeout: std::time::Duration) -> TestServer {
        Self::start_with(tempfile::tempdir().expect("a temporary directory"), header_timeout).await
    }

    async fn start_with(dir: TempDir, header_timeout: std::time::Duration) -> TestServer {
        let url = database_url(dir.path());
        Self::start_on(dir, &url, header_timeout).await
    }

    /// Starts a server on the database at `url`, whatever engine the tests run on.
    pub async fn start_on(dir: TempDir, url: &str, header_timeout: std::time::Duration) -> TestServer {
        let dist = dir.path().join("dist");
        write_fake_app(&dist);
        let db = Database::connect(url).await.expect("the database opens");
        demo::ensure(&db).await.expect("the demo commune is created");
        let shell = AppShell::load(&dist).expect("the app loads");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a free port");
        let base = format!("http://{}", listener.local_addr().unwrap());
        let server = tokio::spawn(async move {
            let app = router(db, shell);
            gocua_server::connection::serve_with(listener, app, header_timeout).await.expect("the server runs");
        });
        TestServer { base, client: reqwest::Client::new(), dir, url: url.to_owned(), server }
    }

    /// Stops the server, keeping its files, as a restart would.
    pub async fn stop(self) -> TempDir {
        self.server.abort();
        let _ = self.server.await;
        self.dir
    }

    /// A second connection to the server's database, for what no endpoint does (ageing a record).
    pub async fn database(&self) -> Database {
        Database::connect(&self.database_url()).await.unwrap()
    }

    /// The server's database.
    pub fn database_url(&self) -> String {
        self.url.clone()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Signs a demo user in and returns the bearer token.
    pub async fn login(&self, username: &str) -> String {
        login(&self.client, &self.base, username).await
    }

    pub async fn push(&self, token: &str, body: &Value) -> reqwest::Response {
        self.client.post(self.url("/api/v1/sync/push")).bearer_auth(token).json(body).send().await.unwrap()
    }

    pub async fn households(&self, token: &str) -> Vec<Value> {
        let response = self.client.get(self.url("/api/v1/households")).bearer_auth(token).send().await.unwrap();
        assert_eq!(response.status(), 200);
        let body: Value = response.json().await.unwrap();
        body["households"].as_array().unwrap().clone()
    }

    pub async fn visits(&self, token: &str) -> Vec<Value> {
        let response = self.client.get(self.url("/api/v1/visits")).bearer_auth(token).send().await.unwrap();
        assert_eq!(response.status(), 200);
        let body: Value = response.json().await.unwrap();
        body["visits"].as_array().unwrap().clone()
    }

    pub async fn get_json(&self, token: &str, path: &str) -> (reqwest::StatusCode, Value) {
        let response = self.client.get(self.url(path)).bearer_auth(token).send().await.unwrap();
        (response.status(), response.json().await.unwrap_or(Value::Null))
    }

    pub async fn send_json(
        &self,
        method: reqwest::Method,
        token: &str,
        path: &str,
        body: &Value,
    ) -> (reqwest::StatusCode, Value) {
        let response = self.client.request(method, self.url(path)).bearer_auth(token).json(body).send().await.unwrap();
        (response.status(), response.json().await.unwrap_or(Value::Null))
    }

    pub async fn delete(&self, token: &str, path: &str) -> (reqwest::StatusCode, Value) {
        let response = self.client.delete(self.url(path)).bearer_auth(token).send().await.unwrap();
        (response.status(), response.json().await.unwrap_or(Value::Null))
    }

    /// The id of a demo village.
    pub async fn village_id(&self, token: &str) -> i64 {
        let response = self.client.get(self.url("/api/v1/me")).bearer_auth(token).send().await.unwrap();
        let profile: Value = response.json().await.unwrap();
        profile["villages"][0]["id"].as_i64().unwrap()
    }
}

/// Signs a demo user in at `base` and returns the bearer token.
pub async fn login(client: &reqwest::Client, base: &str, username: &str) -> String {
    let response = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"username": username, "password": demo::PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "demo sign-in of {username}");
    let body: Value = response.json().await.unwrap();
    body["token"].as_str().expect("a token").to_owned()
}

/// Serves the demo commune from the tests' database of `dir` ([`database_url`],
/// kept if it exists) with no built app, as the benchmarks do; the base URL and the database.
pub async fn serve_database(dir: &Path) -> (String, Database) {
    serve_url(&database_url(dir)).await
}

/// Serves the demo commune from the database at `url`, as [`serve_database`].
pub async fn serve_url(url: &str) -> (String, Database) {
    let db = Database::connect(url).await.unwrap();
    demo::ensure(&db).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = router(db.clone(), AppShell::default());
    tokio::spawn(async move { gocua_server::serve(listener, app).await.unwrap() });
    (base, db)
}

/// A household as the app would push it.
pub fn household(id: &str, village_id: i64) -> Value {
    json!({
        "id": id,
        "village_id": village_id,
        "head_name": "Nguyễn Văn An",
        "address": "Số 12, ngõ 3",
        "phone": "0912 345 678",
        "members": 4,
        "revision": 1
    })
}

/// A guided visit to `household_id`, as the app would push it.
pub fn visit(id: &str, household_id: &str) -> Value {
    json!({
        "id": id,
        "household_id": household_id,
        "outcome": "guided",
        "people": {"adults": 2, "elderly": 1},
        "skills": [{"code": "vneid.level2", "completed": true}, {"code": "payment.qr", "completed": false}],
        "note": "Bà cụ đã tự quét mã QR.",
        "visited_at": "2026-03-02T03:00:00Z",
        "revision": 1
    })
}

/// A community session in `village_id` on the festival day, as the app would push it.
pub fn community_session(id: &str, village_id: i64) -> Value {
    json!({
        "id": id,
        "village_id": village_id,
        "place": "Nhà văn hóa thôn Đông",
        "held_on": "2026-10-10",
        "skills": ["vneid.level2", "safety.scam"],
        "attendees": {"pupils": 30, "adults": 80, "elderly": 25, "workers": 5},
        "note": "Ngày hội toàn dân học tập số.",
        "revision": 1
    })
}

pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

impl TestServer {
    /// Pushes a new household of the user's first village and returns its id.
    pub async fn new_household(&self, token: &str) -> String {
        let village = self.village_id(token).await;
        let id = new_id();
        let answer: Value =
            self.push(token, &json!({"households": [household(&id, village)]})).await.json().await.unwrap();
        assert_eq!(answer["results"][0]["status"], "applied", "{answer}");
        id
    }

    pub async fn pull(&self, token: &str, since: Option<&str>, limit: Option<usize>) -> Value {
        let mut request = self.client.get(self.url("/api/v1/sync/pull")).bearer_auth(token);
        if let Some(since) = since {
            request = request.query(&[("since", since)]);
        }
        if let Some(limit) = limit {
            request = request.query(&[("limit", limit)]);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 200);
        response.json().await.unwrap()
    }
}

/// A second commune (Tiên Tiến) with its own team, volunteer (`khac-xa`), leader
/// (`truong-khac-xa`) and coordinator (`dieuphoi-khac`), and a second team in the
/// demo commune with its volunteer (`khac-to`) and leader (`truong-khac-to`);
/// Tiên Tiến in Quảng Ninh, with its Department's account (`so-khcn-khac`;
/// the demo's Kiến Minh is in Hải Phòng, whose is `so-khcn`).
pub async fn add_neighbours(server: &TestServer) {
    let db = server.database().await;
    db.add_commune("Tiên Tiến").await.unwrap();
    db.add_village("Tiên Tiến", "Thôn Nam", 50).await.unwrap();
    db.add_team("Tiên Tiến", "Tổ CNSCĐ thôn Nam").await.unwrap();
    db.add_team("Kiến Minh", "Tổ CNSCĐ thôn Tây").await.unwrap();
    for (username, commune, team, role) in [
        ("khac-xa", "Tiên Tiến", Some("Tổ CNSCĐ thôn Nam"), Role::Volunteer),
        ("dieuphoi-khac", "Tiên Tiến", None, Role::Coordinator),
        ("khac-to", "Kiến Minh", Some("Tổ CNSCĐ thôn Tây"), Role::Volunteer),
        ("truong-khac-to", "Kiến Minh", Some("Tổ CNSCĐ thôn Tây"), Role::Leader),
        ("truong-khac-xa", "Tiên Tiến", Some("Tổ CNSCĐ thôn Nam"), Role::Leader),
    ] {
        let user = NewUser {
            commune: commune.into(),
            team: team.map(Into::into),
            username: username.into(),
            display_name: username.into(),
            role,
            password_hash: password::hash("gocua-demo"),
        };
        db.add_user(&user).await.unwrap();
    }
    // Another province holding the other commune, with its Department's account (Kiến Minh's is the demo's).
    db.add_province("Quảng Ninh").await.unwrap();
    db.place_commune("Tiên Tiến", "Quảng Ninh").await.unwrap();
    let account = NewProvinceAccount {
        province: "Quảng Ninh".into(),
        username: "so-khcn-khac".into(),
        display_name: "Sở KH&CN Quảng Ninh".into(),
        password_hash: password::hash("gocua-demo"),
    };
    db.add_province_account(&account).await.unwrap();
}

fn write_fake_app(dist: &Path) {
    std::fs::create_dir_all(dist).unwrap();
    std::fs::write(dist.join("index.html"), "<!doctype html><title>Gõ Cửa</title>".repeat(20)).unwrap();
    std::fs::write(dist.join("sw.js"), "self.addEventListener('fetch', () => {});").unwrap();
    std::fs::write(dist.join("gocua-app-0123456789abcdef_bg.wasm"), vec![0u8; 4096]).unwrap();
}

/// An XLSX file as LibreOffice reads it, saved as CSV (UTF-8): what a person opening it would see.
pub fn spreadsheet_as_csv(xlsx: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bao-cao.xlsx");
    std::fs::write(&file, xlsx).unwrap();
    let profile = format!("-env:UserInstallation=file://{}", dir.path().join("profile").display());
    let output = std::process::Command::new("soffice")
        .args([&profile, "--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76"])
        .arg("--outdir")
        .arg(dir.path())
        .arg(&file)
        .output()
        .expect("LibreOffice (soffice) is installed by scripts/setup.sh");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    std::fs::read_to_string(dir.path().join("bao-cao.csv")).unwrap()
}

/// The median of five runs after a warm-up, in milliseconds (the benchmarks').
pub async fn median_ms<F, Fut, T>(mut run: F) -> f64
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = T>,
{
    run().await;
    let mut times = Vec::new();
    for _ in 0..5 {
        let started = std::time::Instant::now();
        run().await;
        times.push(started.elapsed());
    }
    times.sort();
    times[2].as_secs_f64() * 1000.0
}

/// Whether the PostgreSQL database at `url` (migrated here if new) holds at
/// least `visits` visits: generated by an earlier run of a benchmark.
pub async fn postgres_holds_visits(url: &str, visits: i64) -> bool {
    drop(Database::connect(url).await.unwrap());
    let pool = sqlx::PgPool::connect(url).await.unwrap();
    let held: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM visits").fetch_one(&pool).await.unwrap();
    pool.close().await;
    held >= visits
}
