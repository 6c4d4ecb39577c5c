//! The commune's skill catalogue: phones cache it; a coordinator adds skills,
//! relabels them, retires them (old visits keep showing a retired skill) and
//! says which of the national target's five basic skills each counts for.

use crate::access;
use crate::db::{Actor, AuditNote, DbError};
use crate::error::ApiError;
use crate::extract::{ApiPath, JsonBody};
use crate::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, patch};
use axum::{Json, Router};
use gocua_domain::api::{NewSkillRequest, SkillChange};
use gocua_domain::commune::{check_skill_label, new_skill};
use gocua_domain::{Catalogue, CatalogueEntry, Field, FieldError, Problem};

pub fn routes() -> Router<AppState> {
    Router::new().route("/catalogue", get(catalogue).post(add_skill)).route("/catalogue/{code}", patch(change_skill))
}

async fn catalogue(State(state): State<AppState>, actor: Actor) -> Result<Json<Catalogue>, ApiError> {
    Ok(Json(state.db.catalogue(actor.commune_id).await?))
}

async fn entry(state: &AppState, actor: &Actor, code: &str) -> Result<CatalogueEntry, ApiError> {
    let catalogue = state.db.catalogue(actor.commune_id).await?;
    catalogue.skills.into_iter().find(|entry| entry.code == code).ok_or(ApiError::NotFound)
}

async fn add_skill(
    State(state): State<AppState>,
    actor: Actor,
    body: JsonBody,
) -> Result<(StatusCode, Json<CatalogueEntry>), ApiError> {
    access::coordinator(&actor)?;
    let request: NewSkillRequest = body.parse()?;
    let mut skill = new_skill(&request.code, request.group, &request.label).map_err(ApiError::Validation)?;
    if let Some(basic_skill) = request.basic_skill {
        skill.basic_skill = basic_skill;
    }
    let note = AuditNote::new(&actor, "skill.created", skill.label.clone());
    match state.db.create_skill(actor.commune_id, &skill, Some(&note)).await {
        Ok(()) => {}
        Err(DbError::AlreadyExists(_)) => {
            return Err(ApiError::Validation(vec![FieldError::new(Field::Code, Problem::Taken)]))
        }
        Err(error) => return Err(error.into()),
    }
    Ok((StatusCode::CREATED, Json(skill)))
}

async fn change_skill(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(code): ApiPath<String>,
    body: JsonBody,
) -> Result<Json<CatalogueEntry>, ApiError> {
    let current = entry(&state, &actor, &code).await?;
    access::coordinator(&actor)?;
    let change: SkillChange = body.parse()?;
    let label =
        change.label.as_deref().map(check_skill_label).transpose().map_err(|e| ApiError::Validation(vec![e]))?;
    let checked = SkillChange { label, ..change };
    // The entry says what the skill becomes.
    let mut detail = checked.label.clone().unwrap_or(current.label);
    if checked.retired.unwrap_or(current.retired) {
        detail.push_str(" (ngừng dùng)");
    }
    if let Some(basic_skill) = checked.basic_skill {
        let counts_for = basic_skill.map_or("không tính", |basic| basic.label());
        detail.push_str(&format!(" · kỹ năng cơ bản: {counts_for}"));
    }
    let note = AuditNote::about(&actor, "skill.changed", format!("skill:{code}"), detail);
    state.db.update_skill(actor.commune_id, &code, &checked, Some(&note)).await?;
    Ok(Json(entry(&state, &actor, &code).await?))
}
