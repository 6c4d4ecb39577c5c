//! The province's view (`GET /api/v1/province`): a quarter's progress of each
//! of its communes, for its Department's account alone — figures, never a
//! household. What stands out (a quiet commune, a report missing) is decided
//! in `gocua_domain::province`. The Department also invites its communes'
//! coordinators ([`invites`]) and consolidates their quarterly reports ([`report`]).

mod invites;
mod report;

use crate::db::{DashboardScope, Database, ProvinceActor};
use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::report::quarter_asked;
use crate::AppState;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use chrono::NaiveDate;
use gocua_domain::api::Commune;
use gocua_domain::province::{quiet_window_start, CommuneProgress, ProvinceTotals, ProvinceView, ReportStanding};
use gocua_domain::report::Quarter;
use gocua_domain::search::collation_key;
use gocua_domain::submission::Standing;
use gocua_domain::time::today;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new().route("/province", get(view)).merge(invites::routes()).merge(report::routes())
}

#[derive(Deserialize)]
struct Asked {
    quarter: Option<String>,
}

async fn view(
    State(state): State<AppState>,
    official: ProvinceActor,
    ApiQuery(asked): ApiQuery<Asked>,
) -> Result<Json<ProvinceView>, ApiError> {
    let quarter = quarter_asked(asked.quarter.as_deref())?;
    let now = crate::clock::now();
    let today = today(now);
    let province = state
        .db
        .profile(official.user_id)
        .await?
        .province
        .ok_or_else(|| ApiError::Internal(format!("province account {} has no province", official.user_id)))?;
    let mut communes = Vec::new();
    for commune in state.db.province_communes(official.province_id).await? {
        communes.push(progress(&state.db, commune, quarter, today).await?);
    }
    communes.sort_by_cached_key(|progress| collation_key(&progress.commune.name));
    Ok(Json(ProvinceView {
        province,
        quarter: quarter.to_string(),
        label: quarter.label_vi(),
        due: quarter.report_due(),
        today,
        generated_at: now,
        totals: ProvinceTotals::of(&communes),
        communes,
    }))
}

/// One commune's figures: the quarter's up to today, and its last 30 days' activity.
async fn progress(
    db: &Database,
    commune: Commune,
    quarter: Quarter,
    today: NaiveDate,
) -> Result<CommuneProgress, ApiError> {
    let last_day = quarter.last_day().min(today).max(quarter.first_day());
    let in_quarter = DashboardScope::of_days(commune.id, None, quarter.first_day(), last_day);
    let recent = DashboardScope::of_days(commune.id, None, quiet_window_start(today), today);
    let (villages, totals, sessions, recent_volunteers, recent_sessions, submission) = tokio::try_join!(
        db.dashboard_villages(&in_quarter),
        db.dashboard_totals(&in_quarter),
        db.dashboard_community_sessions(&in_quarter),
        db.dashboard_volunteers(&recent),
        db.dashboard_community_sessions(&recent),
        db.report_submission(commune.id, quarter),
    )?;
    let active_volunteers = recent_volunteers.iter().filter(|volunteer| volunteer.doors > 0).count() as u32;
    let submitted_at = submission.map(|submission| submission.submitted_at);
    Ok(CommuneProgress {
        commune,
        households: villages.iter().map(|village| village.households).sum(),
        households_reached: villages.iter().map(|village| village.households_reached_ever).sum(),
        households_at_target: villages.iter().map(|village| village.households_at_target).sum(),
        people: totals.people,
        community_sessions: sessions.sessions,
        active_volunteers,
        quiet: active_volunteers == 0 && recent_sessions.sessions == 0,
        report: ReportStanding {
            standing: Standing::of(quarter, today, submitted_at.map(gocua_domain::time::today)),
            submitted_at,
        },
    })
}
