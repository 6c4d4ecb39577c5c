//! The SQLite backend: one file, WAL journal, every commit synced to disk
//! before the phone is told its visit is stored.

use super::{Actor, Credentials, DbError, DbResult, NewUser};
use chrono::{DateTime, Utc};
use gocua_domain::api::{Commune, Profile, Role, StoredVisit, Team, Village};
use gocua_domain::sync::PushStatus;
use gocua_domain::visit::Household;
use gocua_domain::{PeopleGuided, SkillCode, Visit, VisitId};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous};
use sqlx::{Row, SqlitePool};
use std::str::FromStr;
use std::time::Duration;

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
        Ok(SqliteDatabase { pool })
    }

    async fn commune_id(&self, name: &str) -> DbResult<i64> {
        sqlx::query_scalar("SELECT id FROM communes WHERE name = ?")
            .bind(name)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| DbError::NotFound(format!("commune {name:?}")))
    }

    pub async fn add_commune(&self, name: &str) -> DbResult<i64> {
        insert_unique(sqlx::query("INSERT INTO communes (name) VALUES (?)").bind(name), &self.pool, || {
            format!("commune {name:?}")
        })
        .await
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

    pub async fn create_session(&self, user_id: i64, token_hash: &[u8], expires_at: DateTime<Utc>) -> DbResult<()> {
        sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)")
            .bind(token_hash)
            .bind(user_id)
            .bind(Utc::now())
            .bind(expires_at)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn delete_session(&self, token_hash: &[u8]) -> DbResult<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = ?").bind(token_hash).execute(&self.pool).await?;
        Ok(())
    }

    pub async fn session_actor(&self, token_hash: &[u8], now: DateTime<Utc>) -> DbResult<Option<Actor>> {
        let row = sqlx::query(
            "SELECT u.id, u.commune_id, u.team_id, u.role
             FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.token_hash = ? AND s.expires_at > ? AND u.active = 1",
        )
        .bind(token_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|row| Actor {
            user_id: row.get("id"),
            commune_id: row.get("commune_id"),
            team_id: row.get("team_id"),
            role: parse_role(row.get("role")),
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

    pub async fn store_visits(
        &self,
        author: &Actor,
        visits: &[Visit],
        now: DateTime<Utc>,
    ) -> DbResult<Vec<PushStatus>> {
        // IMMEDIATE takes the write lock up front, so two pushes wait for each
        // other instead of failing on a lock upgrade.
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let mut statuses = Vec::with_capacity(visits.len());
        for visit in visits {
            let inserted = sqlx::query(
                "INSERT INTO visits (id, author_id, commune_id, team_id, village_id, head_name, address,
                                     officials, pupils, adults, elderly, workers, skills, note, visited_at, received_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                 ON CONFLICT (id) DO NOTHING",
            )
            .bind(visit.id.to_string())
            .bind(author.user_id)
            .bind(author.commune_id)
            .bind(author.team_id)
            .bind(visit.village_id)
            .bind(&visit.household.head_name)
            .bind(&visit.household.address)
            .bind(visit.people.officials)
            .bind(visit.people.pupils)
            .bind(visit.people.adults)
            .bind(visit.people.elderly)
            .bind(visit.people.workers)
            .bind(skills_json(&visit.skills))
            .bind(&visit.note)
            .bind(visit.visited_at)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            let status = if inserted {
                PushStatus::Applied
            } else {
                let existing = sqlx::query(&format!("{SELECT_VISIT} WHERE id = ?"))
                    .bind(visit.id.to_string())
                    .fetch_one(&mut *tx)
                    .await?;
                let existing = stored_visit(&existing)?;
                if existing.author_id == author.user_id && existing.visit == *visit {
                    PushStatus::Duplicate
                } else {
                    PushStatus::Conflict
                }
            };
            statuses.push(status);
        }
        tx.commit().await?;
        Ok(statuses)
    }

    pub async fn visible_visits(&self, actor: &Actor) -> DbResult<Vec<StoredVisit>> {
        // A leader without a team sees no team's visits: NULL matches nothing.
        let (scope, id) = match actor.role {
            Role::Volunteer => ("author_id", Some(actor.user_id)),
            Role::Leader => ("team_id", actor.team_id),
            Role::Coordinator => ("commune_id", Some(actor.commune_id)),
        };
        let sql = format!("{SELECT_VISIT} WHERE {scope} = ? ORDER BY visited_at DESC");
        let query = sqlx::query(&sql).bind(id);
        query.fetch_all(&self.pool).await?.iter().map(stored_visit).collect()
    }
}

const SELECT_VISIT: &str = "SELECT id, author_id, village_id, head_name, address, officials, pupils, adults,
    elderly, workers, skills, note, visited_at, received_at FROM visits";

fn stored_visit(row: &SqliteRow) -> DbResult<StoredVisit> {
    let id: String = row.get("id");
    let skills: String = row.get("skills");
    let skills: Vec<SkillCode> = serde_json::from_str(&skills)
        .map_err(|error| sqlx::Error::Decode(format!("visit {id}: skills: {error}").into()))?;
    let id = VisitId::parse(&id).ok_or_else(|| sqlx::Error::Decode(format!("visit id {id:?}").into()))?;
    Ok(StoredVisit {
        visit: Visit {
            id,
            village_id: row.get("village_id"),
            household: Household { head_name: row.get("head_name"), address: row.get("address") },
            people: PeopleGuided {
                officials: row.get("officials"),
                pupils: row.get("pupils"),
                adults: row.get("adults"),
                elderly: row.get("elderly"),
                workers: row.get("workers"),
            },
            skills,
            note: row.get("note"),
            visited_at: row.get("visited_at"),
        },
        author_id: row.get("author_id"),
        received_at: row.get("received_at"),
    })
}

fn skills_json(skills: &[SkillCode]) -> String {
    serde_json::to_string(skills).expect("a list of strings always serialises")
}

fn parse_role(raw: String) -> Role {
    Role::parse(&raw).expect("the CHECK constraint on users.role admits only known roles")
}

async fn insert_unique<'q>(
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
