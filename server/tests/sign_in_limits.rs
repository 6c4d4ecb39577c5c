//! Sign-in limits, counted in the database (`gocua_server::rate_limit`):
//! the rules on a real SQLite file, and two servers on one database
//! counting the same guesses, as a province's servers do.

use crate::common;
use crate::server_process::ServerProcess;
use chrono::{DateTime, Utc};
use gocua_server::db::Database;
use gocua_server::rate_limit::{self, attempt, PER_ACCOUNT, PER_ADDRESS, WINDOW};
use serde_json::json;
use std::net::IpAddr;

async fn database() -> (tempfile::TempDir, Database) {
    let dir = tempfile::tempdir().unwrap();
    let db = Database::connect(&common::database_url(dir.path())).await.unwrap();
    (dir, db)
}

/// Whether an attempt may start (it then counts as failed).
async fn allowed(db: &Database, account: &str, address: Option<IpAddr>, now: DateTime<Utc>) -> bool {
    attempt(db, account, address, now).await.unwrap().is_ok()
}

#[tokio::test]
async fn an_account_waits_after_too_many_failures_until_the_window_passes() {
    let (_dir, db) = database().await;
    let start = Utc::now();
    for _ in 0..PER_ACCOUNT {
        assert!(allowed(&db, "lan", None, start).await);
    }
    let wait = attempt(&db, "lan", None, start).await.unwrap().err();
    assert_eq!(wait, WINDOW.to_std().ok());
    assert!(allowed(&db, "minh", None, start).await, "other accounts are not affected");
    assert!(allowed(&db, "lan", None, start + WINDOW).await);
}

#[tokio::test]
async fn attempts_started_at_once_get_no_more_than_the_allowance() {
    let (_dir, db) = database().await;
    let now = Utc::now();
    let tries: Vec<_> = (0..40)
        .map(|_| {
            let db = db.clone();
            tokio::spawn(async move { allowed(&db, "lan", None, now).await })
        })
        .collect();
    let mut started = 0;
    for tried in tries {
        started += usize::from(tried.await.unwrap());
    }
    assert_eq!(started, PER_ACCOUNT);
}

#[tokio::test]
async fn an_address_is_limited_across_accounts() {
    let (_dir, db) = database().await;
    let (now, address) = (Utc::now(), Some("127.0.0.9".parse().unwrap()));
    for i in 0..PER_ADDRESS {
        assert!(allowed(&db, &format!("user{i}"), address, now).await);
    }
    assert!(!allowed(&db, "someone-new", address, now).await);
    assert!(allowed(&db, "someone-new", Some("127.0.0.10".parse().unwrap()), now).await);
}

#[tokio::test]
async fn success_clears_the_account_and_is_not_counted_against_the_address() {
    let (_dir, db) = database().await;
    let (now, address) = (Utc::now(), Some("127.0.0.9".parse().unwrap()));
    for _ in 0..PER_ACCOUNT - 1 {
        assert!(allowed(&db, "lan", address, now).await);
    }
    let signing_in = attempt(&db, "lan", address, now).await.unwrap().unwrap();
    rate_limit::succeeded(&db, &signing_in).await.unwrap();
    for _ in 0..PER_ACCOUNT {
        assert!(allowed(&db, "lan", None, now).await);
    }
    assert!(!allowed(&db, "lan", None, now).await, "counting starts again from nothing");
    // The address holds the four failures, not the success: 26 more are allowed.
    let mut more = 0;
    for i in 0..PER_ADDRESS {
        more += usize::from(allowed(&db, &format!("user{i}"), address, now).await);
    }
    assert_eq!(more, PER_ADDRESS - (PER_ACCOUNT - 1));
}

#[tokio::test]
async fn a_withdrawn_attempt_no_longer_counts() {
    let (_dir, db) = database().await;
    let now = Utc::now();
    for _ in 0..PER_ACCOUNT - 1 {
        assert!(allowed(&db, "invite:ABCD", None, now).await);
    }
    let mistyped_form = attempt(&db, "invite:ABCD", None, now).await.unwrap().unwrap();
    rate_limit::withdraw(&db, &mistyped_form).await.unwrap();
    assert!(allowed(&db, "invite:ABCD", None, now).await, "the withdrawn attempt left room for one");
    assert!(!allowed(&db, "invite:ABCD", None, now).await);
}

#[tokio::test]
async fn two_servers_on_one_database_count_the_same_guesses() {
    let dir = tempfile::tempdir().unwrap();
    // Two processes of the real binary: nothing but the database is shared.
    let processes = [ServerProcess::start(dir.path()), ServerProcess::start(dir.path())];
    let (first, second) = (processes[0].base.clone(), processes[1].base.clone());
    let client = reqwest::Client::new();
    let guess = |base: &str, password: &str| {
        client
            .post(format!("{base}/api/v1/auth/login"))
            .json(&json!({"username": "tinhnguyen1", "password": password}))
            .send()
    };
    for i in 0..PER_ACCOUNT {
        let base = if i % 2 == 0 { &first } else { &second };
        assert_eq!(guess(base, "doan-mo").await.unwrap().status(), 401);
    }
    for base in [&first, &second] {
        assert_eq!(guess(base, "gocua-demo").await.unwrap().status(), 429, "{base} knows of the other's failures");
    }
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_phone_is_counted_under_its_own_address() {
    let dir = tempfile::tempdir().unwrap();
    // The test's requests come from 127.0.0.1: here, the load balancer.
    let server = ServerProcess::start_with(dir.path(), &[("GOCUA_TRUSTED_PROXIES", "127.0.0.1")]);
    let client = reqwest::Client::new();
    let sign_in = |username: String, password: &'static str, phone: &'static str| {
        client
            .post(format!("{}/api/v1/auth/login", server.base))
            .header("X-Forwarded-For", phone)
            .json(&json!({"username": username, "password": password}))
            .send()
    };
    for i in 0..PER_ADDRESS {
        assert_eq!(sign_in(format!("nobody{i}"), "doan-mo", "198.51.100.7").await.unwrap().status(), 401);
    }
    let guesser = sign_in("tinhnguyen1".into(), "gocua-demo", "198.51.100.7").await.unwrap();
    assert_eq!(guesser.status(), 429, "the phone that guessed is held back");
    let neighbour = sign_in("tinhnguyen1".into(), "gocua-demo", "198.51.100.8").await.unwrap();
    assert_eq!(neighbour.status(), 200, "another phone behind the same proxy signs in");
}
