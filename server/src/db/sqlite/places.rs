//! What a coordinator sets up: villages, teams and the skill catalogue.

use super::{aggregates, audit, group_str, insert_unique, SqliteDatabase};
use crate::db::storage::*;
use crate::db::{AuditNote, DbError, DbResult};
use async_trait::async_trait;
use gocua_domain::api::{SkillChange, TeamSummary, Village};
use gocua_domain::catalogue::BasicSkill;
use gocua_domain::search::compare_names;
use gocua_domain::{Catalogue, CatalogueEntry};
use sqlx::Row;

#[async_trait]
impl Places for SqliteDatabase {
    /// The commune's villages, in Vietnamese name order.
    async fn villages(&self, commune_id: i64) -> DbResult<Vec<Village>> {
        let mut villages: Vec<Village> = sqlx::query("SELECT id, name, households FROM villages WHERE commune_id = ?")
            .bind(commune_id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|row| {
                Ok(Village {
                    id: row.try_get("id")?,
                    name: row.try_get("name")?,
                    households: row.try_get("households")?,
                })
            })
            .collect::<DbResult<_>>()?;
        villages.sort_by(|a, b| compare_names(&a.name, &b.name));
        Ok(villages)
    }

    async fn create_village(
        &self,
        commune_id: i64,
        name: &str,
        households: u32,
        note: Option<&AuditNote>,
    ) -> DbResult<i64> {
        let mut tx = self.begin_write().await?;
        let id = insert_unique(
            sqlx::query("INSERT INTO villages (commune_id, name, households) VALUES (?, ?, ?)")
                .bind(commune_id)
                .bind(name)
                .bind(households),
            &mut *tx,
            || format!("village {name:?}"),
        )
        .await?;
        audit::note(&mut *tx, note, || format!("village:{id}")).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Renames a village or sets its household count; false if the commune has no such village.
    async fn update_village(
        &self,
        commune_id: i64,
        village_id: i64,
        name: Option<&str>,
        households: Option<u32>,
        note: &AuditNote,
    ) -> DbResult<bool> {
        let mut tx = self.begin_write().await?;
        let query = sqlx::query(
            "UPDATE villages SET name = COALESCE(?, name), households = COALESCE(?, households)
             WHERE id = ? AND commune_id = ?",
        )
        .bind(name)
        .bind(households)
        .bind(village_id)
        .bind(commune_id);
        let changed = match query.execute(&mut *tx).await {
            Ok(done) => done.rows_affected() == 1,
            Err(sqlx::Error::Database(error)) if error.is_unique_violation() => {
                return Err(DbError::AlreadyExists(format!("village {name:?}")))
            }
            Err(error) => return Err(error.into()),
        };
        if changed {
            audit::note(&mut *tx, Some(note), || format!("village:{village_id}")).await?;
            tx.commit().await?;
        }
        Ok(changed)
    }

    /// The commune's teams with their active members, in Vietnamese order.
    async fn teams(&self, commune_id: i64) -> DbResult<Vec<TeamSummary>> {
        let mut teams: Vec<TeamSummary> = sqlx::query(
            "SELECT t.id, t.name, COUNT(u.id) AS members
             FROM teams t LEFT JOIN users u ON u.team_id = t.id AND u.active = 1
             WHERE t.commune_id = ? GROUP BY t.id",
        )
        .bind(commune_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|row| {
            Ok(TeamSummary { id: row.try_get("id")?, name: row.try_get("name")?, members: row.try_get("members")? })
        })
        .collect::<DbResult<_>>()?;
        teams.sort_by(|a, b| compare_names(&a.name, &b.name));
        Ok(teams)
    }

    async fn create_team(&self, commune_id: i64, name: &str, note: Option<&AuditNote>) -> DbResult<i64> {
        let mut tx = self.begin_write().await?;
        let id = insert_unique(
            sqlx::query("INSERT INTO teams (commune_id, name) VALUES (?, ?)").bind(commune_id).bind(name),
            &mut *tx,
            || format!("team {name:?}"),
        )
        .await?;
        audit::note(&mut *tx, note, || format!("team:{id}")).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// False if the commune has no such team.
    async fn rename_team(&self, commune_id: i64, team_id: i64, name: &str, note: &AuditNote) -> DbResult<bool> {
        let mut tx = self.begin_write().await?;
        let query = sqlx::query("UPDATE teams SET name = ? WHERE id = ? AND commune_id = ?")
            .bind(name)
            .bind(team_id)
            .bind(commune_id);
        let renamed = match query.execute(&mut *tx).await {
            Ok(done) => done.rows_affected() == 1,
            Err(sqlx::Error::Database(error)) if error.is_unique_violation() => {
                return Err(DbError::AlreadyExists(format!("team {name:?}")))
            }
            Err(error) => return Err(error.into()),
        };
        if renamed {
            audit::note(&mut *tx, Some(note), || format!("team:{team_id}")).await?;
            tx.commit().await?;
        }
        Ok(renamed)
    }

    /// Adds a skill at the end of the commune's catalogue.
    async fn create_skill(&self, commune_id: i64, entry: &CatalogueEntry, note: Option<&AuditNote>) -> DbResult<()> {
        let mut tx = self.begin_write().await?;
        insert_skill(&mut *tx, commune_id, entry).await?;
        audit::note(&mut *tx, note, || format!("skill:{}", entry.code)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Relabels, retires or brings back a skill, or changes the basic skill
    /// it counts for (`change`'s label already checked); false if the commune
    /// has no such skill. A new mapping recounts the commune's households
    /// at the national target in the same transaction, so the figures never
    /// mix two mappings.
    async fn update_skill(
        &self,
        commune_id: i64,
        code: &str,
        change: &SkillChange,
        note: Option<&AuditNote>,
    ) -> DbResult<bool> {
        let mut tx = self.begin_write().await?;
        let stored: Option<Option<String>> =
            sqlx::query_scalar("SELECT basic_skill FROM skills WHERE commune_id = ? AND code = ?")
                .bind(commune_id)
                .bind(code)
                .fetch_optional(&mut *tx)
                .await?;
        let Some(stored) = stored else { return Ok(false) };
        let basic_skill = change.basic_skill.map_or(stored.clone(), |basic| basic.map(|b| b.as_str().to_owned()));
        sqlx::query(
            "UPDATE skills SET label = COALESCE(?, label), retired = COALESCE(?, retired), basic_skill = ?
             WHERE commune_id = ? AND code = ?",
        )
        .bind(change.label.as_deref())
        .bind(change.retired)
        .bind(&basic_skill)
        .bind(commune_id)
        .bind(code)
        .execute(&mut *tx)
        .await?;
        if basic_skill != stored {
            aggregates::recount_targets(&mut tx, commune_id).await?;
        }
        audit::note(&mut *tx, note, || format!("skill:{code}")).await?;
        tx.commit().await?;
        Ok(true)
    }

    async fn catalogue(&self, commune_id: i64) -> DbResult<Catalogue> {
        // One row, in the entries' own JSON shape (storage keeps the names
        // serde gives groups and basic skills): read on every push, and a row
        // each would cost more to hand over than to find.
        let skills: String = sqlx::query_scalar(
            "SELECT json_group_array(json_object('code', code, 'group', skill_group, 'label', label,
                                                 'retired', json(CASE WHEN retired THEN 'true' ELSE 'false' END),
                                                 'basic_skill', basic_skill))
             FROM (SELECT * FROM skills WHERE commune_id = ? ORDER BY position, code)",
        )
        .bind(commune_id)
        .fetch_one(&self.pool)
        .await?;
        let skills = serde_json::from_str(&skills)
            .map_err(|error| DbError::Inconsistent(format!("the catalogue of commune {commune_id}: {error}")))?;
        Ok(Catalogue { skills })
    }

    async fn village_ids(&self, commune_id: i64) -> DbResult<Vec<i64>> {
        Ok(sqlx::query_scalar("SELECT id FROM villages WHERE commune_id = ?")
            .bind(commune_id)
            .fetch_all(&self.pool)
            .await?)
    }
}

/// Adds `entry` at the end of the commune's catalogue, through `executor` (the change's transaction).
pub(super) async fn insert_skill<'e>(
    executor: impl sqlx::Executor<'e, Database = sqlx::Sqlite>,
    commune_id: i64,
    entry: &CatalogueEntry,
) -> DbResult<()> {
    insert_unique(
        sqlx::query(
            "INSERT INTO skills (commune_id, code, skill_group, label, retired, basic_skill, position)
             SELECT ?1, ?2, ?3, ?4, ?5, ?6, COALESCE(MAX(position), -1) + 1 FROM skills WHERE commune_id = ?1",
        )
        .bind(commune_id)
        .bind(&entry.code)
        .bind(group_str(entry.group))
        .bind(&entry.label)
        .bind(entry.retired)
        .bind(entry.basic_skill.map(BasicSkill::as_str)),
        executor,
        || format!("skill {:?}", entry.code),
    )
    .await?;
    Ok(())
}
