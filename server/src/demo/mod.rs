//! The demo commune: Kiến Minh, with a few villages, one team, its leader,
//! two volunteers and a coordinator, in the city of Hải Phòng with its
//! Department's account, so the app can be tried at once — and, for
//! `serve --demo`, a season of their work ([`season`]) and two more communes
//! of the city at other stages ([`NEIGHBOURS`]), for the province's view.
//! Creating it again changes nothing.

pub mod season;

use crate::db::{Database, DbError, DbResult, NewProvinceAccount, NewUser};
use crate::password;
use chrono::{DateTime, Utc};
use gocua_domain::api::Role;
use season::Season;

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

/// Kiến Minh's city, and its Department of Science and Technology's account (username, display name).
pub const PROVINCE: &str = "Hải Phòng";
pub const PROVINCE_ACCOUNT: (&str, &str) = ("so-khcn", "Vũ Thị Thanh");

/// Another commune of the city, with its coordinator, one team and its volunteer, and how far it has got.
pub struct Neighbour {
    pub name: &'static str,
    pub villages: &'static [(&'static str, u32)],
    pub team: &'static str,
    /// (username, display name)
    pub coordinator: (&'static str, &'static str),
    pub volunteer: (&'static str, &'static str),
    pub season: Season,
}

/// Beside Kiến Minh: one well under way, one gone quiet six weeks ago.
pub const NEIGHBOURS: [Neighbour; 2] = [
    Neighbour {
        name: "Kiến Hải",
        villages: &[("Thôn Trung", 150), ("Thôn Hạ", 110), ("Thôn Thượng", 90)],
        team: "Tổ CNSCĐ thôn Trung",
        coordinator: ("dieuphoi-kienhai", "Ngô Thị Lan"),
        volunteer: ("tinhnguyen-kienhai", "Bùi Văn Khánh"),
        season: Season { households: 110, days: 75, quiet_days: 0, sessions: 3, seed: 0x2545_F491_4F6C_DD1D },
    },
    Neighbour {
        name: "Nghi Dương",
        villages: &[("Thôn Bắc Sơn", 130), ("Thôn Nam Sơn", 90)],
        team: "Tổ CNSCĐ thôn Bắc Sơn",
        coordinator: ("dieuphoi-nghiduong", "Lý Văn Tâm"),
        volunteer: ("tinhnguyen-nghiduong", "Dương Thị Hạnh"),
        season: Season { households: 30, days: 30, quiet_days: 45, sessions: 1, seed: 0x6A09_E667_F3BC_C909 },
    },
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
    ignore_existing(db.add_province(PROVINCE).await)?;
    db.place_commune(COMMUNE, PROVINCE).await?;
    let (username, display_name) = PROVINCE_ACCOUNT;
    if db.credentials(username).await?.is_none() {
        let account = NewProvinceAccount {
            province: PROVINCE.into(),
            username: username.into(),
            display_name: display_name.into(),
            password_hash: password::hash(PASSWORD),
        };
        ignore_existing(db.add_province_account(&account).await)?;
    }
    Ok(())
}

/// Creates whatever part of the city's other demo communes is missing, each with its season of work.
pub async fn ensure_neighbours(db: &Database, now: DateTime<Utc>) -> anyhow::Result<()> {
    for neighbour in &NEIGHBOURS {
        ignore_existing(db.add_commune(neighbour.name).await)?;
        db.place_commune(neighbour.name, PROVINCE).await?;
        for (village, households) in neighbour.villages {
            ignore_existing(db.add_village(neighbour.name, village, *households).await)?;
        }
        ignore_existing(db.add_team(neighbour.name, neighbour.team).await)?;
        for ((username, display_name), role) in
            [(neighbour.coordinator, Role::Coordinator), (neighbour.volunteer, Role::Volunteer)]
        {
            if db.credentials(username).await?.is_some() {
                continue;
            }
            let user = NewUser {
                commune: neighbour.name.into(),
                team: (role == Role::Volunteer).then(|| neighbour.team.into()),
                username: username.into(),
                display_name: display_name.into(),
                role,
                password_hash: password::hash(PASSWORD),
            };
            ignore_existing(db.add_user(&user).await)?;
        }
        season::fill(db, now, &[neighbour.volunteer.0], neighbour.villages, &neighbour.season).await?;
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
    let (province_username, province_name) = PROVINCE_ACCOUNT;
    USERS
        .iter()
        .map(|(username, display_name, role, _)| (*username, *display_name, role.label_vi(), COMMUNE))
        .chain(std::iter::once((province_username, province_name, Role::Province.label_vi(), PROVINCE)))
        .map(|(username, display_name, role, place)| {
            format!("  {username:<12} / {PASSWORD}   {display_name} ({role}, {place})")
        })
        .collect()
}
