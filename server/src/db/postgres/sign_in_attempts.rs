//! Sign-in attempts in PostgreSQL: counted under an advisory lock, so
//! attempts sent at once to several servers are counted one by one.

use super::{hold, Lock, PostgresDatabase};
use crate::db::storage::{AttemptCounter, AttemptStart, SignInAttempts};
use crate::db::DbResult;
use async_trait::async_trait;
use chrono::{DateTime, Utc};

#[async_trait]
impl SignInAttempts for PostgresDatabase {
    async fn start_attempt(
        &self,
        attempt: &str,
        counters: &[AttemptCounter],
        expired: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> DbResult<AttemptStart> {
        let mut tx = self.begin().await?;
        hold(&mut tx, Lock::SignInAttempts).await?;
        sqlx::query("DELETE FROM sign_in_attempts WHERE started_at <= $1").bind(expired).execute(&mut *tx).await?;
        let mut full = Vec::new();
        for counter in counters {
            let held: Vec<DateTime<Utc>> =
                sqlx::query_scalar("SELECT started_at FROM sign_in_attempts WHERE counter = $1 ORDER BY started_at")
                    .bind(&counter.key)
                    .fetch_all(&mut *tx)
                    .await?;
            if held.len() >= counter.limit {
                full.push((counter.clone(), held));
            }
        }
        if !full.is_empty() {
            tx.commit().await?;
            return Ok(AttemptStart::Refused(full));
        }
        for counter in counters {
            sqlx::query("INSERT INTO sign_in_attempts (attempt, counter, started_at) VALUES ($1, $2, $3)")
                .bind(attempt)
                .bind(&counter.key)
                .bind(now)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(AttemptStart::Started)
    }

    async fn forget_attempt(&self, attempt: &str, counters: &[String], cleared: Option<&str>) -> DbResult<()> {
        let mut tx = self.begin().await?;
        hold(&mut tx, Lock::SignInAttempts).await?;
        sqlx::query("DELETE FROM sign_in_attempts WHERE attempt = $1 AND counter = ANY($2)")
            .bind(attempt)
            .bind(counters)
            .execute(&mut *tx)
            .await?;
        if let Some(cleared) = cleared {
            sqlx::query("DELETE FROM sign_in_attempts WHERE counter = $1").bind(cleared).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
