//! The SQLite backend: one file, WAL journal, every commit synced to disk
//! before the phone is told its visit is stored. Accounts and places here;
//! households, visits and the change log in [`records`].

use super::{Credentials, DbError, DbResult, NewUser};
use chrono::Utc;
use gocua_domain::api::{Commune, Profile, Role, Team, Village};
use gocua_domain::{Catalogue, CatalogueEntry, SkillGroup};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, SqlitePool};
use std::str::FromStr;
use std::time::Duration;

mod audit;
mod people;
mod personal_data;
mod records;
mod sessions;

static MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

#[derive(Clone)]
pub struct SqliteDatabase {
    pool: SqlitePool,
}

impl SqliteDatabase {
    pub async fn connect(url: &str) -> DbResult<Self> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: a visit acknowledged to a phone survives a power cut.
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new().max_connections(4).connect_with(options).await?;
        MIGRATIONS.run(&pool).await?;
        let db = SqliteDatabase { pool };
        db.ensure_catalogues().await?;
        Ok(db)
    }

    /// Gives every commune without a catalogue the starting one.
    async fn ensure_catalogues(&self) -> DbResult<()> {
        let communes: Vec<i64> =
            sqlx::query_scalar("SELECT id FROM communes WHERE id NOT IN (SELECT DISTINCT commune_id FROM skills)")
                .fetch_all(&self.pool)
                .await?;
        for commune_id in communes {
            for (position, entry) in Catalogue::starting().skills.iter().enumerate() {
                self.insert_skill(commune_id, entry, position as i64).await?;
            }
        }
        Ok(())
    }

    async fn insert_skill(&self, commune_id: i64, entry: &CatalogueEntry, position: i64) -> DbResult<()> {
        insert_unique(
            sqlx::query(
                "INSERT INTO skills (commune_id, code, skill_group, label, retired, position) VALUES (?, ?, ?, ?, ?, ?)",
            )
            .bind(commune_id)
            .bind(&entry.code)
            .bind(group_str(entry.group))
            .bind(&entry.label)
            .bind(entry.retired)
            .bind(position),
            &self.pool,
            || format!("skill {:?}", entry.code),
        )
        .await
        .map(|_| ())
    }

    pub async fn catalogue(&self, commune_id: i64) -> DbResult<Catalogue> {
        let rows = sqlx::query(
            "SELECT code, skill_group, label, retired FROM skills WHERE commune_id = ? ORDER BY position, code",
        )
        .bind(commune_id)
        .fetch_all(&self.pool)
        .await?;
        let skills = rows
            .iter()
            .map(|row| {
                let group: String = row.get("skill_group");
                Ok(CatalogueEntry {
                    code: row.get("code"),
                    group: serde_json::from_value(serde_json::Value::String(group.clone()))
                        .map_err(|_| sqlx::Error::Decode(format!("stored skill group {group:?}").into()))?,
                    label: row.get("label"),
                    retired: row.get("retired"),
                })
            })
            .collect::<DbResult<Vec<_>>>()?;
        Ok(Catalogue { skills })
    }

    pub async fn add_skill(&self, commune: &str, entry: &CatalogueEntry) -> DbResult<()> {
        let commune_id = self.commune_id(commune).await?;
        let position: i64 =
            sqlx::query_scalar("SELECT COALESCE(MAX(position), -1) + 1 FROM skills WHERE commune_id = ?")
                .bind(commune_id)
                .fetch_one(&self.pool)
                .await?;
        self.insert_skill(commune_id, entry, position).await
    }

    pub async fn retire_skill(&self, commune: &str, code: &str) -> DbResult<()> {
        let commune_id = self.commune_id(commune).await?;
        let done = sqlx::query("UPDATE skills SET retired = 1 WHERE commune_id = ? AND code = ?")
            .bind(commune_id)
            .bind(code)
            .execute(&self.pool)
            .await?;
        if done.rows_affected() == 0 {
            return Err(DbError::NotFound(format!("skill {code:?}")));
        }
        Ok(())
    }

    async fn commune_id(&self, name: &str) -> DbResult<i64> {
        sqlx::query_scalar("SELECT id FROM communes WHERE name = ?")
            .bind(name)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| DbError::NotFound(format!("commune {name:?}")))
    }

    pub async fn add_commune(&self, name: &str) -> DbResult<i64> {
        let id = insert_unique(sqlx::query("INSERT INTO communes (name) VALUES (?)").bind(name), &self.pool, || {
            format!("commune {name:?}")
        })
        .await?;
        self.ensure_catalogues().await?;
        Ok(id)
    }

    pub async fn add_village(&self, commune: &str, name: &str, households: u32) -> DbResult<i64> {
        let commune_id = self.commune_id(commune).await?;
        insert_unique(
            sqlx::query("INSERT INTO villages (commune_id, name, households) VALUES (?, ?, ?)")
                .bind(commune_id)
                .bind(name)
                .bind(households),
            &self.pool,
            || format!("village {name:?}"),
        )
        .await
    }

    pub async fn add_team(&self, commune: &str, name: &str) -> DbResult<i64> {
        let commune_id = self.commune_id(commune).await?;
        insert_unique(
            sqlx::query("INSERT INTO teams (commune_id, name) VALUES (?, ?)").bind(commune_id).bind(name),
            &self.pool,
            || format!("team {name:?}"),
        )
        .await
    }

    pub async fn add_user(&self, user: &NewUser) -> DbResult<i64> {
        let commune_id = self.commune_id(&user.commune).await?;
        let team_id: Option<i64> = match &user.team {
            None => None,
            Some(team) => Some(
                sqlx::query_scalar("SELECT id FROM teams WHERE commune_id = ? AND name = ?")
                    .bind(commune_id)
                    .bind(team)
                    .fetch_optional(&self.pool)
                    .await?
                    .ok_or_else(|| DbError::NotFound(format!("team {team:?}")))?,
            ),
        };
        insert_unique(
            sqlx::query(
                "INSERT INTO users (commune_id, team_id, username, display_name, role, password_hash, created_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(commune_id)
            .bind(team_id)
            .bind(&user.username)
            .bind(&user.display_name)
            .bind(user.role.as_str())
            .bind(&user.password_hash)
            .bind(Utc::now()),
            &self.pool,
            || format!("user {:?}", user.username),
        )
        .await
    }

    pub async fn credentials(&self, username: &str) -> DbResult<Option<Credentials>> {
        let row = sqlx::query("SELECT id, password_hash, active FROM users WHERE username = ?")
            .bind(username)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|row| Credentials {
            user_id: row.get("id"),
            password_hash: row.get("password_hash"),
            active: row.get("active"),
        }))
    }

    pub async fn profile(&self, user_id: i64) -> DbResult<Profile> {
        let row = sqlx::query(
            "SELECT u.id, u.username, u.display_name, u.role, c.id AS commune_id, c.name AS commune_name,
                    t.id AS team_id, t.name AS team_name
             FROM users u JOIN communes c ON c.id = u.commune_id LEFT JOIN teams t ON t.id = u.team_id
             WHERE u.id = ?",
        )
        .bind(user_id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| DbError::NotFound(format!("user {user_id}")))?;
        let commune_id: i64 = row.get("commune_id");
        let villages = sqlx::query("SELECT id, name FROM villages WHERE commune_id = ? ORDER BY name")
            .bind(commune_id)
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(|village| Village { id: village.get("id"), name: village.get("name") })
            .collect();
        let team = row.get::<Option<i64>, _>("team_id").map(|id| Team { id, name: row.get("team_name") });
        Ok(Profile {
            user_id: row.get("id"),
            username: row.get("username"),
            display_name: row.get("display_name"),
            role: parse_role(row.get("role")),
            commune: Commune { id: commune_id, name: row.get("commune_name") },
            team,
            villages,
        })
    }

    pub async fn village_ids(&self, commune_id: i64) -> DbResult<Vec<i64>> {
        Ok(sqlx::query_scalar("SELECT id FROM villages WHERE commune_id = ?")
            .bind(commune_id)
            .fetch_all(&self.pool)
            .await?)
    }
}

fn group_str(group: SkillGroup) -> String {
    match serde_json::to_value(group) {
        Ok(serde_json::Value::String(name)) => name,
        _ => unreachable!("skill groups serialise as strings"),
    }
}

pub(super) fn parse_role(raw: String) -> Role {
    Role::parse(&raw).expect("the CHECK constraint on users.role admits only known roles")
}

pub(super) async fn insert_unique<'q>(
    query: sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments<'q>>,
    pool: &SqlitePool,
    what: impl FnOnce() -> String,
) -> DbResult<i64> {
    match query.execute(pool).await {
        Ok(done) => Ok(done.last_insert_rowid()),
        Err(sqlx::Error::Database(error)) if error.is_unique_violation() => Err(DbError::AlreadyExists(what())),
        Err(error) => Err(error.into()),
    }
}
