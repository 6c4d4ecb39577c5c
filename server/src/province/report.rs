//! The consolidated report (`GET /api/v1/province/report`, `.xlsx`): a
//! quarter's reports of the province's communes as they were submitted,
//! beside their figures as they stand now, with the province's totals of
//! both and the communes still missing — so nobody above retypes a commune's
//! spreadsheet.

use crate::db::quarter_figures::CommuneQuarter;
use crate::db::{ProvinceActor, StoredSubmission};
use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::report::{quarter_asked, QuarterAsked};
use crate::AppState;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use gocua_domain::api::Commune;
use gocua_domain::catalogue::SkillGroup;
use gocua_domain::export::neutralise;
use gocua_domain::province::{ConsolidatedReport, ConsolidatedRow, ReportLine, ReportStanding};
use gocua_domain::report::{programme_figures, Programme, Quarter, QuarterlyReport};
use gocua_domain::search::collation_key;
use gocua_domain::submission::Standing;
use gocua_domain::time::{format_date, format_local, today};
use gocua_domain::TargetGroup;
use std::collections::HashMap;

pub fn routes() -> Router<AppState> {
    Router::new().route("/province/report", get(json)).route("/province/report.xlsx", get(xlsx))
}

async fn json(
    State(state): State<AppState>,
    official: ProvinceActor,
    ApiQuery(asked): ApiQuery<QuarterAsked>,
) -> Result<Json<ConsolidatedReport>, ApiError> {
    let quarter = quarter_asked(asked.quarter.as_deref())?;
    Ok(Json(consolidate(&state, &official, quarter).await?))
}

async fn xlsx(
    State(state): State<AppState>,
    official: ProvinceActor,
    ApiQuery(asked): ApiQuery<QuarterAsked>,
) -> Result<Response, ApiError> {
    let quarter = quarter_asked(asked.quarter.as_deref())?;
    let report = consolidate(&state, &official, quarter).await?;
    let bytes = tokio::task::spawn_blocking(move || workbook(&report))
        .await
        .map_err(|error| ApiError::Internal(error.to_string()))?
        .map_err(|error| ApiError::Internal(error.to_string()))?;
    let headers = [
        (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned()),
        (header::CONTENT_DISPOSITION, format!("attachment; filename=\"bao-cao-tong-hop-{quarter}.xlsx\"")),
        (header::CACHE_CONTROL, "no-store".to_owned()),
    ];
    Ok((headers, bytes).into_response())
}

/// Each commune's report of `quarter`: as submitted (if it was) and as it
/// stands now, from the kept quarter figures of the whole province at once.
async fn consolidate(
    state: &AppState,
    official: &ProvinceActor,
    quarter: Quarter,
) -> Result<ConsolidatedReport, ApiError> {
    let province_id = official.province_id;
    let (province, figures, skills, submissions) = tokio::try_join!(
        state.db.province(province_id),
        state.db.province_quarter(province_id, quarter),
        state.db.province_skills(province_id, quarter),
        state.db.province_submissions(province_id, quarter),
    )?;
    let today = today(crate::clock::now());
    let mut skills_of: HashMap<i64, Vec<(Option<SkillGroup>, u32, u32)>> = HashMap::new();
    for skill in skills {
        skills_of.entry(skill.commune_id).or_default().push((skill.group, skill.guided, skill.completed));
    }
    let mut submitted: HashMap<i64, StoredSubmission> = submissions.into_iter().collect();
    let mut communes: Vec<ConsolidatedRow> = figures
        .into_iter()
        .map(|figures| {
            let stored = submitted.remove(&figures.commune.id);
            let submitted_at = stored.as_ref().map(|stored| stored.submitted_at);
            ConsolidatedRow {
                report: ReportStanding {
                    standing: Standing::of(quarter, today, submitted_at.map(gocua_domain::time::today)),
                    submitted_at,
                },
                submitted: stored.and_then(|stored| as_submitted(&figures.commune, &stored)),
                live: live_line(&figures, skills_of.remove(&figures.commune.id).unwrap_or_default()),
                commune: figures.commune,
            }
        })
        .collect();
    communes.sort_by_cached_key(|row| collation_key(&row.commune.name));
    Ok(ConsolidatedReport {
        province,
        quarter: quarter.to_string(),
        label: quarter.label_vi(),
        due: quarter.report_due(),
        generated_at: crate::clock::now(),
        submitted_total: ReportLine::total(communes.iter().filter_map(|row| row.submitted.as_ref())),
        live_total: ReportLine::total(communes.iter().map(|row| &row.live)),
        not_submitted: communes
            .iter()
            .filter(|row| row.report.submitted_at.is_none())
            .map(|row| row.commune.name.clone())
            .collect(),
        communes,
    })
}

/// The figures of a commune's submitted report; none, and the fault logged,
/// when it cannot be read back — the rest of the province's report still answers.
fn as_submitted(commune: &Commune, stored: &StoredSubmission) -> Option<ReportLine> {
    match serde_json::from_str::<QuarterlyReport>(&stored.report) {
        Ok(report) => Some(ReportLine::of(&report)),
        Err(error) => {
            tracing::error!(commune = commune.id, %error, "a submitted report that does not read back");
            None
        }
    }
}

/// A commune's quarter as it stands now, in the consolidated report's terms
/// (what [`ReportLine::of`] reads from its quarterly report).
fn live_line(figures: &CommuneQuarter, skills: Vec<(Option<SkillGroup>, u32, u32)>) -> ReportLine {
    ReportLine {
        doors: figures.doors,
        households_reached: figures.households_reached,
        households_guided: figures.households_guided,
        households_at_target: figures.households_at_target,
        people: figures.people,
        programmes: programme_figures(skills),
        community_sessions: figures.community_sessions,
        attendees: figures.attendees,
    }
}

/// A column of figures: its heading, and how a line gives it.
type Column = (String, Box<dyn Fn(&ReportLine) -> u32 + Send>);

/// The columns after the commune's, in the plan's terms: households, the four
/// target groups (the elderly apart), community sessions, the programmes.
fn columns() -> Vec<Column> {
    let mut columns: Vec<Column> = vec![
        ("Số nhà đã gõ cửa".into(), Box::new(|line: &ReportLine| line.doors)),
        ("Hộ đã đến trong quý".into(), Box::new(|line: &ReportLine| line.households_reached)),
        ("Hộ được hướng dẫn".into(), Box::new(|line: &ReportLine| line.households_guided)),
        ("Hộ đạt mục tiêu 5 kỹ năng".into(), Box::new(|line: &ReportLine| line.households_at_target)),
    ];
    for group in TargetGroup::ALL {
        let heading = format!("Người được hướng dẫn: {}", group.label());
        columns.push((heading, Box::new(move |line: &ReportLine| line.people.get(group))));
    }
    columns.push(("Trong đó người cao tuổi".into(), Box::new(|line: &ReportLine| line.people.elderly)));
    columns.push(("Số buổi học cộng đồng".into(), Box::new(|line: &ReportLine| line.community_sessions)));
    let attendees = |line: &ReportLine| u32::try_from(line.attendees.total()).unwrap_or(u32::MAX);
    columns.push(("Người dự buổi học".into(), Box::new(attendees)));
    for programme in Programme::ALL {
        let of = move |line: &ReportLine| line.programmes.iter().find(|p| p.programme == programme).cloned();
        let heading = format!("{} (lượt hướng dẫn)", programme.label_vi());
        columns.push((heading, Box::new(move |line: &ReportLine| of(line).map_or(0, |p| p.guided))));
        let heading = format!("{} (hoàn thành)", programme.label_vi());
        columns.push((heading, Box::new(move |line: &ReportLine| of(line).map_or(0, |p| p.completed))));
    }
    columns
}

/// Two sheets: the reports as submitted (a commune that sent none left blank),
/// and every commune's figures as they stand now; each with the province's total.
fn workbook(report: &ConsolidatedReport) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let bold = Format::new().set_bold();
    let columns = columns();
    let mut workbook = Workbook::new();
    for (name, live) in [("Báo cáo đã nộp", false), ("Số liệu hiện tại", true)] {
        let sheet = workbook.add_worksheet();
        sheet.set_name(name)?;
        sheet.set_column_width(0, 28)?;
        let title = format!("Báo cáo tổng hợp {} – {} ({})", report.label, report.province.name, name.to_lowercase());
        sheet.write_string_with_format(0, 0, neutralise(&title).as_ref(), &bold)?;
        sheet.write_string(1, 0, format!("Hạn các xã gửi báo cáo: {}", format_date(report.due)))?;
        let missing =
            if report.not_submitted.is_empty() { "không".to_owned() } else { report.not_submitted.join(", ") };
        sheet.write_string(2, 0, neutralise(&format!("Xã chưa nộp: {missing}")).as_ref())?;
        sheet.write_string(3, 0, format!("Số liệu lúc {}", format_local(report.generated_at)))?;
        let header = 5u32;
        let headings =
            ["Xã", "Báo cáo", "Nộp lúc"].into_iter().chain(columns.iter().map(|(heading, _)| heading.as_str()));
        for (column, heading) in headings.enumerate() {
            sheet.write_string_with_format(header, column as u16, heading, &bold)?;
        }
        let mut row = header + 1;
        for commune in &report.communes {
            // Names are typed by people: neutralised like every exported cell.
            sheet.write_string(row, 0, neutralise(&commune.commune.name).as_ref())?;
            sheet.write_string(row, 1, commune.report.standing.label_vi())?;
            if let Some(at) = commune.report.submitted_at {
                sheet.write_string(row, 2, format_local(at))?;
            }
            let line = if live { Some(&commune.live) } else { commune.submitted.as_ref() };
            if let Some(line) = line {
                write_figures(sheet, row, &columns, line)?;
            }
            row += 1;
        }
        sheet.write_string_with_format(row, 0, "Tổng cộng", &bold)?;
        write_figures(sheet, row, &columns, if live { &report.live_total } else { &report.submitted_total })?;
    }
    workbook.save_to_buffer()
}

/// `line`'s figures in `row`, after the commune's three columns.
fn write_figures(
    sheet: &mut rust_xlsxwriter::Worksheet,
    row: u32,
    columns: &[Column],
    line: &ReportLine,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    for (offset, (_, figure)) in columns.iter().enumerate() {
        sheet.write_number(row, 3 + offset as u16, f64::from(figure(line)))?;
    }
    Ok(())
}
