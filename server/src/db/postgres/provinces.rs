//! Provinces above their communes, and province accounts ([`Provinces`]).

use super::people::{invite_from, INVITE_COLUMNS};
use super::places::insert_skill;
use super::{audit, insert_unique, PostgresDatabase};
use crate::db::quarter_figures::{CommuneActivity, CommuneQuarter, CommuneSkills, ProvinceReads};
use crate::db::storage::*;
use crate::db::{DbError, DbResult, NewProvinceAccount};
use async_trait::async_trait;
use chrono::NaiveDate;
use chrono::{DateTime, Utc};
use gocua_domain::api::{Commune, Invite, Province};
use gocua_domain::report::Quarter;
use gocua_domain::time::today;
use gocua_domain::Catalogue;
use sqlx::Row;

#[async_trait]
impl Provinces for PostgresDatabase {
    async fn add_province(&self, name: &str) -> DbResult<i64> {
        let insert = sqlx::query_scalar("INSERT INTO provinces (name) VALUES ($1) RETURNING id").bind(name);
        insert_unique(insert, &self.pool, || format!("province {name:?}")).await
    }

    async fn place_commune(&self, commune: &str, province: &str) -> DbResult<()> {
        let province_id = self.province_id(province).await?;
        let placed = sqlx::query("UPDATE communes SET province_id = $1 WHERE name = $2")
            .bind(province_id)
            .bind(commune)
            .execute(&self.pool)
            .await?;
        if placed.rows_affected() == 0 {
            return Err(DbError::NotFound(format!("commune {commune:?}")));
        }
        Ok(())
    }

    async fn add_province_account(&self, account: &NewProvinceAccount) -> DbResult<i64> {
        let province_id = self.province_id(&account.province).await?;
        let insert = sqlx::query_scalar(
            "INSERT INTO users (province_id, username, display_name, role, password_hash, created_at)
             VALUES ($1, $2, $3, 'province', $4, $5) RETURNING id",
        )
        .bind(province_id)
        .bind(&account.username)
        .bind(&account.display_name)
        .bind(&account.password_hash)
        .bind(crate::clock::now());
        insert_unique(insert, &self.pool, || format!("user {:?}", account.username)).await
    }

    async fn create_province_commune(&self, province_id: i64, name: &str, by: i64) -> DbResult<Commune> {
        let mut tx = self.pool.begin().await?;
        let insert =
            sqlx::query_scalar("INSERT INTO communes (name, province_id, created_on) VALUES ($1, $2, $3) RETURNING id")
                .bind(name)
                .bind(province_id)
                .bind(today(crate::clock::now()));
        let id = insert_unique(insert, &mut *tx, || format!("commune {name:?}")).await?;
        for entry in &Catalogue::starting().skills {
            insert_skill(&mut *tx, id, entry).await?;
        }
        audit::record(&mut *tx, (id, by), "commune.created", &format!("commune:{id}"), name, crate::clock::now())
            .await?;
        tx.commit().await?;
        Ok(Commune { id, name: name.to_owned() })
    }

    async fn province_communes(&self, province_id: i64) -> DbResult<Vec<Commune>> {
        let rows = sqlx::query("SELECT id, name FROM communes WHERE province_id = $1 ORDER BY name, id")
            .bind(province_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|row| Ok(Commune { id: row.try_get("id")?, name: row.try_get("name")? })).collect()
    }

    async fn province_invites(&self, province_id: i64, now: DateTime<Utc>) -> DbResult<Vec<Invite>> {
        let rows = sqlx::query(&format!(
            "SELECT {INVITE_COLUMNS}
             WHERE c.province_id = $1 AND i.role = 'coordinator'
               AND i.used_at IS NULL AND i.cancelled_at IS NULL AND i.expires_at > $2
             ORDER BY i.created_at DESC, i.id DESC"
        ))
        .bind(province_id)
        .bind(now)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(invite_from).collect()
    }

    async fn province(&self, province_id: i64) -> DbResult<Province> {
        let row = sqlx::query("SELECT id, name FROM provinces WHERE id = $1")
            .bind(province_id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| DbError::NotFound(format!("province {province_id}")))?;
        Ok(Province { id: row.try_get("id")?, name: row.try_get("name")? })
    }

    async fn province_quarter(&self, province_id: i64, quarter: Quarter) -> DbResult<Vec<CommuneQuarter>> {
        self.fold_province(province_id).await?;
        ProvinceReads::quarter(&self.pool, province_id, quarter).await
    }

    async fn province_activity(
        &self,
        province_id: i64,
        days: (NaiveDate, NaiveDate),
    ) -> DbResult<Vec<(i64, CommuneActivity)>> {
        self.fold_province(province_id).await?;
        ProvinceReads::activity(&self.pool, province_id, days).await
    }

    async fn province_skills(&self, province_id: i64, quarter: Quarter) -> DbResult<Vec<CommuneSkills>> {
        self.fold_province(province_id).await?;
        ProvinceReads::skills(&self.pool, province_id, quarter).await
    }
}

impl PostgresDatabase {
    /// Folds the visits queued in any of the province's communes, so its figures are behind no push.
    async fn fold_province(&self, province_id: i64) -> DbResult<()> {
        let queued: Vec<i64> = sqlx::query_scalar(
            "SELECT DISTINCT commune_id FROM visits_to_fold
             WHERE commune_id IN (SELECT id FROM communes WHERE province_id = $1)",
        )
        .bind(province_id)
        .fetch_all(&self.pool)
        .await?;
        for commune_id in queued {
            self.folding.fold_queued(commune_id).await?;
        }
        Ok(())
    }

    async fn province_id(&self, name: &str) -> DbResult<i64> {
        sqlx::query_scalar("SELECT id FROM provinces WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| DbError::NotFound(format!("province {name:?}")))
    }
}
