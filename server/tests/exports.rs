//! Exports of the visit log: scope, filters, Vietnam's days, formula
//! injection, and the files opened by a real spreadsheet program (LibreOffice).

use crate::common::{household, new_id, visit, TestServer};
use serde_json::{json, Value};
use std::path::Path;
use std::process::Command;

/// A guided visit at 23:30 in Vietnam on 2 March 2026, with a note that is a formula.
fn late_visit(id: &str, household_id: &str) -> Value {
    let mut late = visit(id, household_id);
    late["note"] = json!("=HYPERLINK(\"http://lừa-đảo.example\",\"Bấm vào đây\")");
    late["visited_at"] = json!("2026-03-02T16:30:00Z");
    late
}

async fn download(server: &TestServer, token: &str, path: &str) -> (u16, Vec<u8>) {
    let response = server.client.get(server.url(path)).bearer_auth(token).send().await.unwrap();
    (response.status().as_u16(), response.bytes().await.unwrap().to_vec())
}

/// Our team's visits: one late on 2 March by Trang, one on 3 March by Huy; and another team's.
async fn visits(server: &TestServer) {
    crate::common::add_neighbours(server).await;
    let trang = server.login("tinhnguyen1").await;
    let huy = server.login("tinhnguyen2").await;
    let village = server.village_id(&trang).await;
    let household_id = new_id();
    let mut injected = household(&household_id, village);
    injected["address"] = json!("@SUM(1+1)");
    let answer: Value = server
        .push(&trang, &json!({"households": [injected], "visits": [late_visit(&new_id(), &household_id)]}))
        .await
        .json()
        .await
        .unwrap();
    assert!(answer["results"].as_array().unwrap().iter().all(|r| r["status"] == "applied"), "{answer}");
    let mut next_day = late_visit(&new_id(), &household_id);
    next_day["visited_at"] = json!("2026-03-02T17:30:00Z");
    next_day["note"] = json!("Ông cụ đã cài VNeID.");
    server.push(&huy, &json!({"visits": [next_day]})).await;
    let outsider = server.login("khac-to").await;
    let theirs = server.new_household(&outsider).await;
    server.push(&outsider, &json!({"visits": [late_visit(&new_id(), &theirs)]})).await;
}

fn csv_lines(bytes: &[u8]) -> Vec<String> {
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "a BOM so Excel reads UTF-8");
    String::from_utf8(bytes[3..].to_vec()).unwrap().lines().map(str::to_owned).collect()
}

#[tokio::test]
async fn the_visit_log_is_exported_within_scope_by_vietnam_days() {
    let server = TestServer::start().await;
    visits(&server).await;
    let leader = server.login("totruong").await;
    let coordinator = server.login("dieuphoi").await;

    assert_eq!(download(&server, &server.login("tinhnguyen1").await, "/api/v1/exports/visits.csv").await.0, 403);
    let (status, bytes) = download(&server, &leader, "/api/v1/exports/visits.csv").await;
    assert_eq!(status, 200);
    let lines = csv_lines(&bytes);
    assert!(lines[0].starts_with("Ngày thăm,Giờ,Thôn,Chủ hộ,Địa chỉ,Tổ,Người ghi,Kết quả"), "{}", lines[0]);
    assert_eq!(lines.len(), 3, "the team's two visits, not the other team's: {lines:?}");
    assert!(lines[1].starts_with("02/03/2026,23:30,Thôn Bắc,Nguyễn Văn An,'@SUM(1+1)"), "{}", lines[1]);
    assert!(lines[1].contains("\"'=HYPERLINK(\"\"http://lừa-đảo.example\"\""), "{}", lines[1]);
    assert!(lines[2].starts_with("03/03/2026,00:30,"), "{}", lines[2]);

    // 23:30 on the 2nd belongs to the 2nd.
    let (_, bytes) = download(&server, &leader, "/api/v1/exports/visits.csv?from=2026-03-02&to=2026-03-02").await;
    assert_eq!(csv_lines(&bytes).len(), 2);
    let (_, bytes) = download(&server, &leader, "/api/v1/exports/visits.csv?from=2026-03-03").await;
    assert_eq!(csv_lines(&bytes).len(), 2);

    // Filters: a leader cannot reach another team; a coordinator sees the commune and filters by volunteer.
    // Teams as add_neighbours makes them: 2 is another commune's (not found), 3 this commune's other one.
    assert_eq!(download(&server, &leader, "/api/v1/exports/visits.csv?team_id=3").await.0, 403);
    assert_eq!(download(&server, &leader, "/api/v1/exports/visits.csv?team_id=2").await.0, 404);
    let (_, bytes) = download(&server, &coordinator, "/api/v1/exports/visits.csv").await;
    assert_eq!(csv_lines(&bytes).len(), 4);
    let (_, me) = server.get_json(&server.login("tinhnguyen2").await, "/api/v1/me").await;
    let path = format!("/api/v1/exports/visits.csv?author_id={}", me["user_id"]);
    let (_, bytes) = download(&server, &coordinator, &path).await;
    assert_eq!(csv_lines(&bytes).len(), 2);
    assert_eq!(download(&server, &leader, "/api/v1/exports/visits.csv?from=2026-03-05&to=2026-03-01").await.0, 400);

    let (_, log) = server.get_json(&coordinator, "/api/v1/audit?limit=100").await;
    let exports = log["entries"].as_array().unwrap().iter().filter(|e| e["action"] == "export.visits").count();
    assert_eq!(exports, 5, "every export is audited (the refused ones export nothing)");
    // Newest first: the volunteer's export, then the leader's two by day.
    let details: Vec<&str> = log["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "export.visits")
        .map(|e| e["detail"].as_str().unwrap())
        .collect();
    assert_eq!(details[0], format!("csv · người ghi {}", me["user_id"]));
    assert!(details.contains(&"csv · từ 2026-03-02 · đến 2026-03-02"), "{details:?}");
}

/// LibreOffice converts `input` to CSV (UTF-8) in `dir` and returns its lines.
fn libreoffice_csv(input: &Path, dir: &Path) -> Vec<String> {
    let profile = format!("-env:UserInstallation=file://{}", dir.join("profile").display());
    // Read as a commune office's LibreOffice would: Vietnamese locale (1066), UTF-8 (76).
    let output = Command::new("soffice")
        .env("LC_ALL", "vi_VN.UTF-8")
        .env("LANG", "vi_VN.UTF-8")
        .args([
            &profile,
            "--headless",
            "--infilter=CSV:44,34,76,1,,1066",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76",
        ])
        .arg("--outdir")
        .arg(dir.join("out"))
        .arg(input)
        .output()
        .expect("LibreOffice (soffice) is installed by scripts/setup.sh");
    assert!(output.status.success(), "soffice: {}", String::from_utf8_lossy(&output.stderr));
    let converted = dir.join("out").join(input.with_extension("csv").file_name().unwrap());
    let text = std::fs::read_to_string(&converted).unwrap();
    text.trim_start_matches('\u{feff}').lines().map(str::to_owned).collect()
}

#[tokio::test]
async fn libreoffice_opens_both_files_with_vietnamese_intact_and_no_formula_run() {
    let server = TestServer::start().await;
    visits(&server).await;
    let leader = server.login("totruong").await;
    let dir = tempfile::tempdir().unwrap();
    for extension in ["csv", "xlsx"] {
        let (status, bytes) = download(&server, &leader, &format!("/api/v1/exports/visits.{extension}")).await;
        assert_eq!(status, 200);
        let file = dir.path().join(format!("luot-tham-{extension}.{extension}"));
        std::fs::write(&file, bytes).unwrap();
        let lines = libreoffice_csv(&file, dir.path());
        assert_eq!(lines.len(), 3, "{extension}: {lines:?}");
        assert!(lines[0].contains("Kỹ năng đã hướng dẫn"), "{extension}: {}", lines[0]);
        let first = &lines[1];
        // A real date in both: 2 March (LibreOffice shows a CSV date in its locale's short form).
        let day = if extension == "csv" { "02/03/26," } else { "02/03/2026,23:30," };
        assert!(first.starts_with(day), "{extension}: {first}");
        assert!(first.contains(",Thôn Bắc,Nguyễn Văn An,"), "{extension}: {first}");
        assert!(first.contains("Phạm Thu Trang") && first.contains("Đã hướng dẫn"), "{extension}: {first}");
        assert!(first.contains("=HYPERLINK") && first.contains("@SUM(1+1)"), "{extension}: the text is kept: {first}");
        assert!(!first.contains(",2,2,1,"), "{extension}: nothing was evaluated: {first}");
    }
}
