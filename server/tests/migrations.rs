//! Upgrading a database written by an earlier version keeps every record.

use gocua_server::db::Database;
use sqlx::migrate::Migrator;
use sqlx::sqlite::SqliteConnectOptions;
use std::borrow::Cow;
use std::str::FromStr;

static MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");

/// A commune, a village, a team and one volunteer in it (user 1), as every version stores them.
const ONE_VOLUNTEER: &str = "INSERT INTO communes (id, name) VALUES (1, 'Kiến Minh');
     INSERT INTO villages (id, commune_id, name, households) VALUES (1, 1, 'Thôn Đông', 120);
     INSERT INTO teams (id, commune_id, name) VALUES (1, 1, 'Tổ CNSCĐ thôn Đông');
     INSERT INTO users (id, commune_id, team_id, username, display_name, role, password_hash, created_at)
       VALUES (1, 1, 1, 'lan', 'Nguyễn Thị Lan', 'volunteer', 'x', '2026-03-01T00:00:00Z');";

/// A new database at `url` with only the first `count` migrations run, as an earlier version left it.
async fn written_by_migrations(url: &str, count: usize) -> sqlx::SqlitePool {
    let options = SqliteConnectOptions::from_str(url).unwrap().create_if_missing(true);
    let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
    let earlier = Migrator { migrations: Cow::Owned(MIGRATIONS.migrations[..count].to_vec()), ..Migrator::DEFAULT };
    earlier.run(&pool).await.unwrap();
    pool
}

/// How many migrations come before the one named `description` (its file name's words).
fn migrations_before(migrator: &Migrator, description: &str) -> usize {
    migrator.migrations.iter().position(|migration| migration.description == description).expect("a migration so named")
}

const VISITS_UNDER_THEIR_HOUSEHOLDS_TEAM: &str = "visits under their households team";

/// [`ONE_VOLUNTEER`] still signs in on the phone of session `0x0102`, in her
/// commune and no province, and her team's invite is still open.
async fn assert_volunteer_session_and_invite_kept(db: &Database) {
    let kept = db.check_session(&[1, 2], chrono::Utc::now()).await.unwrap();
    assert!(matches!(kept, gocua_server::db::SessionCheck::Valid { .. }), "{kept:?}");
    let profile = db.profile(1).await.unwrap();
    assert_eq!(profile.commune.unwrap().name, "Kiến Minh");
    assert!(profile.province.is_none());
    assert_eq!(db.open_invites(1, Some(1), chrono::Utc::now()).await.unwrap().len(), 1);
}

#[tokio::test]
async fn version_one_visits_become_households_and_guided_visits() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("v1.db").display());

    // A database as version 1 left it: only the first migration, one visit that carried its household.
    let pool = written_by_migrations(&url, 1).await;
    sqlx::query(&format!(
        "{ONE_VOLUNTEER}
         INSERT INTO sessions (token_hash, user_id, created_at, expires_at)
           VALUES (X'0102', 1, '2026-03-01T00:00:00Z', '2099-01-01T00:00:00Z');
         INSERT INTO visits (id, author_id, commune_id, team_id, village_id, head_name, address, officials, pupils,
                             adults, elderly, workers, skills, note, visited_at, received_at)
           VALUES ('0193a3c4-5d6e-7f80-9a1b-2c3d4e5f6a7b', 1, 1, 1, 1, 'Nguyễn Văn An', 'Số 12', 0, 0, 2, 1, 0,
                   '[\"payment.qr\",\"vneid.level2\"]', 'Ghi chú', '2026-03-02T03:00:00Z', '2026-03-02T03:05:00Z');"
    ))
    .execute(&pool)
    .await
    .unwrap();
    pool.close().await;

    let db = Database::connect(&url).await.expect("the later migrations run at start");
    let now = chrono::Utc::now();
    assert_eq!(db.check_session(b"none", now).await.unwrap(), gocua_server::db::SessionCheck::Invalid);
    let kept = db.check_session(&[1, 2], now).await.unwrap();
    assert!(
        matches!(kept, gocua_server::db::SessionCheck::Valid { .. }),
        "a phone signed in before the upgrade stays signed in"
    );
    let volunteer = gocua_server::access::scope(&gocua_server::db::Actor {
        user_id: 1,
        commune_id: 1,
        team_id: Some(1),
        role: gocua_domain::api::Role::Volunteer,
    });
    let households = db.visible_households(&volunteer).await.unwrap();
    assert_eq!(households.len(), 1);
    assert_eq!(households[0].head_name, "Nguyễn Văn An");
    assert_eq!(households[0].village_id, 1);

    let visits = db.visible_visits(&volunteer).await.unwrap();
    assert_eq!(visits.len(), 1);
    let visit = &visits[0].visit;
    assert_eq!(visit.outcome, gocua_domain::Outcome::Guided);
    assert_eq!(visit.household_id, households[0].id);
    assert_eq!(visit.people.adults, 2);
    let skills: Vec<(&str, bool)> = visit.skills.iter().map(|s| (s.code.as_str(), s.completed)).collect();
    assert_eq!(skills, [("payment.qr", false), ("vneid.level2", false)]);

    let catalogue = db.catalogue(1).await.unwrap();
    assert_eq!(
        catalogue.skills.len(),
        gocua_domain::catalogue::CATALOGUE.len(),
        "the commune got the starting catalogue"
    );

    let pulled = db.pull(&volunteer, 0, 100).await.unwrap();
    assert_eq!(pulled.changes.len(), 2, "the migrated household and visit are in the change log");
}

#[tokio::test]
async fn visits_queued_one_row_each_are_folded_after_the_queue_holds_one_row_per_push() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("v16.db").display());

    // A database as migration 16 left it: figures built, two visits still
    // queued one row each, a third already folded (its seq used and gone).
    let pool = written_by_migrations(&url, 16).await;
    sqlx::query(&format!(
        "{ONE_VOLUNTEER}
         INSERT INTO households (id, commune_id, team_id, village_id, head_name, address, revision, created_by, updated_at)
           VALUES ('0193a3c4-5d6e-7f80-9a1b-2c3d4e5f6a70', 1, 1, 1, 'Nguyễn Văn An', 'Số 12', 1, 1, '2026-03-01T00:00:00Z');
         INSERT INTO visits (id, author_id, commune_id, team_id, household_id, outcome, officials, pupils, adults,
                             elderly, workers, skills, note, visited_at, revision, received_at)
           VALUES ('0193a3c4-5d6e-7f80-9a1b-2c3d4e5f6a71', 1, 1, 1, '0193a3c4-5d6e-7f80-9a1b-2c3d4e5f6a70', 'guided',
                   0, 0, 2, 1, 0, '[]', '', '2026-03-02T03:00:00Z', 1, '2026-03-02T03:05:00Z'),
                  ('0193a3c4-5d6e-7f80-9a1b-2c3d4e5f6a72', 1, 1, 1, '0193a3c4-5d6e-7f80-9a1b-2c3d4e5f6a70', 'guided',
                   0, 0, 1, 0, 0, '[]', '', '2026-03-03T03:00:00Z', 1, '2026-03-03T03:05:00Z');
         UPDATE aggregates SET built = 1;
         INSERT INTO visits_to_fold (seq, visit_id) VALUES (5, '0193a3c4-5d6e-7f80-9a1b-2c3d4e5f6a71'),
                                                           (6, '0193a3c4-5d6e-7f80-9a1b-2c3d4e5f6a72'),
                                                           (7, 'folded already');
         DELETE FROM visits_to_fold WHERE seq = 7;"
    ))
    .execute(&pool)
    .await
    .unwrap();
    pool.close().await;

    // The upgrade, then the fold of what a stopped server left queued, at start.
    drop(Database::connect(&url).await.expect("migration 17 runs at start"));
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    let doors: i64 = sqlx::query_scalar("SELECT SUM(doors) FROM visit_days").fetch_one(&pool).await.unwrap();
    assert_eq!(doors, 2, "both visits queued before the upgrade are counted, once");
    let queued: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM visits_to_fold").fetch_one(&pool).await.unwrap();
    assert_eq!(queued, 0);
    let sequence: i64 = sqlx::query_scalar("SELECT seq FROM sqlite_sequence WHERE name = 'visits_to_fold'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(sequence, 7, "a seq is never given twice, even across the upgrade");
}

#[tokio::test]
async fn accounts_and_invites_keep_their_sign_ins_and_references_when_provinces_arrive() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("v22.db").display());

    // A database as migration 22 left it: a volunteer signed in on a phone, an open invite of theirs.
    let pool = written_by_migrations(&url, 22).await;
    sqlx::query(&format!(
        "{ONE_VOLUNTEER}
         INSERT INTO sessions (token_hash, user_id, created_at, last_used_at, expires_at)
           VALUES (X'0102', 1, '2026-03-01T00:00:00Z', '2026-03-01T00:00:00Z', '2099-01-01T00:00:00Z');
         INSERT INTO invites (code_hash, commune_id, team_id, role, created_by, created_at, expires_at)
           VALUES (X'0304', 1, 1, 'volunteer', 1, '2026-03-01T00:00:00Z', '2099-01-01T00:00:00Z');"
    ))
    .execute(&pool)
    .await
    .unwrap();
    pool.close().await;

    // `users` and `invites` are rebuilt; the server checks every reference after.
    let db = Database::connect(&url).await.expect("migration 23 runs at start");
    assert_volunteer_session_and_invite_kept(&db).await;
    drop(db);

    // Foreign keys are enforced again on the server's own connections.
    let db = Database::connect(&url).await.unwrap();
    let orphan = gocua_server::db::NewAccount {
        commune_id: 99,
        team_id: None,
        username: "mo-coi".into(),
        display_name: "Mồ Côi".into(),
        role: gocua_domain::api::Role::Coordinator,
        password_hash: "x".into(),
    };
    assert!(db.create_account(&orphan, chrono::Utc::now(), None).await.is_err(), "no account of a commune that is not");
}

/// PostgreSQL's migrations that move rows keep them: deletions of records the
/// server never had gain their deleter's commune (0004), and accounts, their
/// phones' sessions and their open invites survive the arrival of provinces
/// (0007). On PostgreSQL only (the suite's second pass): SQLite's own are above.
#[tokio::test]
async fn postgres_upgrades_keep_deletions_sessions_and_invites() {
    if crate::common::engine() != gocua_server::db::Engine::Postgres {
        return;
    }
    static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");
    let dir = tempfile::tempdir().unwrap();
    let url = crate::common::postgres_database(dir.path());

    // As migration 3 left it: a volunteer signed in on a phone, an open invite, a deletion before arrival.
    let pool = sqlx::PgPool::connect(&url).await.unwrap();
    let migrations = Cow::Owned(POSTGRES_MIGRATIONS.migrations[..3].to_vec());
    Migrator { migrations, ..Migrator::DEFAULT }.run(&pool).await.unwrap();
    sqlx::raw_sql(&format!(
        "{ONE_VOLUNTEER}
         INSERT INTO sessions (token_hash, user_id, created_at, last_used_at, expires_at)
           VALUES ('\\x0102', 1, '2026-03-01T00:00:00Z', '2026-03-01T00:00:00Z', '2099-01-01T00:00:00Z');
         INSERT INTO invites (code_hash, commune_id, team_id, role, created_by, created_at, expires_at)
           VALUES ('\\x0304', 1, 1, 'volunteer', 1, '2026-03-01T00:00:00Z', '2099-01-01T00:00:00Z');
         INSERT INTO deleted_visit_ids (id, author_id, deleted_at)
           VALUES ('0193a3c4-0000-7f80-9a1b-2c3d4e5f6a7b', 1, '2026-03-01T00:00:00Z');"
    ))
    .execute(&pool)
    .await
    .unwrap();

    let db = Database::connect(&url).await.expect("migrations 4 to the last run at start");
    let commune: i64 = sqlx::query_scalar("SELECT commune_id FROM deleted_visit_ids").fetch_one(&pool).await.unwrap();
    assert_eq!(commune, 1, "the deletion is its deleter's commune's");
    assert_volunteer_session_and_invite_kept(&db).await;
    pool.close().await;

    // A visit kept under its author's team, as before migration 10.
    let dir = tempfile::tempdir().unwrap();
    let url = crate::common::postgres_database(dir.path());
    let pool = sqlx::PgPool::connect(&url).await.unwrap();
    let before = migrations_before(&POSTGRES_MIGRATIONS, VISITS_UNDER_THEIR_HOUSEHOLDS_TEAM);
    let migrations = Cow::Owned(POSTGRES_MIGRATIONS.migrations[..before].to_vec());
    Migrator { migrations, ..Migrator::DEFAULT }.run(&pool).await.unwrap();
    sqlx::raw_sql(&format!("{ONE_VOLUNTEER} {A_VISIT_UNDER_ITS_AUTHORS_TEAM}")).execute(&pool).await.unwrap();
    let db = Database::connect(&url).await.expect("the last migration runs at start");
    assert_the_visit_moved_to_its_households_team(&db).await;
    pool.close().await;
}

/// A household of team 1, visited by a coordinator of team 2 (user 2), the
/// visit kept under team 2 as versions before 2026-12-07 kept it.
const A_VISIT_UNDER_ITS_AUTHORS_TEAM: &str = "
     INSERT INTO teams (id, commune_id, name) VALUES (2, 1, 'Tổ CNSCĐ thôn Tây');
     INSERT INTO users (id, commune_id, team_id, username, display_name, role, password_hash, created_at)
       VALUES (2, 1, 2, 'dieu', 'Lê Văn Điều', 'coordinator', 'x', '2026-03-01T00:00:00Z');
     INSERT INTO households (id, commune_id, team_id, village_id, head_name, address, phone, members, revision,
                             created_by, updated_at, consent)
       VALUES ('0193a3c4-0000-7f80-9a1b-2c3d4e5f6a70', 1, 1, 1, 'Nguyễn Văn An', 'Số 12', NULL, 4, 1, 1,
               '2026-03-01T00:00:00Z', TRUE);
     INSERT INTO visits (id, author_id, commune_id, team_id, household_id, outcome, officials, pupils, adults,
                         elderly, workers, skills, note, visited_at, revision, received_at)
       VALUES ('0193a3c4-0000-7f80-9a1b-2c3d4e5f6a71', 2, 1, 2, '0193a3c4-0000-7f80-9a1b-2c3d4e5f6a70', 'guided',
               0, 0, 2, 0, 0, '[]', '', '2026-03-02T03:00:00Z', 1, '2026-03-02T03:05:00Z');
     INSERT INTO changes (commune_id, team_id, author_id, kind, record_id)
       VALUES (1, 2, 2, 'visit', '0193a3c4-0000-7f80-9a1b-2c3d4e5f6a71');";

/// What the upgrade must leave of [`A_VISIT_UNDER_ITS_AUTHORS_TEAM`]: the
/// visit is team 1's, in its figures, and team 2's phones, which pulled it
/// before (up to the fixture's change, `cursor` 1), are told to drop it.
async fn assert_the_visit_moved_to_its_households_team(db: &Database) {
    let cursor = 1;
    use gocua_domain::sync::PulledChange;
    let leader = |team_id| {
        gocua_server::access::scope(&gocua_server::db::Actor {
            user_id: 99,
            commune_id: 1,
            team_id: Some(team_id),
            role: gocua_domain::api::Role::Leader,
        })
    };
    let visit_id = "0193a3c4-0000-7f80-9a1b-2c3d4e5f6a71";
    assert_eq!(db.visible_visits(&leader(1)).await.unwrap().len(), 1, "the household's team has it");
    assert!(db.visible_visits(&leader(2)).await.unwrap().is_empty(), "its author's team no longer has it");
    let pulled = db.pull(&leader(1), cursor, 100).await.unwrap().changes;
    assert!(
        pulled
            .iter()
            .any(|change| matches!(change, PulledChange::Visit { visit, .. } if visit.id.to_string() == visit_id))
            && pulled.iter().any(|change| matches!(change, PulledChange::Household { .. })),
        "team 1's phones get it, and its household again: {pulled:?}"
    );
    let pulled = db.pull(&leader(2), cursor, 100).await.unwrap().changes;
    assert!(
        pulled.iter().all(|change| !matches!(change, PulledChange::Visit { .. }))
            && pulled
                .iter()
                .any(|change| matches!(change, PulledChange::VisitDeleted { id } if id.to_string() == visit_id)),
        "team 2's phones drop their copy: {pulled:?}"
    );
    let day = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    let of_team = |team_id| gocua_server::db::DashboardScope::of_days(1, Some(team_id), day, day);
    assert_eq!(db.dashboard_totals(&of_team(1)).await.unwrap().doors, 1, "in the household's team's figures");
    assert_eq!(db.dashboard_totals(&of_team(2)).await.unwrap().doors, 0, "and no longer in its author's team's");
}

#[tokio::test]
async fn a_visit_kept_under_its_authors_team_moves_to_its_households_team() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("teams.db").display());
    let pool = written_by_migrations(&url, migrations_before(&MIGRATIONS, VISITS_UNDER_THEIR_HOUSEHOLDS_TEAM)).await;
    sqlx::raw_sql(&format!("{ONE_VOLUNTEER} {A_VISIT_UNDER_ITS_AUTHORS_TEAM}")).execute(&pool).await.unwrap();
    pool.close().await;

    let db = Database::connect(&url).await.expect("the later migrations run at start");
    assert_the_visit_moved_to_its_households_team(&db).await;
}

#[tokio::test]
async fn a_visit_an_earlier_erasure_blanked_is_marked_as_erased() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("erased.db").display());
    let pool = written_by_migrations(&url, migrations_before(&MIGRATIONS, "visit text erased revision")).await;
    sqlx::raw_sql(&format!(
        "{ONE_VOLUNTEER}
         INSERT INTO households (id, commune_id, team_id, village_id, head_name, address, phone, members, revision,
                                 created_by, updated_at, consent, erased_at)
           VALUES ('0193a3c4-0000-7f80-9a1b-2c3d4e5f6a80', 1, 1, 1, '', '', NULL, 4, 3, 1,
                   '2026-03-05T00:00:00Z', FALSE, '2026-03-05T00:00:00Z');
         INSERT INTO visits (id, author_id, commune_id, team_id, household_id, outcome, officials, pupils, adults,
                             elderly, workers, skills, note, visited_at, revision, received_at)
           VALUES ('0193a3c4-0000-7f80-9a1b-2c3d4e5f6a81', 1, 1, 1, '0193a3c4-0000-7f80-9a1b-2c3d4e5f6a80', 'guided',
                   0, 0, 2, 0, 0, '[]', '', '2026-03-02T03:00:00Z', 2, '2026-03-02T03:05:00Z');"
    ))
    .execute(&pool)
    .await
    .unwrap();
    pool.close().await;

    let db = Database::connect(&url).await.expect("the later migrations run at start");
    let volunteer = gocua_server::access::scope(&gocua_server::db::Actor {
        user_id: 1,
        commune_id: 1,
        team_id: Some(1),
        role: gocua_domain::api::Role::Volunteer,
    });
    let visits = db.visible_visits(&volunteer).await.unwrap();
    assert_eq!(visits[0].visit.text_erased_revision, Some(2), "blanked at its revision");
}
