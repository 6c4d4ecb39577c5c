//! Setting up a real commune from the command line, without the demo, on
//! the tests' engine (`common::database_url`).

use std::io::Write;
use std::process::{Command, Stdio};

fn gocua(database: &str, args: &[&str], stdin: Option<&str>) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gocua-server"))
        .args(args)
        .args(["--database", database])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the server binary runs");
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    }
    child.wait_with_output().unwrap()
}

#[tokio::test]
async fn a_commune_set_up_from_the_command_line_can_sign_in() {
    let dir = tempfile::tempdir().unwrap();
    let database = crate::common::database_url(dir.path());
    let db = database.as_str();

    for args in [
        &["commune", "add", "--name", "Kiến Minh"][..],
        &["village", "add", "--commune", "Kiến Minh", "--name", "Thôn Đông", "--households", "120"],
        &["team", "add", "--commune", "Kiến Minh", "--name", "Tổ CNSCĐ thôn Đông"],
    ] {
        let output = gocua(db, args, None);
        assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
    }
    let user = [
        "user",
        "add",
        "--commune",
        "Kiến Minh",
        "--team",
        "Tổ CNSCĐ thôn Đông",
        "--username",
        "Lan",
        "--display-name",
        "Nguyễn Thị Lan",
        "--role",
        "volunteer",
    ];
    let output = gocua(db, &user, Some("mật-khẩu-dài\n"));
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));

    let again = gocua(db, &user, Some("mật-khẩu-dài\n"));
    assert!(!again.status.success(), "a username is taken once");
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));

    let short = gocua(
        db,
        &["user", "add", "--commune", "Kiến Minh", "--username", "x", "--display-name", "X", "--role", "coordinator"],
        Some("ngắn\n"),
    );
    assert!(!short.status.success(), "a short password is refused");

    let database = gocua_server::db::Database::connect(db).await.unwrap();
    let credentials = database.credentials("lan").await.unwrap().expect("the user exists, username lower-cased");
    assert!(gocua_server::password::verify("mật-khẩu-dài", &credentials.password_hash));
    let profile = database.profile(credentials.user_id).await.unwrap();
    assert_eq!(profile.display_name, "Nguyễn Thị Lan");
    assert_eq!(profile.team.unwrap().name, "Tổ CNSCĐ thôn Đông");
    assert_eq!(profile.villages.len(), 1);
}

#[tokio::test]
async fn a_province_and_its_department_set_up_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let database = crate::common::database_url(dir.path());
    let db = database.as_str();

    for args in [
        &["province", "add", "--name", "Hải Phòng"][..],
        &["commune", "add", "--name", "Kiến Minh", "--province", "Hải Phòng"],
        &["commune", "add", "--name", "Tiên Tiến"],
        &["commune", "place", "--commune", "Tiên Tiến", "--province", "Hải Phòng"],
        &["commune", "add", "--name", "Hạ Long"],
    ] {
        let output = gocua(db, args, None);
        assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
    }
    let unknown = gocua(db, &["commune", "place", "--commune", "Tiên Tiến", "--province", "Quảng Nam"], None);
    assert!(!unknown.status.success(), "a province that does not exist");
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("Quảng Nam"));

    let official =
        ["user", "add", "--province", "Hải Phòng", "--username", "so-khcn", "--display-name", "Sở KH&CN Hải Phòng"];
    let output = gocua(db, &[&official[..], &["--role", "province"]].concat(), Some("mật-khẩu-dài\n"));
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let without = gocua(
        db,
        &["user", "add", "--commune", "Kiến Minh", "--username", "x", "--display-name", "X", "--role", "province"],
        Some("mật-khẩu-dài\n"),
    );
    assert!(!without.status.success(), "a province account needs its province");
    assert!(String::from_utf8_lossy(&without.stderr).contains("--province"));

    let database = gocua_server::db::Database::connect(db).await.unwrap();
    let credentials = database.credentials("so-khcn").await.unwrap().expect("the province account exists");
    let profile = database.profile(credentials.user_id).await.unwrap();
    assert_eq!(profile.role, gocua_domain::api::Role::Province);
    let province = profile.province.expect("its province");
    assert_eq!(province.name, "Hải Phòng");
    assert!(profile.commune.is_none());
    let communes = database.province_communes(province.id).await.unwrap();
    let names: Vec<&str> = communes.iter().map(|commune| commune.name.as_str()).collect();
    assert_eq!(names, ["Kiến Minh", "Tiên Tiến"], "Hạ Long was never placed in it");
}

#[test]
fn a_database_of_another_engine_is_refused_with_a_clear_message() {
    let output = gocua("mysql://localhost/gocua", &["commune", "add", "--name", "X"], None);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("use sqlite://PATH or postgres://"));
}
