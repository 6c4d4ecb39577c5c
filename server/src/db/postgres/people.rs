//! Accounts and the invites that create them.

use super::{audit, PostgresDatabase};
use crate::db::lifetimes::invite_problem;
use crate::db::storage::*;
use crate::db::stored::parse_role;
use crate::db::{AccountUpdate, AuditNote, Credentials, DbError, DbResult, InviteProblem, NewAccount, NewInvite};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use gocua_domain::api::{Account, Commune, Invite, Profile, Province, Team};
use sqlx::postgres::PgRow;
use sqlx::{Postgres, Row};

const ACCOUNT_COLUMNS: &str = "u.id, u.username, u.display_name, u.role, u.active, u.created_at,
                               t.id AS team_id, t.name AS team_name
                               FROM users u LEFT JOIN teams t ON t.id = u.team_id";
/// Inserts an account through `executor`: the pool, or an invite's transaction.
async fn insert_account<'e>(
    executor: impl sqlx::Executor<'e, Database = Postgres>,
    account: &NewAccount,
    now: DateTime<Utc>,
) -> DbResult<i64> {
    let inserted = sqlx::query_scalar(
        "INSERT INTO users (commune_id, team_id, username, display_name, role, password_hash, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(account.commune_id)
    .bind(account.team_id)
    .bind(&account.username)
    .bind(&account.display_name)
    .bind(account.role.as_str())
    .bind(&account.password_hash)
    .bind(now)
    .fetch_one(executor)
    .await;
    match inserted {
        Ok(id) => Ok(id),
        Err(sqlx::Error::Database(error)) if error.is_unique_violation() => {
            Err(DbError::AlreadyExists(format!("user {:?}", account.username)))
        }
        Err(error) => Err(error.into()),
    }
}

fn account_from(row: &PgRow) -> DbResult<Account> {
    Ok(Account {
        id: row.try_get("id")?,
        username: row.try_get("username")?,
        display_name: row.try_get("display_name")?,
        role: parse_role(row.try_get("role")?)?,
        team: team_from(row)?,
        active: row.try_get("active")?,
        created_at: row.try_get("created_at")?,
    })
}

/// The team of a row with `team_id` and `team_name`, if it has one.
fn team_from(row: &PgRow) -> DbResult<Option<Team>> {
    match row.try_get::<Option<i64>, _>("team_id")? {
        Some(id) => Ok(Some(Team { id, name: row.try_get("team_name")? })),
        None => Ok(None),
    }
}

/// An invite's columns, and the tables they come from (a coordinator's invite has no team).
pub(super) const INVITE_COLUMNS: &str =
    "i.id, i.role, i.created_at, i.expires_at, c.id AS commune_id, c.name AS commune_name,
        t.id AS team_id, t.name AS team_name, u.display_name AS created_by
     FROM invites i JOIN communes c ON c.id = i.commune_id
     LEFT JOIN teams t ON t.commune_id = i.commune_id AND t.id = i.team_id
     JOIN users u ON u.id = i.created_by";

pub(super) fn invite_from(row: &PgRow) -> DbResult<Invite> {
    Ok(Invite {
        id: row.try_get("id")?,
        role: parse_role(row.try_get("role")?)?,
        commune: Commune { id: row.try_get("commune_id")?, name: row.try_get("commune_name")? },
        team: team_from(row)?,
        created_by: row.try_get("created_by")?,
        created_at: row.try_get("created_at")?,
        expires_at: row.try_get("expires_at")?,
    })
}

#[async_trait]
impl Accounts for PostgresDatabase {
    /// The commune's accounts (only `team_id`'s, when given).
    async fn accounts(&self, commune_id: i64, team_id: Option<i64>) -> DbResult<Vec<Account>> {
        let rows = sqlx::query(&format!(
            "SELECT {ACCOUNT_COLUMNS} WHERE u.commune_id = $1 AND ($2::BIGINT IS NULL OR u.team_id = $2)
             ORDER BY u.id"
        ))
        .bind(commune_id)
        .bind(team_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(account_from).collect()
    }

    /// An account of the commune; none for another commune's.
    async fn account(&self, commune_id: i64, user_id: i64) -> DbResult<Option<Account>> {
        let row = sqlx::query(&format!("SELECT {ACCOUNT_COLUMNS} WHERE u.commune_id = $1 AND u.id = $2"))
            .bind(commune_id)
            .bind(user_id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(account_from).transpose()
    }

    async fn team_in_commune(&self, commune_id: i64, team_id: i64) -> DbResult<Option<Team>> {
        let row = sqlx::query("SELECT id, name FROM teams WHERE commune_id = $1 AND id = $2")
            .bind(commune_id)
            .bind(team_id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| Ok(Team { id: row.try_get("id")?, name: row.try_get("name")? })).transpose()
    }

    async fn create_account(
        &self,
        account: &NewAccount,
        now: DateTime<Utc>,
        note: Option<&AuditNote>,
    ) -> DbResult<i64> {
        let mut tx = self.begin().await?;
        let user_id = insert_account(&mut *tx, account, now).await?;
        audit::note(&mut *tx, note, || format!("user:{user_id}")).await?;
        tx.commit().await?;
        Ok(user_id)
    }

    /// Changes an account; deactivating it revokes every session it has, so
    /// its phones stop syncing at once (their unsynced records stay on them).
    async fn update_account(
        &self,
        user_id: i64,
        update: &AccountUpdate,
        now: DateTime<Utc>,
        note: &AuditNote,
    ) -> DbResult<()> {
        let mut tx = self.begin().await?;
        let team_id = update.team_id.map(|team| team.ok_or(()));
        sqlx::query(
            "UPDATE users SET
                display_name  = COALESCE($1, display_name),
                role          = COALESCE($2, role),
                team_id       = CASE WHEN $3 THEN $4 ELSE team_id END,
                active        = COALESCE($5, active),
                password_hash = COALESCE($6, password_hash)
             WHERE id = $7",
        )
        .bind(&update.display_name)
        .bind(update.role.map(|role| role.as_str()))
        .bind(team_id.is_some())
        .bind(team_id.and_then(Result::ok))
        .bind(update.active)
        .bind(&update.password_hash)
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        if update.active == Some(false) {
            sqlx::query(
                "UPDATE sessions SET revoked_at = $1, revoked_by = $2 WHERE user_id = $3 AND revoked_at IS NULL",
            )
            .bind(now)
            .bind(note.by.user_id)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        }
        if update.cancels_invites() {
            sqlx::query(
                "UPDATE invites SET cancelled_at = $1
                 WHERE created_by = $2 AND used_at IS NULL AND cancelled_at IS NULL",
            )
            .bind(now)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        }
        audit::note(&mut *tx, Some(note), || format!("user:{user_id}")).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn create_invite(&self, invite: &NewInvite, note: &AuditNote) -> DbResult<i64> {
        let mut tx = self.begin().await?;
        let invite_id: i64 = sqlx::query_scalar(
            "INSERT INTO invites (code_hash, commune_id, team_id, role, created_by, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(&invite.code_hash)
        .bind(invite.commune_id)
        .bind(invite.team_id)
        .bind(invite.role.as_str())
        .bind(invite.created_by)
        .bind(invite.created_at)
        .bind(invite.expires_at)
        .fetch_one(&mut *tx)
        .await?;
        audit::note(&mut *tx, Some(note), || format!("invite:{invite_id}")).await?;
        tx.commit().await?;
        Ok(invite_id)
    }

    /// Invites of the commune (only `team_id`'s, when given) neither used, cancelled nor expired.
    async fn open_invites(&self, commune_id: i64, team_id: Option<i64>, now: DateTime<Utc>) -> DbResult<Vec<Invite>> {
        let rows = sqlx::query(&format!(
            "SELECT {INVITE_COLUMNS}
             WHERE i.commune_id = $1 AND ($2::BIGINT IS NULL OR i.team_id = $2)
               AND i.used_at IS NULL AND i.cancelled_at IS NULL AND i.expires_at > $3
             ORDER BY i.created_at DESC, i.id DESC"
        ))
        .bind(commune_id)
        .bind(team_id)
        .bind(now)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(invite_from).collect()
    }

    async fn invite(&self, invite_id: i64) -> DbResult<Option<Invite>> {
        let row = sqlx::query(&format!(
            "SELECT {INVITE_COLUMNS}
             WHERE i.id = $1"
        ))
        .bind(invite_id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(invite_from).transpose()
    }

    /// Cancels an open invite of the commune (of `team_id`, when given); false if there is none.
    async fn cancel_invite(
        &self,
        commune_id: i64,
        team_id: Option<i64>,
        invite_id: i64,
        now: DateTime<Utc>,
        note: &AuditNote,
    ) -> DbResult<bool> {
        let mut tx = self.begin().await?;
        let done = sqlx::query(
            "UPDATE invites SET cancelled_at = $1
             WHERE id = $2 AND commune_id = $3 AND ($4::BIGINT IS NULL OR team_id = $4)
               AND used_at IS NULL AND cancelled_at IS NULL AND expires_at > $1",
        )
        .bind(now)
        .bind(invite_id)
        .bind(commune_id)
        .bind(team_id)
        .execute(&mut *tx)
        .await?;
        let cancelled = done.rows_affected() == 1;
        if cancelled {
            audit::note(&mut *tx, Some(note), || format!("invite:{invite_id}")).await?;
            tx.commit().await?;
        }
        Ok(cancelled)
    }

    /// Creates the account an invite promises and marks the invite used, in
    /// one transaction: two phones racing with one code get one account (the
    /// invite's row is locked: the second waits, then finds it used).
    async fn redeem_invite(
        &self,
        code_hash: &[u8],
        username: &str,
        display_name: &str,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> DbResult<i64> {
        let mut tx = self.begin().await?;
        let invite = sqlx::query(
            "SELECT id, commune_id, team_id, role, expires_at, used_at, cancelled_at FROM invites WHERE code_hash = $1
             FOR UPDATE",
        )
        .bind(code_hash)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(DbError::Invite(InviteProblem::Unknown))?;
        let (cancelled_at, used_at) = (invite.try_get("cancelled_at")?, invite.try_get("used_at")?);
        if let Some(problem) = invite_problem(cancelled_at, used_at, invite.try_get("expires_at")?, now) {
            return Err(DbError::Invite(problem));
        }
        let account = NewAccount {
            commune_id: invite.try_get("commune_id")?,
            team_id: invite.try_get("team_id")?,
            username: username.to_owned(),
            display_name: display_name.to_owned(),
            role: parse_role(invite.try_get("role")?)?,
            password_hash: password_hash.to_owned(),
        };
        let user_id = insert_account(&mut *tx, &account, now).await?;
        let marked = sqlx::query("UPDATE invites SET used_at = $1, used_by = $2 WHERE id = $3 AND used_at IS NULL")
            .bind(now)
            .bind(user_id)
            .bind(invite.try_get::<i64, _>("id")?)
            .execute(&mut *tx)
            .await?;
        if marked.rows_affected() != 1 {
            return Err(DbError::Invite(InviteProblem::Used));
        }
        let joined = (account.commune_id, user_id);
        audit::record(&mut *tx, joined, "account.joined", &format!("user:{user_id}"), username, now).await?;
        tx.commit().await?;
        Ok(user_id)
    }

    async fn credentials(&self, username: &str) -> DbResult<Option<Credentials>> {
        let row = sqlx::query("SELECT id, password_hash, active FROM users WHERE username = $1")
            .bind(username)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| {
            Ok(Credentials {
                user_id: row.try_get("id")?,
                password_hash: row.try_get("password_hash")?,
                active: row.try_get("active")?,
            })
        })
        .transpose()
    }

    async fn profile(&self, user_id: i64) -> DbResult<Profile> {
        let row = sqlx::query(
            "SELECT u.id, u.username, u.display_name, u.role, c.id AS commune_id, c.name AS commune_name,
                    p.id AS province_id, p.name AS province_name,
                    t.id AS team_id, t.name AS team_name
             FROM users u LEFT JOIN communes c ON c.id = u.commune_id
             LEFT JOIN provinces p ON p.id = u.province_id
             LEFT JOIN teams t ON t.commune_id = u.commune_id AND t.id = u.team_id
             WHERE u.id = $1",
        )
        .bind(user_id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| DbError::NotFound(format!("user {user_id}")))?;
        let commune = match row.try_get::<Option<i64>, _>("commune_id")? {
            Some(id) => Some(Commune { id, name: row.try_get("commune_name")? }),
            None => None,
        };
        let province = match row.try_get::<Option<i64>, _>("province_id")? {
            Some(id) => Some(Province { id, name: row.try_get("province_name")? }),
            None => None,
        };
        // A province account has no villages of its own: it sees communes' figures.
        let villages = match &commune {
            Some(commune) => self.villages(commune.id).await?,
            None => Vec::new(),
        };
        Ok(Profile {
            user_id: row.try_get("id")?,
            username: row.try_get("username")?,
            display_name: row.try_get("display_name")?,
            role: parse_role(row.try_get("role")?)?,
            commune,
            province,
            team: team_from(&row)?,
            villages,
        })
    }
}
