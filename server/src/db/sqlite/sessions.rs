//! Sessions: one per signed-in device, found by the SHA-256 of its token.

use super::{audit, parse_role, SqliteDatabase};
use crate::db::lifetimes::{mark_used, session_state, SessionState};
use crate::db::storage::*;
use crate::db::stored::principal;
use crate::db::{AuditNote, DbResult, SessionCheck};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use gocua_domain::api::DeviceSession;
use sqlx::Row;

#[async_trait]
impl Devices for SqliteDatabase {
    async fn create_session(
        &self,
        user_id: i64,
        token_hash: &[u8],
        device: &str,
        now: DateTime<Utc>,
        expires_at: DateTime<Utc>,
    ) -> DbResult<()> {
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, device, created_at, last_used_at, expires_at)
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(device)
        .bind(now)
        .bind(now)
        .bind(expires_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Signing out ends the session; there is nothing to tell that device
    /// later. Its row stays, expired, so its id is never given to another
    /// sign-in: the sync rule trusts a device's own versions by that id.
    async fn delete_session(&self, token_hash: &[u8]) -> DbResult<()> {
        sqlx::query("UPDATE sessions SET expires_at = ? WHERE token_hash = ? AND expires_at > ?")
            .bind(crate::clock::now())
            .bind(token_hash)
            .bind(crate::clock::now())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    async fn check_session(&self, token_hash: &[u8], now: DateTime<Utc>) -> DbResult<SessionCheck> {
        let row = sqlx::query(
            "SELECT s.id AS session_id, s.expires_at, s.revoked_at, s.last_used_at,
                    u.id, u.commune_id, u.province_id, u.team_id, u.role, u.active
             FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.token_hash = ?",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(SessionCheck::Invalid) };
        match session_state(row.try_get("revoked_at")?, row.try_get("expires_at")?, row.try_get("active")?, now) {
            SessionState::Revoked => return Ok(SessionCheck::Revoked),
            SessionState::Ended => return Ok(SessionCheck::Invalid),
            SessionState::Usable => {}
        }
        let session_id: i64 = row.try_get("session_id")?;
        if mark_used(row.try_get("last_used_at")?, now) {
            sqlx::query("UPDATE sessions SET last_used_at = ? WHERE id = ?")
                .bind(now)
                .bind(session_id)
                .execute(&self.pool)
                .await?;
        }
        let principal = principal(
            row.try_get("id")?,
            parse_role(row.try_get("role")?)?,
            row.try_get("commune_id")?,
            row.try_get("province_id")?,
            row.try_get("team_id")?,
        )?;
        Ok(SessionCheck::Valid { principal, session_id })
    }

    /// The user's sessions still in use (not expired, not revoked), most recently used first.
    async fn sessions_of(&self, user_id: i64, now: DateTime<Utc>) -> DbResult<Vec<DeviceSession>> {
        let rows = sqlx::query(
            "SELECT id, device, created_at, last_used_at, expires_at FROM sessions
             WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ?
             ORDER BY last_used_at DESC, id DESC",
        )
        .bind(user_id)
        .bind(now)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(DeviceSession {
                    id: row.try_get("id")?,
                    device: row.try_get("device")?,
                    created_at: row.try_get("created_at")?,
                    last_used_at: row.try_get("last_used_at")?,
                    expires_at: row.try_get("expires_at")?,
                    current: false,
                })
            })
            .collect()
    }

    /// Revokes one of the user's sessions on behalf of `note`'s actor; false if it is not theirs or already ended.
    async fn revoke_session(
        &self,
        user_id: i64,
        session_id: i64,
        now: DateTime<Utc>,
        revoked_by: i64,
        note: Option<&AuditNote>,
    ) -> DbResult<bool> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE sessions SET revoked_at = ?, revoked_by = ?
             WHERE id = ? AND user_id = ? AND revoked_at IS NULL AND expires_at > ?",
        )
        .bind(now)
        .bind(revoked_by)
        .bind(session_id)
        .bind(user_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let revoked = done.rows_affected() == 1;
        if revoked {
            audit::note(&mut *tx, note, || format!("user:{user_id}")).await?;
            tx.commit().await?;
        }
        Ok(revoked)
    }
}
