//! Accounts: a leader sees and manages the team's members, a coordinator
//! every account of the commune. Deactivating an account also revokes its devices.

use crate::access::{self, managed_team};
use crate::db::{AccountUpdate, Actor, AuditNote, DbError, NewAccount};
use crate::error::ApiError;
use crate::extract::{ApiPath, CommuneSession, JsonBody};
use crate::{auth, password, AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{delete, get};
use axum::{Json, Router};
use gocua_domain::account::{check_display_name, check_password, check_username};
use gocua_domain::api::{Account, AccountChange, AccountList, NewAccountRequest, Role, SessionList};
use gocua_domain::search::compare_names;
use gocua_domain::{Field, FieldError, Problem};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/users", get(list).post(create))
        .route("/users/{user_id}", get(show).patch(change))
        .route("/users/{user_id}/sessions", get(sessions))
        .route("/users/{user_id}/sessions/{session_id}", delete(revoke_session))
}

async fn list(State(state): State<AppState>, actor: Actor) -> Result<Json<AccountList>, ApiError> {
    let team = managed_team(&actor)?;
    let mut users = state.db.accounts(actor.commune_id, team).await?;
    users.sort_by(|a, b| compare_names(&a.display_name, &b.display_name));
    Ok(Json(AccountList { users }))
}

/// An account the actor may see, or 404 (another commune's, another team's).
async fn visible_account(state: &AppState, actor: &Actor, user_id: i64) -> Result<Account, ApiError> {
    match state.db.account(actor.commune_id, user_id).await? {
        Some(account) if access::may_see(actor, &account) => Ok(account),
        _ => Err(ApiError::NotFound),
    }
}

async fn show(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(user_id): ApiPath<i64>,
) -> Result<Json<Account>, ApiError> {
    Ok(Json(visible_account(&state, &actor, user_id).await?))
}

async fn create(
    State(state): State<AppState>,
    actor: Actor,
    body: JsonBody,
) -> Result<(StatusCode, Json<Account>), ApiError> {
    access::coordinator(&actor)?;
    let request: NewAccountRequest = body.parse()?;
    let mut problems = Vec::new();
    let username = check_username(&request.username).map_err(|e| problems.push(e)).ok();
    let display_name = check_display_name(&request.display_name).map_err(|e| problems.push(e)).ok();
    let _ = check_password(&request.password).map_err(|e| problems.push(e));
    if !request.role.of_commune() {
        problems.push(FieldError::new(Field::Role, Problem::Invalid));
    }
    let team_id = check_team(&state, &actor, request.role, request.team_id).await?.map_err(|e| problems.push(e)).ok();
    let (Some(username), Some(display_name), Some(team_id), true) =
        (username, display_name, team_id, problems.is_empty())
    else {
        return Err(ApiError::Validation(problems));
    };
    let password_hash = password::hash_off_thread(request.password).await?;
    let account = NewAccount {
        commune_id: actor.commune_id,
        team_id,
        username: username.clone(),
        display_name,
        role: request.role,
        password_hash,
    };
    let note = AuditNote::new(&actor, "account.created", username.clone());
    let user_id = match state.db.create_account(&account, crate::clock::now(), Some(&note)).await {
        Ok(id) => id,
        Err(DbError::AlreadyExists(_)) => {
            return Err(ApiError::Validation(vec![FieldError::new(Field::Username, Problem::Taken)]))
        }
        Err(error) => return Err(error.into()),
    };
    Ok((StatusCode::CREATED, Json(visible_account(&state, &actor, user_id).await?)))
}

/// A team for an account of `role`: volunteers and leaders need one; a team
/// outside the commune is 404.
async fn check_team(
    state: &AppState,
    actor: &Actor,
    role: Role,
    team_id: Option<i64>,
) -> Result<Result<Option<i64>, FieldError>, ApiError> {
    Ok(match team_id {
        Some(id) => Ok(Some(access::team_in_reach(&state.db, actor, id).await?.id)),
        None if role == Role::Coordinator => Ok(None),
        None => Err(FieldError::new(Field::Team, Problem::Required)),
    })
}

/// A coordinator changes anything of another account; a leader only
/// (de)activates the volunteers of the team.
async fn change(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(user_id): ApiPath<i64>,
    body: JsonBody,
) -> Result<Json<Account>, ApiError> {
    let account = visible_account(&state, &actor, user_id).await?;
    if !access::may_manage(&actor, &account) {
        return Err(ApiError::Forbidden);
    }
    let request: AccountChange = body.parse()?;
    let only_activation = request.display_name.is_none()
        && request.role.is_none()
        && request.team_id.is_none()
        && request.password.is_none();
    if actor.role != Role::Coordinator && !only_activation {
        return Err(ApiError::Forbidden);
    }
    let mut problems = Vec::new();
    let display_name = match &request.display_name {
        Some(raw) => check_display_name(raw).map_err(|e| problems.push(e)).ok(),
        None => None,
    };
    if let Some(password) = &request.password {
        let _ = check_password(password).map_err(|e| problems.push(e));
    }
    if request.role.is_some_and(|role| !role.of_commune()) {
        problems.push(FieldError::new(Field::Role, Problem::Invalid));
    }
    let role = request.role.unwrap_or(account.role);
    let current_team = account.team.as_ref().map(|team| team.id);
    let team_id = check_team(&state, &actor, role, request.team_id.unwrap_or(current_team))
        .await?
        .map_err(|e| problems.push(e))
        .ok()
        .flatten();
    if !problems.is_empty() {
        return Err(ApiError::Validation(problems));
    }
    let password_hash = match request.password {
        Some(password) => Some(password::hash_off_thread(password).await?),
        None => None,
    };
    let update = AccountUpdate {
        display_name,
        role: request.role,
        team_id: (team_id != current_team).then_some(team_id),
        active: request.active,
        password_hash,
    };
    let action = if request.active == Some(false) { "account.deactivated" } else { "account.changed" };
    let note = AuditNote::about(&actor, action, format!("user:{user_id}"), account.username.clone());
    state.db.update_account(user_id, &update, crate::clock::now(), &note).await?;
    Ok(Json(visible_account(&state, &actor, user_id).await?))
}

/// A member's devices: themselves, or whoever manages them.
async fn sessions(
    State(state): State<AppState>,
    CommuneSession { actor, session_id }: CommuneSession,
    ApiPath(user_id): ApiPath<i64>,
) -> Result<Json<SessionList>, ApiError> {
    let account = visible_account(&state, &actor, user_id).await?;
    if account.id != actor.user_id && !access::may_manage(&actor, &account) {
        return Err(ApiError::Forbidden);
    }
    Ok(Json(auth::devices(&state, user_id, session_id).await?))
}

/// Revokes a member's device (a lost phone). The phone is told at its next sync.
async fn revoke_session(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath((user_id, session_id)): ApiPath<(i64, i64)>,
) -> Result<StatusCode, ApiError> {
    let account = visible_account(&state, &actor, user_id).await?;
    if account.id != actor.user_id && !access::may_manage(&actor, &account) {
        return Err(ApiError::Forbidden);
    }
    auth::revoke_device(&state, &actor, user_id, session_id).await
}
