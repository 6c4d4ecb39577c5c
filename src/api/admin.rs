//! Calls of the account and commune screens: devices, members, invites,
//! and what a coordinator sets up. They need the network; the notebook does not.

use super::{call, get, send_no_content, ApiError};
use gloo_net::http::Request;
use gocua_domain::api::{
    Account, AccountChange, AccountList, AuditLog, Commune, CreatedInvite, InviteList, NewAccountRequest,
    NewInviteRequest, NewSkillRequest, SessionList, SkillChange, TeamChange, TeamList, TeamSummary, Village,
    VillageChange, VillageList,
};
use gocua_domain::dashboard::Dashboard;
use gocua_domain::submission::SubmissionStatus;
use gocua_domain::{CatalogueEntry, Household};

pub async fn own_devices(token: &str) -> Result<SessionList, ApiError> {
    get(token, "/api/v1/auth/sessions", &[]).await
}

pub async fn members(token: &str) -> Result<AccountList, ApiError> {
    get(token, "/api/v1/users", &[]).await
}

pub async fn member_devices(token: &str, user_id: i64) -> Result<SessionList, ApiError> {
    get(token, &format!("/api/v1/users/{user_id}/sessions"), &[]).await
}

/// Revokes a device of `user_id` (the user's own, or a member's).
pub async fn revoke_device(token: &str, user_id: i64, session_id: i64) -> Result<(), ApiError> {
    send_no_content(Request::delete(&format!("/api/v1/users/{user_id}/sessions/{session_id}")), token).await
}

pub async fn set_active(token: &str, user_id: i64, active: bool) -> Result<Account, ApiError> {
    let change = AccountChange { active: Some(active), ..Default::default() };
    call(Request::patch(&format!("/api/v1/users/{user_id}")), Some(token), |b| b.json(&change)).await
}

/// A coordinator's change to an account (role, team, password).
pub async fn change_account(token: &str, user_id: i64, change: &AccountChange) -> Result<Account, ApiError> {
    call(Request::patch(&format!("/api/v1/users/{user_id}")), Some(token), |b| b.json(change)).await
}

pub async fn create_invite(token: &str, request: &NewInviteRequest) -> Result<CreatedInvite, ApiError> {
    call(Request::post("/api/v1/invites"), Some(token), |b| b.json(request)).await
}

pub async fn open_invites(token: &str) -> Result<InviteList, ApiError> {
    get(token, "/api/v1/invites", &[]).await
}

pub async fn cancel_invite(token: &str, invite_id: i64) -> Result<(), ApiError> {
    send_no_content(Request::delete(&format!("/api/v1/invites/{invite_id}")), token).await
}

pub async fn create_account(token: &str, request: &NewAccountRequest) -> Result<Account, ApiError> {
    call(Request::post("/api/v1/users"), Some(token), |b| b.json(request)).await
}

pub async fn villages(token: &str) -> Result<VillageList, ApiError> {
    get(token, "/api/v1/villages", &[]).await
}

pub async fn add_village(token: &str, village: &VillageChange) -> Result<Village, ApiError> {
    call(Request::post("/api/v1/villages"), Some(token), |b| b.json(village)).await
}

pub async fn change_village(token: &str, village_id: i64, change: &VillageChange) -> Result<Village, ApiError> {
    call(Request::patch(&format!("/api/v1/villages/{village_id}")), Some(token), |b| b.json(change)).await
}

pub async fn teams(token: &str) -> Result<TeamList, ApiError> {
    get(token, "/api/v1/teams", &[]).await
}

pub async fn add_team(token: &str, team: &TeamChange) -> Result<TeamSummary, ApiError> {
    call(Request::post("/api/v1/teams"), Some(token), |b| b.json(team)).await
}

pub async fn add_skill(token: &str, skill: &NewSkillRequest) -> Result<CatalogueEntry, ApiError> {
    call(Request::post("/api/v1/catalogue"), Some(token), |b| b.json(skill)).await
}

pub async fn change_skill(token: &str, code: &str, change: &SkillChange) -> Result<CatalogueEntry, ApiError> {
    call(Request::patch(&format!("/api/v1/catalogue/{code}")), Some(token), |b| b.json(change)).await
}

/// A page of the audit log, newest first, older than `before`.
pub async fn audit(token: &str, before: Option<i64>) -> Result<AuditLog, ApiError> {
    let before = before.map(|id| id.to_string());
    let query: Vec<(&str, &str)> = before.as_deref().map(|id| ("before", id)).into_iter().collect();
    get(token, "/api/v1/audit", &query).await
}

/// The visit log as `csv` or `xlsx`, filtered by `query` (`from`, `to`, `village_id`, …).
pub async fn export_visits(token: &str, format: &str, query: &[(&str, &str)]) -> Result<Vec<u8>, ApiError> {
    super::get_bytes(token, &format!("/api/v1/exports/visits.{format}"), query).await
}

/// A period's figures (`from`, `to`, `team_id`).
pub async fn dashboard(token: &str, query: &[(&str, &str)]) -> Result<Dashboard, ApiError> {
    get(token, "/api/v1/dashboard", query).await
}

/// A one-time code for the coordinator of one of the province's communes (a province account).
pub async fn invite_coordinator(token: &str, commune_id: i64) -> Result<CreatedInvite, ApiError> {
    let request = gocua_domain::api::NewCoordinatorInvite { commune_id };
    call(Request::post("/api/v1/province/invites"), Some(token), |b| b.json(&request)).await
}

/// Adds a commune named `name` to the province.
pub async fn add_province_commune(token: &str, name: &str) -> Result<Commune, ApiError> {
    let request = gocua_domain::api::NewCommune { name: name.to_owned() };
    call(Request::post("/api/v1/province/communes"), Some(token), |b| b.json(&request)).await
}

/// The province's open invites to its communes' coordination.
pub async fn province_invites(token: &str) -> Result<InviteList, ApiError> {
    get(token, "/api/v1/province/invites", &[]).await
}

pub async fn cancel_province_invite(token: &str, invite_id: i64) -> Result<(), ApiError> {
    send_no_content(Request::delete(&format!("/api/v1/province/invites/{invite_id}")), token).await
}

/// This quarter's consolidated report of the province's communes (a province account).
pub async fn consolidated_report(token: &str) -> Result<gocua_domain::province::ConsolidatedReport, ApiError> {
    get(token, "/api/v1/province/report", &[]).await
}

pub async fn consolidated_report_xlsx(token: &str) -> Result<Vec<u8>, ApiError> {
    super::get_bytes(token, "/api/v1/province/report.xlsx", &[]).await
}

/// Each commune's progress over this quarter (a province account).
pub async fn province(token: &str) -> Result<gocua_domain::province::ProvinceView, ApiError> {
    get(token, "/api/v1/province", &[]).await
}

pub async fn quarterly_report(token: &str, quarter: &str) -> Result<gocua_domain::report::QuarterlyReport, ApiError> {
    get(token, "/api/v1/reports/quarterly", &[("quarter", quarter)]).await
}

/// The commune's report of `quarter` as submitted upward, and where it stands (a coordinator).
pub async fn report_submission(token: &str, quarter: &str) -> Result<SubmissionStatus, ApiError> {
    get(token, "/api/v1/reports/quarterly/submission", &[("quarter", quarter)]).await
}

/// Submits the commune's report of `quarter` as it stands now (a coordinator).
pub async fn submit_report(token: &str, quarter: &str) -> Result<SubmissionStatus, ApiError> {
    let body = serde_json::json!({ "quarter": quarter });
    call(Request::post("/api/v1/reports/quarterly/submission"), Some(token), |b| b.json(&body)).await
}

pub async fn quarterly_report_xlsx(token: &str, quarter: &str) -> Result<Vec<u8>, ApiError> {
    super::get_bytes(token, "/api/v1/reports/quarterly.xlsx", &[("quarter", quarter)]).await
}

/// Voids a visit of the team (a leader) or commune (a coordinator).
pub async fn void_visit(token: &str, visit_id: &str) -> Result<(), ApiError> {
    send_no_content(Request::delete(&format!("/api/v1/visits/{visit_id}")), token).await
}

/// Erases a household's personal data at its request (a coordinator).
pub async fn erase_household(token: &str, household_id: &str) -> Result<Household, ApiError> {
    call(Request::delete(&format!("/api/v1/households/{household_id}/personal-data")), Some(token), |b| b.build()).await
}
