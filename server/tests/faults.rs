//! Pushes through a fault-injecting proxy on 127.0.0.1 that loses answers
//! after the server committed, sends requests twice, delays them and cuts
//! them halfway: after retries, the server holds each change exactly once.

use crate::common::{self, household, new_id, visit, TestServer, WriteBlocker};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the proxy does to the n-th request, in turn.
#[derive(Debug, Clone, Copy)]
enum Fault {
    /// Forward, and pass the answer back.
    None,
    /// Forward, let the server commit, then close without answering.
    DropAnswer,
    /// Forward the request twice; answer with the second answer.
    Duplicate,
    /// Forward only the first half of the request, then close both sides.
    CutRequest,
    /// Wait, then forward.
    Delay,
}

const FAULTS: [Fault; 6] =
    [Fault::DropAnswer, Fault::Duplicate, Fault::CutRequest, Fault::Delay, Fault::DropAnswer, Fault::None];

/// Reads one HTTP/1.1 message (headers and a Content-Length body).
async fn read_message(stream: &mut TcpStream) -> std::io::Result<Vec<u8>> {
    let mut message = Vec::new();
    let mut buffer = [0u8; 16 * 1024];
    loop {
        let read = stream.read(&mut buffer).await?;
        if read == 0 {
            return Ok(message);
        }
        message.extend_from_slice(&buffer[..read]);
        if let Some(end) = message.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&message[..end]).to_lowercase();
            let length = head
                .lines()
                .find_map(|line| line.strip_prefix("content-length:").map(|v| v.trim().parse::<usize>().unwrap_or(0)))
                .unwrap_or(0);
            if message.len() >= end + 4 + length {
                return Ok(message);
            }
        }
    }
}

async fn forward(server: &str, request: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut upstream = TcpStream::connect(server).await?;
    upstream.write_all(request).await?;
    read_message(&mut upstream).await
}

/// Starts the proxy; returns its address.
async fn start_proxy(server: String) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap().to_string();
    let counter = Arc::new(AtomicUsize::new(0));
    tokio::spawn(async move {
        loop {
            let Ok((mut client, _)) = listener.accept().await else { return };
            let (server, counter) = (server.clone(), counter.clone());
            tokio::spawn(async move {
                let Ok(request) = read_message(&mut client).await else { return };
                if request.is_empty() {
                    return;
                }
                let fault = FAULTS[counter.fetch_add(1, Ordering::SeqCst) % FAULTS.len()];
                let answer = match fault {
                    Fault::None => forward(&server, &request).await,
                    Fault::DropAnswer => {
                        let _ = forward(&server, &request).await;
                        return;
                    }
                    Fault::Duplicate => {
                        let _ = forward(&server, &request).await;
                        forward(&server, &request).await
                    }
                    Fault::CutRequest => {
                        if let Ok(mut upstream) = TcpStream::connect(&server).await {
                            let _ = upstream.write_all(&request[..request.len() / 2]).await;
                        }
                        return;
                    }
                    Fault::Delay => {
                        tokio::time::sleep(Duration::from_millis(300)).await;
                        forward(&server, &request).await
                    }
                };
                if let Ok(answer) = answer {
                    let _ = client.write_all(&answer).await;
                }
            });
        }
    });
    address
}

#[tokio::test]
async fn every_change_is_stored_exactly_once_whatever_the_network_does() {
    let server = TestServer::start().await;
    let token = server.login("tinhnguyen1").await;
    let village = server.village_id(&token).await;
    let proxy = start_proxy(server.base.trim_start_matches("http://").to_owned()).await;
    // A new connection per request, as a phone on a flaky network often gets.
    let client = reqwest::Client::builder().pool_max_idle_per_host(0).timeout(Duration::from_secs(5)).build().unwrap();

    let mut expected_visits = Vec::new();
    for batch in 0..8 {
        let household_id = new_id();
        let visits: Vec<String> = (0..5).map(|_| new_id()).collect();
        expected_visits.extend(visits.clone());
        let body = json!({
            "households": [household(&household_id, village)],
            "visits": visits.iter().map(|id| visit(id, &household_id)).collect::<Vec<_>>(),
        });
        // Retry, as the phone does, until an answer arrives.
        let mut attempts = 0;
        let answer: Value = loop {
            attempts += 1;
            assert!(attempts <= 20, "batch {batch} never got through");
            let sent =
                client.post(format!("http://{proxy}/api/v1/sync/push")).bearer_auth(&token).json(&body).send().await;
            if let Ok(response) = sent {
                if response.status() == 200 {
                    if let Ok(answer) = response.json().await {
                        break answer;
                    }
                }
            }
        };
        for result in answer["results"].as_array().unwrap() {
            let status = result["status"].as_str().unwrap();
            assert!(status == "applied" || status == "duplicate", "batch {batch}: {result}");
        }
    }

    let stored = server.visits(&token).await;
    let mut stored_ids: Vec<String> = stored.iter().map(|v| v["id"].as_str().unwrap().to_owned()).collect();
    stored_ids.sort();
    expected_visits.sort();
    assert_eq!(stored_ids, expected_visits, "each visit exactly once");
    let households = server.households(&token).await;
    assert_eq!(households.len(), 8);
}

#[tokio::test]
async fn a_phone_that_goes_away_mid_push_leaves_the_database_usable_and_its_push_complete() {
    let server = TestServer::start().await;
    let token = server.login("tinhnguyen1").await;
    let household_id = server.new_household(&token).await;
    let id = new_id();
    let body = json!({"visits": [visit(&id, &household_id)]});

    // Another writer holds a lock the push needs, so the push waits inside the server…
    let blocker = WriteBlocker::hold(&server.database_url()).await;
    // …and the phone gives up on it (its signal is gone) before the server answers.
    let impatient = reqwest::Client::builder().timeout(Duration::from_millis(300)).build().unwrap();
    let gave_up = impatient.post(server.url("/api/v1/sync/push")).bearer_auth(&token).json(&body).send().await;
    assert!(gave_up.is_err(), "the request was cut before an answer");
    blocker.release().await;

    // The next pushes are answered normally (the cut one, completed in the
    // background, may land before or after this one), and the visit is stored once.
    let answer: Value = server.push(&token, &body).await.json().await.unwrap();
    let status = answer["results"][0]["status"].as_str().unwrap();
    assert!(status == "applied" || status == "duplicate", "{answer}");
    tokio::time::sleep(Duration::from_millis(300)).await;
    let replay: Value = server.push(&token, &body).await.json().await.unwrap();
    assert_eq!(replay["results"][0]["status"], "duplicate", "{replay}");
    let stored = server.visits(&token).await;
    assert_eq!(stored.iter().filter(|v| v["id"] == id.as_str()).count(), 1);

    let again: Value =
        server.push(&token, &json!({"visits": [visit(&new_id(), &household_id)]})).await.json().await.unwrap();
    assert_eq!(again["results"][0]["status"], "applied", "{again}");
}

#[tokio::test]
async fn a_stored_value_that_does_not_read_back_is_answered_as_an_error_and_the_server_goes_on() {
    let server = TestServer::start().await;
    let token = server.login("tinhnguyen1").await;
    let household_id = server.new_household(&token).await;
    let id = new_id();
    let pushed = server.push(&token, &json!({"visits": [visit(&id, &household_id)]})).await;
    assert_eq!(pushed.status(), 200);
    // A value no version of this server writes: skills that are not JSON.
    let broken = format!("UPDATE visits SET skills = 'hỏng' WHERE id = '{id}'");
    common::execute_sql(&server.database_url(), &broken, &[]).await;

    let (status, body) = server.get_json(&token, "/api/v1/visits").await;
    assert_eq!(status, 500, "{body}");
    assert_eq!(body["error"]["code"], "internal", "{body}");
    let (status, _) = server.get_json(&token, "/api/v1/me").await;
    assert_eq!(status, 200, "the server still answers");
}
