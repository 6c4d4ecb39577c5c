//! A coordinator corrects or erases a household's personal data on the
//! household's request. Either is a new revision of the household, logged
//! like any write, so it reaches every phone of the team at its next pull.
//! An erasure also blanks what volunteers wrote about the household in its
//! visits ([`crate::db::erasure`]).

use super::records::{household_from, log_household, update_household, SELECT_HOUSEHOLD};
use super::{audit, SqliteDatabase};
use crate::db::storage::*;
use crate::db::{erasure, DbResult, Scope};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use gocua_domain::Household;

#[async_trait]
impl PersonalData for SqliteDatabase {
    /// A household the actor may read (the team's; a coordinator: the commune's), as stored.
    async fn visible_household(&self, actor: &Scope, id: &str) -> DbResult<Option<Household>> {
        let row = sqlx::query(&format!(
            "{SELECT_HOUSEHOLD} WHERE id = ?1 AND commune_id = ?2 AND (?3 = 'commune' OR team_id = ?4)"
        ))
        .bind(id)
        .bind(actor.commune_id)
        .bind(actor.households.as_str())
        .bind(actor.households.team())
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(household_from).transpose()
    }

    /// Replaces the stored household with `corrected` (already validated, at the next revision).
    async fn correct_household(&self, actor: &Scope, corrected: &Household, now: DateTime<Utc>) -> DbResult<bool> {
        let id = corrected.id.to_string();
        let mut tx = self.begin_write().await?;
        let held: Option<u32> = sqlx::query_scalar("SELECT revision FROM households WHERE id = ?")
            .bind(&id)
            .fetch_optional(&mut *tx)
            .await?;
        if held.map(|revision| revision.saturating_add(1)) != Some(corrected.revision) {
            // Written since it was read: the caller applies the correction to the new version.
            return Ok(false);
        }
        update_household(&mut tx, corrected, None, now).await?;
        log_household(&mut tx, &id).await?;
        audit::record(
            &mut *tx,
            (actor.commune_id, actor.user_id),
            "household.corrected",
            &format!("household:{id}"),
            "",
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Erases the household's name, address and phone for good, and its
    /// visits' notes and follow-up reasons; its visits stay, counted. With
    /// nothing left to erase it changes nothing, and audits nothing.
    async fn erase_household(&self, actor: &Scope, id: &str, now: DateTime<Utc>) -> DbResult<()> {
        let mut tx = self.begin_write().await?;
        // Its visits' text first (db/erasure.rs), found by the text still there.
        sqlx::query(&erasure::log_visits_with_text()).bind(id).bind(actor.commune_id).execute(&mut *tx).await?;
        let blanked = sqlx::query(&erasure::blank_visits_text())
            .bind(id)
            .bind(actor.commune_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        let erased = sqlx::query(erasure::ERASE_HOUSEHOLD)
            .bind(now)
            .bind(id)
            .bind(actor.commune_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        // Erased before, the household has nothing left to erase: no new revision for phones to pull.
        if erased > 0 {
            log_household(&mut tx, id).await?;
        }
        if erased + blanked == 0 {
            return Ok(());
        }
        audit::record(
            &mut *tx,
            (actor.commune_id, actor.user_id),
            "household.erased",
            &format!("household:{id}"),
            "",
            now,
        )
        .await?;
        tx.commit().await?;
        // The write-ahead log still holds the pages the data was written in: copy the
        // zeroed pages into the file and empty the log now, rather than wait for the log's
        // reuse to overwrite them. Best effort: the erasure is committed, and while a
        // reader holds an older snapshot the log stays to SQLite's own checkpoints.
        match sqlx::query_as::<_, (i64, i64, i64)>("PRAGMA wal_checkpoint(TRUNCATE)").fetch_one(&self.pool).await {
            Ok((0, _, _)) => {}
            Ok(_) => tracing::warn!("the write-ahead log could not be emptied after an erasure: a reader held it"),
            Err(error) => tracing::warn!(%error, "emptying the write-ahead log after an erasure failed"),
        }
        Ok(())
    }
}
