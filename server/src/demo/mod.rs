//! The demo commune: Kiến Minh, with a few villages, one team, its leader,
//! two volunteers and a coordinator, so the app can be tried at once —
//! and, for `serve --demo`, a season of their work ([`season`]).
//! Creating it again changes nothing.

pub mod season;

use crate::db::{Database, DbError, DbResult, NewUser};
use crate::password;
use gocua_domain::api::Role;

pub const COMMUNE: &str = "Kiến Minh";
pub const TEAM: &str = "Tổ CNSCĐ thôn Đông";
/// Every demo account shares it; a real commune never does.
pub const PASSWORD: &str = "gocua-demo";
/// Demo villages with their household counts.
pub const VILLAGES: &[(&str, u32)] = &[("Thôn Đông", 120), ("Thôn Tây", 95), ("Thôn Nam", 140), ("Thôn Bắc", 80)];
/// (username, display name, role, member of the team)
pub const USERS: &[(&str, &str, Role, bool)] = &[
    ("dieuphoi", "Trần Thị Hoa", Role::Coordinator, false),
    ("totruong", "Lê Văn Minh", Role::Leader, true),
    ("tinhnguyen1", "Phạm Thu Trang", Role::Volunteer, true),
    ("tinhnguyen2", "Đỗ Quang Huy", Role::Volunteer, true),
];

/// The members of the team whose visits make the season, the first one the team's volunteer.
const TEAM_MEMBERS_LOGGING: [&str; 3] = ["tinhnguyen1", "tinhnguyen2", "totruong"];

/// Creates whatever part of the demo commune is missing.
pub async fn ensure(db: &Database) -> DbResult<()> {
    ignore_existing(db.add_commune(COMMUNE).await)?;
    for (village, households) in VILLAGES {
        ignore_existing(db.add_village(COMMUNE, village, *households).await)?;
    }
    ignore_existing(db.add_team(COMMUNE, TEAM).await)?;
    for (username, display_name, role, in_team) in USERS {
        if db.credentials(username).await?.is_some() {
            continue;
        }
        let user = NewUser {
            commune: COMMUNE.into(),
            team: in_team.then(|| TEAM.into()),
            username: (*username).into(),
            display_name: (*display_name).into(),
            role: *role,
            password_hash: password::hash(PASSWORD),
        };
        ignore_existing(db.add_user(&user).await)?;
    }
    Ok(())
}

fn ignore_existing(result: DbResult<i64>) -> DbResult<()> {
    match result {
        Ok(_) | Err(DbError::AlreadyExists(_)) => Ok(()),
        Err(error) => Err(error),
    }
}

/// The lines printed at start so whoever runs the demo can sign in.
pub fn sign_in_lines() -> Vec<String> {
    USERS
        .iter()
        .map(|(username, display_name, role, _)| {
            format!("  {username:<12} / {PASSWORD}   {display_name} ({})", role.label_vi())
        })
        .collect()
}
