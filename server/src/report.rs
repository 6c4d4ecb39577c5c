//! The quarterly report the commune sends upward by the 10th of the
//! quarter's last month: figures per target group, per programme of the plan,
//! per village and per team, as JSON for the app's printable page and as XLSX.

use crate::access;
use crate::db::{Actor, DashboardScope, Database, StoredSubmission};
use crate::error::ApiError;
use crate::extract::{ApiQuery, JsonBody};
use crate::AppState;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use gocua_domain::api::Commune;
use gocua_domain::export::neutralise;
use gocua_domain::report::{programme_figures, Quarter, QuarterlyReport};
use gocua_domain::submission::{Standing, Submission, SubmissionStatus};
use gocua_domain::time::{format_date, today};
use gocua_domain::{PeopleGuided, TargetGroup};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/reports/quarterly", get(quarterly))
        .route("/reports/quarterly.xlsx", get(quarterly_xlsx))
        .route("/reports/quarterly/submission", get(submission).post(submit))
}

#[derive(Deserialize)]
struct Asked {
    quarter: Option<String>,
    team_id: Option<i64>,
}

/// The quarter asked for (`2026-Q4`), or this one.
pub fn quarter_asked(asked: Option<&str>) -> Result<Quarter, ApiError> {
    match asked {
        Some(raw) => {
            Quarter::parse(raw).ok_or_else(|| ApiError::BadRequest(format!("quý {raw:?}: hãy ghi như 2026-Q4")))
        }
        None => Ok(Quarter::of(today(crate::clock::now()))),
    }
}

async fn build(state: &AppState, actor: &Actor, asked: &Asked) -> Result<QuarterlyReport, ApiError> {
    let team_id = access::reporting_team_in_reach(&state.db, actor, asked.team_id).await?;
    let quarter = quarter_asked(asked.quarter.as_deref())?;
    compile(&state.db, &commune_of(state, actor).await?, team_id, quarter, crate::clock::now()).await
}

/// The actor's commune.
async fn commune_of(state: &AppState, actor: &Actor) -> Result<Commune, ApiError> {
    let commune = state.db.profile(actor.user_id).await?.commune;
    commune.ok_or_else(|| ApiError::Internal(format!("user {} has no commune", actor.user_id)))
}

/// The report of `commune` (of one team of it, when given) for `quarter`, as
/// its figures stand now, dated `compiled_at` (a submission's own time);
/// whoever asks has been checked already.
pub async fn compile(
    db: &Database,
    commune: &Commune,
    team_id: Option<i64>,
    quarter: Quarter,
    compiled_at: DateTime<Utc>,
) -> Result<QuarterlyReport, ApiError> {
    let (from, to) = (quarter.first_day(), quarter.last_day());
    let scope = DashboardScope::of_days(commune.id, team_id, from, to);
    let catalogue = db.catalogue(commune.id).await?;
    let skills = db.dashboard_skills(&scope).await?;
    let grouped = skills.iter().map(|skill| {
        let group = catalogue.skills.iter().find(|entry| entry.code == skill.code).map(|entry| entry.group);
        (group, skill.guided, skill.completed)
    });
    let programmes = programme_figures(grouped);
    Ok(QuarterlyReport {
        quarter: quarter.to_string(),
        label: quarter.label_vi(),
        from,
        to,
        due: quarter.report_due(),
        commune: commune.name.clone(),
        generated_at: compiled_at,
        totals: db.dashboard_totals(&scope).await?,
        programmes,
        villages: db.dashboard_villages(&scope).await?,
        teams: db.dashboard_teams(&scope).await?,
        community_sessions: db.dashboard_community_sessions(&scope).await?,
    })
}

async fn quarterly(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(asked): ApiQuery<Asked>,
) -> Result<Json<QuarterlyReport>, ApiError> {
    Ok(Json(build(&state, &actor, &asked).await?))
}

async fn quarterly_xlsx(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(asked): ApiQuery<Asked>,
) -> Result<Response, ApiError> {
    let report = build(&state, &actor, &asked).await?;
    state.db.audit(&actor, "export.report", &format!("report:{}", report.quarter), "xlsx").await?;
    let bytes = tokio::task::spawn_blocking(move || workbook(&report).map(|bytes| (bytes, report.quarter)))
        .await
        .map_err(|error| ApiError::Internal(error.to_string()))?
        .map_err(|error| ApiError::Internal(error.to_string()))?;
    let (bytes, quarter) = bytes;
    let headers = [
        (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned()),
        (header::CONTENT_DISPOSITION, format!("attachment; filename=\"bao-cao-{quarter}.xlsx\"")),
        (header::CACHE_CONTROL, "no-store".to_owned()),
    ];
    Ok((headers, bytes).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuarterAsked {
    pub quarter: Option<String>,
}

/// The commune's report of a quarter as it was submitted upward, and where it stands.
async fn submission(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(asked): ApiQuery<QuarterAsked>,
) -> Result<Json<SubmissionStatus>, ApiError> {
    access::coordinator(&actor)?;
    let quarter = quarter_asked(asked.quarter.as_deref())?;
    let stored = state.db.report_submission(actor.commune_id, quarter).await?;
    Ok(Json(status_of(quarter, stored)?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SubmitBody {
    quarter: String,
}

/// Submits the commune's report of a quarter as it stands now (the whole
/// commune's, every team): kept as it is, whatever is logged later.
async fn submit(
    State(state): State<AppState>,
    actor: Actor,
    body: JsonBody,
) -> Result<Json<SubmissionStatus>, ApiError> {
    access::coordinator(&actor)?;
    let body: SubmitBody = body.parse()?;
    let quarter = quarter_asked(Some(&body.quarter))?;
    // Taken before compiling: of two coordinators submitting at once, the later compile is kept.
    let compiled_at = crate::clock::now();
    let report = compile(&state.db, &commune_of(&state, &actor).await?, None, quarter, compiled_at).await?;
    let report = serde_json::to_string(&report).map_err(|error| ApiError::Internal(error.to_string()))?;
    let stored = state.db.submit_report(&actor, quarter, &report, compiled_at).await?.map_err(ApiError::Submission)?;
    Ok(Json(status_of(quarter, Some(stored))?))
}

pub fn status_of(quarter: Quarter, stored: Option<StoredSubmission>) -> Result<SubmissionStatus, ApiError> {
    let submission = stored
        .map(|stored| -> Result<Submission, ApiError> {
            Ok(Submission {
                submitted_at: stored.submitted_at,
                submitted_by: stored.submitted_by,
                times: stored.times,
                report: serde_json::from_str(&stored.report)
                    .map_err(|error| ApiError::Internal(format!("a submitted report: {error}")))?,
            })
        })
        .transpose()?;
    let submitted_on = submission.as_ref().map(|submission| today(submission.submitted_at));
    Ok(SubmissionStatus {
        quarter: quarter.to_string(),
        due: quarter.report_due(),
        standing: Standing::of(quarter, today(crate::clock::now()), submitted_on),
        submission,
    })
}

/// A table's rows: a label and its figures.
type Rows = Vec<(String, Vec<u32>)>;

/// The report as one sheet: a heading, then a small table per section.
fn workbook(report: &QuarterlyReport) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let totals = &report.totals;
    let per_group = |people: &PeopleGuided| -> Rows {
        TargetGroup::ALL
            .iter()
            .map(|group| (group.label().to_owned(), vec![people.get(*group)]))
            .chain(std::iter::once(("Trong đó người cao tuổi".to_owned(), vec![people.elderly])))
            .collect()
    };
    let sessions = &report.community_sessions;
    let at_target: u32 = report.villages.iter().map(|v| v.households_at_target).sum();
    let sections: Vec<(&str, Rows)> = vec![
        (
            "Tổng hợp",
            vec![
                ("Số nhà đã gõ cửa".into(), vec![totals.doors]),
                ("Hộ đã đến trong quý".into(), vec![totals.households_reached]),
                ("Hộ được hướng dẫn".into(), vec![totals.households_guided]),
                ("Hộ đạt mục tiêu (có người dùng được 5 kỹ năng số cơ bản)".into(), vec![at_target]),
            ],
        ),
        ("Người được hướng dẫn tại hộ, theo nhóm đối tượng", per_group(&totals.people)),
        (
            "Theo chương trình của kế hoạch (lượt hướng dẫn / hoàn thành)",
            report.programmes.iter().map(|p| (p.label.clone(), vec![p.guided, p.completed])).collect(),
        ),
        (
            "Theo thôn (số nhà gõ cửa trong quý / hộ đã đến từ đầu đến hết quý / tổng số hộ / hộ đạt mục tiêu)",
            report
                .villages
                .iter()
                .map(|v| {
                    (v.name.clone(), vec![v.doors, v.households_reached_ever, v.households, v.households_at_target])
                })
                .collect(),
        ),
        (
            "Theo tổ (số nhà gõ cửa / hộ được hướng dẫn / số người)",
            report.teams.iter().map(|t| (t.name.clone(), vec![t.doors, t.households_guided, t.people])).collect(),
        ),
        (
            "Buổi học cộng đồng (tính riêng, không tính là hộ)",
            std::iter::once(("Số buổi học".to_owned(), vec![sessions.sessions]))
                .chain(per_group(&sessions.attendees))
                .collect(),
        ),
        (
            "Buổi học cộng đồng theo thôn (số buổi / số người tham dự)",
            sessions.villages.iter().map(|v| (v.name.clone(), vec![v.sessions, v.attendees])).collect(),
        ),
    ];
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Báo cáo quý")?;
    sheet.set_column_width(0, 48)?;
    sheet.write_string_with_format(0, 0, format!("Báo cáo {} – xã {}", report.label, report.commune), &bold)?;
    sheet.write_string(1, 0, format!("Từ {} đến {}", format_date(report.from), format_date(report.to)))?;
    sheet.write_string(2, 0, format!("Hạn gửi báo cáo: {}", format_date(report.due)))?;
    let mut line = 3u32;
    for (title, rows) in sections {
        line += 1;
        sheet.write_string_with_format(line, 0, title, &bold)?;
        line += 1;
        for (label, figures) in rows {
            // Village and team names are typed by people: neutralised like every exported cell.
            sheet.write_string(line, 0, neutralise(&label).as_ref())?;
            for (column, figure) in figures.into_iter().enumerate() {
                sheet.write_number(line, column as u16 + 1, figure)?;
            }
            line += 1;
        }
    }
    workbook.save_to_buffer()
}
