//! Invites: a leader gives a new volunteer a one-time code (with a link and a
//! QR code to open it on the phone); the volunteer joins with it and chooses
//! a password. Codes expire, work once, and are stored only as hashes.

use crate::access::{self, managed_team};
use crate::auth::open_session;
use crate::db::{Actor, AuditNote, DbError, NewInvite};
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiPath, ClientAddress, JsonBody};
use crate::{password, rate_limit, token, AppState};
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use chrono::Duration;
use gocua_domain::account::{
    canonical_invite_code, check_display_name, check_password, check_username, display_invite_code, INVITE_ALPHABET,
    INVITE_CODE_LEN,
};
use gocua_domain::api::{CreatedInvite, InviteList, JoinRequest, LoginResponse, NewInviteRequest, Role};
use gocua_domain::{Field, FieldError, Problem};
use rand::Rng;

/// How long a code can be used: long enough to reach a volunteer without signal for a few days.
pub const INVITE_DAYS: i64 = 7;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/invites", get(list).post(create))
        .route("/invites/{invite_id}", delete(cancel))
        .route("/auth/join", post(join))
}

fn generate_code() -> String {
    let mut rng = rand::rngs::OsRng;
    (0..INVITE_CODE_LEN).map(|_| INVITE_ALPHABET[rng.gen_range(0..INVITE_ALPHABET.len())] as char).collect()
}

async fn create(
    State(state): State<AppState>,
    actor: Actor,
    headers: HeaderMap,
    body: JsonBody,
) -> Result<(StatusCode, Json<CreatedInvite>), ApiError> {
    let own_team = managed_team(&actor)?;
    let request: NewInviteRequest = body.parse()?;
    // Reach before role: a team the commune does not have is 404 for a leader too.
    if let Some(asked) = request.team_id {
        access::team_in_reach(&state.db, &actor, asked).await?;
    }
    let role = request.role.unwrap_or(Role::Volunteer);
    let team_id = match (own_team, request.team_id) {
        // A leader invites volunteers to their own team only.
        (Some(own), Some(asked)) if asked != own => return Err(ApiError::Forbidden),
        (Some(_), _) if role != Role::Volunteer => return Err(ApiError::Forbidden),
        (Some(own), _) => own,
        (None, Some(asked)) => asked,
        (None, None) => return Err(ApiError::Validation(vec![FieldError::new(Field::Team, Problem::Required)])),
    };
    if matches!(role, Role::Coordinator | Role::Province) {
        return Err(ApiError::Validation(vec![FieldError::new(Field::Role, Problem::Invalid)]));
    }
    let note = AuditNote::new(&actor, "invite.created", role.as_str());
    let what = InviteFor { commune_id: actor.commune_id, team_id: Some(team_id), role, created_by: actor.user_id };
    Ok((StatusCode::CREATED, Json(issue(&state, &headers, what, &note).await?)))
}

/// What an invite is for, before it has a code.
pub struct InviteFor {
    pub commune_id: i64,
    /// `None` for a commune's coordination.
    pub team_id: Option<i64>,
    pub role: Role,
    pub created_by: i64,
}

/// Stores an invite under a new code (noted in the commune's audit log) and
/// answers it as it is shown once: the code, the link to join with it, and its QR.
pub async fn issue(
    state: &AppState,
    headers: &HeaderMap,
    what: InviteFor,
    note: &AuditNote,
) -> Result<CreatedInvite, ApiError> {
    let code = generate_code();
    let now = crate::clock::now();
    let invite = NewInvite {
        code_hash: token::hash(&code),
        commune_id: what.commune_id,
        team_id: what.team_id,
        role: what.role,
        created_by: what.created_by,
        created_at: now,
        expires_at: now + Duration::days(INVITE_DAYS),
    };
    let invite_id = state.db.create_invite(&invite, note).await?;
    let invite = state.db.invite(invite_id).await?.ok_or_else(|| ApiError::Internal("invite vanished".into()))?;
    let join_path = format!("/join?code={code}");
    let qr_svg = qr_svg(&format!("{}{join_path}", origin(headers)));
    Ok(CreatedInvite { invite, code: display_invite_code(&code), join_path, qr_svg })
}

/// The app's origin as the browser that asked sees it, for a link another phone can open.
fn origin(headers: &HeaderMap) -> String {
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|value| value.to_str().ok()) {
        return origin.trim_end_matches('/').to_owned();
    }
    let host = headers.get(header::HOST).and_then(|value| value.to_str().ok()).unwrap_or("localhost");
    let scheme = headers.get("x-forwarded-proto").and_then(|value| value.to_str().ok()).unwrap_or("http");
    format!("{scheme}://{host}")
}

fn qr_svg(link: &str) -> String {
    match qrcode::QrCode::new(link.as_bytes()) {
        Ok(code) => code.render::<qrcode::render::svg::Color>().min_dimensions(200, 200).quiet_zone(true).build(),
        // A link too long for a QR code cannot happen with our short paths; the code still works typed.
        Err(_) => String::new(),
    }
}

async fn list(State(state): State<AppState>, actor: Actor) -> Result<Json<InviteList>, ApiError> {
    let team = managed_team(&actor)?;
    Ok(Json(InviteList { invites: state.db.open_invites(actor.commune_id, team, crate::clock::now()).await? }))
}

async fn cancel(
    State(state): State<AppState>,
    actor: Actor,
    ApiPath(invite_id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    let team = managed_team(&actor)?;
    let note = AuditNote::about(&actor, "invite.cancelled", format!("invite:{invite_id}"), "");
    if !state.db.cancel_invite(actor.commune_id, team, invite_id, crate::clock::now(), &note).await? {
        return Err(ApiError::NotFound);
    }
    Ok(StatusCode::NO_CONTENT)
}

/// A new member takes an invite: the account is created in the invite's
/// team and commune (whatever else is sent) and signed in on this phone.
async fn join(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    ApiJson(request): ApiJson<JoinRequest>,
) -> Result<(StatusCode, Json<LoginResponse>), ApiError> {
    let code = canonical_invite_code(&request.code);
    let limiter_key = format!("invite:{code}");
    let attempt = rate_limit::attempt(&state.db, &limiter_key, address, crate::clock::now())
        .await?
        .map_err(|wait| ApiError::TooManyAttempts { retry_after_secs: wait.as_secs().max(1) })?;
    let redeemed = redeem(&state, &code, request).await;
    // Guessing codes counts like guessing passwords; a form with other mistakes does not.
    if !matches!(redeemed, Err(ApiError::Invite(_))) {
        // The answer stands even if the bookkeeping fails (the account may already exist).
        if let Err(error) = rate_limit::withdraw(&state.db, &attempt).await {
            tracing::warn!(%error, "a joining attempt could not be taken off the attempt counts");
        }
    }
    let user_id = redeemed?;
    // The account and its `account.joined` entry were written together.
    let session = open_session(&state, user_id, &headers).await?;
    tracing::info!(user_id, "joined with an invite");
    Ok((StatusCode::CREATED, Json(session)))
}

/// Checks the joining form and creates the account from the invite `code`; the new user's id.
async fn redeem(state: &AppState, code: &str, request: JoinRequest) -> Result<i64, ApiError> {
    let mut problems = Vec::new();
    if code.is_empty() {
        problems.push(FieldError::new(Field::Code, Problem::Required));
    }
    let username = check_username(&request.username).map_err(|e| problems.push(e)).ok();
    let display_name = check_display_name(&request.display_name).map_err(|e| problems.push(e)).ok();
    let _ = check_password(&request.password).map_err(|e| problems.push(e));
    let (Some(username), Some(display_name), true) = (username, display_name, problems.is_empty()) else {
        return Err(ApiError::Validation(problems));
    };
    let password_hash = password::hash_off_thread(request.password).await?;
    match state
        .db
        .redeem_invite(&token::hash(code), &username, &display_name, &password_hash, crate::clock::now())
        .await
    {
        Ok(user_id) => Ok(user_id),
        Err(DbError::AlreadyExists(_)) => {
            Err(ApiError::Validation(vec![FieldError::new(Field::Username, Problem::Taken)]))
        }
        Err(DbError::Invite(problem)) => Err(ApiError::Invite(problem)),
        Err(error) => Err(error.into()),
    }
}
