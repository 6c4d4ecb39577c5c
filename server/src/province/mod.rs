//! The province's view (`GET /api/v1/province`): a quarter's progress of each
//! of its communes, for its Department's account alone — figures, never a
//! household. What stands out (a quiet commune, a report missing) is decided
//! in `gocua_domain::province`. The Department also adds communes ([`communes`]),
//! invites their coordinators ([`invites`]) and consolidates their quarterly reports ([`report`]).

mod communes;
mod invites;
mod report;

use crate::db::quarter_figures::{CommuneActivity, CommuneQuarter};
use crate::db::ProvinceActor;
use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::report::{quarter_asked, QuarterAsked};
use crate::AppState;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use chrono::{DateTime, NaiveDate, Utc};
use gocua_domain::province::{quiet_window_start, CommuneProgress, ProvinceTotals, ProvinceView, ReportStanding};
use gocua_domain::report::Quarter;
use gocua_domain::search::collation_key;
use gocua_domain::submission::Standing;
use gocua_domain::time::today;
use std::collections::HashMap;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/province", get(view))
        .merge(communes::routes())
        .merge(invites::routes())
        .merge(report::routes())
}

async fn view(
    State(state): State<AppState>,
    official: ProvinceActor,
    ApiQuery(asked): ApiQuery<QuarterAsked>,
) -> Result<Json<ProvinceView>, ApiError> {
    let quarter = quarter_asked(asked.quarter.as_deref())?;
    let now = crate::clock::now();
    let today = today(now);
    let province = state.db.province(official.province_id).await?;
    let (figures, activity, submissions) = tokio::try_join!(
        state.db.province_quarter(official.province_id, quarter),
        state.db.province_activity(official.province_id, (quiet_window_start(today), today)),
        state.db.province_submissions(official.province_id, quarter),
    )?;
    let activity: HashMap<i64, CommuneActivity> = activity.into_iter().collect();
    let submitted: HashMap<i64, _> =
        submissions.into_iter().map(|(commune_id, submission)| (commune_id, submission.submitted_at)).collect();
    let mut communes: Vec<CommuneProgress> = figures
        .into_iter()
        .map(|figures| {
            let id = figures.commune.id;
            let recent = activity.get(&id).copied().unwrap_or_default();
            progress(figures, recent, quarter, today, submitted.get(&id).copied())
        })
        .collect();
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

/// One commune's progress: the quarter's figures (by its end, as logged so
/// far), and its activity of the last 30 days.
fn progress(
    figures: CommuneQuarter,
    recent: CommuneActivity,
    quarter: Quarter,
    today: NaiveDate,
    submitted_at: Option<DateTime<Utc>>,
) -> CommuneProgress {
    CommuneProgress {
        commune: figures.commune,
        households: figures.households,
        households_reached: figures.households_reached_ever,
        households_at_target: figures.households_at_target,
        people: figures.people,
        community_sessions: figures.community_sessions,
        active_volunteers: recent.active_volunteers,
        quiet: recent.active_volunteers == 0 && recent.sessions == 0,
        report: ReportStanding {
            standing: Standing::of(quarter, today, submitted_at.map(gocua_domain::time::today)),
            submitted_at,
        },
    }
}
