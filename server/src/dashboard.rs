//! `GET /api/v1/dashboard`: a period's figures for a leader (the team) or a
//! coordinator (the commune, or one team of it).

use crate::access;
use crate::db::{Actor, DashboardScope};
use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::AppState;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use chrono::NaiveDate;
use gocua_domain::dashboard::Dashboard;
use gocua_domain::time::{month_start, today};
use serde::Deserialize;

/// The longest period asked at once: a year and a bit (a custom range across the plan's year).
const MAX_DAYS: i64 = 400;

pub fn routes() -> Router<AppState> {
    Router::new().route("/dashboard", get(dashboard))
}

#[derive(Deserialize)]
struct Period {
    #[serde(default, deserialize_with = "gocua_domain::input::optional_reportable_day")]
    from: Option<NaiveDate>,
    #[serde(default, deserialize_with = "gocua_domain::input::optional_reportable_day")]
    to: Option<NaiveDate>,
    team_id: Option<i64>,
}

async fn dashboard(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(period): ApiQuery<Period>,
) -> Result<Json<Dashboard>, ApiError> {
    let team_id = access::reporting_team_in_reach(&state.db, &actor, period.team_id).await?;
    let now = crate::clock::now();
    let to = period.to.unwrap_or_else(|| today(now));
    let from = period.from.unwrap_or_else(|| month_start(to));
    if to < from || (to - from).num_days() >= MAX_DAYS {
        return Err(ApiError::BadRequest(format!("khoảng thời gian phải từ 1 đến {MAX_DAYS} ngày (from ≤ to)")));
    }
    let scope = DashboardScope::of_days(actor.commune_id, team_id, from, to);
    // Independent reads, run side by side on the pool's connections.
    let db = &state.db;
    let (totals, villages, volunteers, days, skills, teams, follow_ups, community_sessions) = tokio::try_join!(
        db.dashboard_totals(&scope),
        db.dashboard_villages(&scope),
        db.dashboard_volunteers(&scope),
        db.dashboard_days(&scope),
        db.dashboard_skills(&scope),
        db.dashboard_teams(&scope),
        db.dashboard_follow_ups(&scope, to),
        db.dashboard_community_sessions(&scope),
    )?;
    Ok(Json(Dashboard {
        from,
        to,
        generated_at: now,
        totals,
        villages,
        volunteers,
        days,
        skills,
        teams,
        follow_ups: follow_ups.listed,
        follow_ups_total: follow_ups.total,
        community_sessions,
    }))
}
