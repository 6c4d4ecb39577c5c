//! A leader voids a visit of their team (a coordinator: of the commune) that
//! should not count — logged by mistake, twice, or made up. It becomes a
//! tombstone exactly as when its author deletes it, and the author's phone
//! forgets it at its next pull.

use super::aggregates::{self, Households, Visits};
use super::records::{log_household, log_visit};
use super::{audit, PostgresDatabase};
use crate::db::storage::*;
use crate::db::{DbResult, Scope, VoidOutcome};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::Row;

#[async_trait]
impl Voiding for PostgresDatabase {
    async fn void_visit(&self, actor: &Scope, id: &str, now: DateTime<Utc>) -> DbResult<VoidOutcome> {
        let (_turn, mut tx) = self.begin_commune(actor.commune_id).await?;
        // Another commune's visit is not found, as one of no team in reach.
        let row = sqlx::query(
            "SELECT team_id, author_id, household_id, deleted_at FROM visits WHERE commune_id = $1 AND id = $2",
        )
        .bind(actor.commune_id)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else { return Ok(VoidOutcome::NotFound) };
        let team_id: Option<i64> = row.try_get("team_id")?;
        let in_reach = actor.logged.covers(team_id, row.try_get("author_id")?, actor.user_id);
        if !in_reach {
            return Ok(VoidOutcome::NotFound);
        }
        if row.try_get::<Option<DateTime<Utc>>, _>("deleted_at")?.is_some() {
            return Ok(VoidOutcome::AlreadyGone);
        }
        sqlx::query("UPDATE visits SET deleted_at = $1 WHERE commune_id = $2 AND id = $3")
            .bind(now)
            .bind(actor.commune_id)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let household_id: String = row.try_get("household_id")?;
        aggregates::count(&mut tx, Visits::One(actor.commune_id, id), -1).await?;
        aggregates::refresh_progress(&mut tx, Households::One(actor.commune_id, &household_id)).await?;
        log_visit(&mut tx, actor.commune_id, id).await?;
        log_household(&mut tx, actor.commune_id, &household_id).await?;
        audit::record(&mut *tx, (actor.commune_id, actor.user_id), "visit.voided", &format!("visit:{id}"), "", now)
            .await?;
        tx.commit().await?;
        Ok(VoidOutcome::Voided)
    }
}
