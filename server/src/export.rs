//! Exports of the visit log, as CSV (UTF-8 with a BOM, so Excel reads
//! Vietnamese) and XLSX, for a leader (their team) or a coordinator (the
//! commune), filtered by period, village, team and volunteer. Both stream:
//! rows flow from the database to the file without being held together.
//! Every export is written to the audit log.

use crate::access;
use crate::db::{Actor, Database, DbResult, VisitLogFilter};
use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::AppState;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use chrono::{Duration, NaiveDate};
use futures_util::StreamExt;
use gocua_domain::export::{Cell, VisitLogRow, HEADERS};
use gocua_domain::time::{start_of_day, vietnam};
use gocua_domain::Catalogue;
use serde::Deserialize;
use tokio::sync::mpsc;

/// Rows in flight between the database and the writer: the bound that keeps memory constant.
const ROWS_IN_FLIGHT: usize = 512;
/// Rows written per chunk of the CSV body.
const ROWS_PER_CHUNK: usize = 256;
/// Deflate level of the XLSX file (1 fastest, 9 smallest; the library's default is 6).
const XLSX_COMPRESSION: u8 = 1;

pub fn routes() -> Router<AppState> {
    Router::new().route("/exports/visits.csv", get(csv)).route("/exports/visits.xlsx", get(xlsx))
}

/// `?from=2026-03-01&to=2026-03-31&village_id=1&team_id=1&author_id=3`; all optional.
#[derive(Debug, Deserialize)]
struct Filters {
    #[serde(default, deserialize_with = "gocua_domain::input::optional_reportable_day")]
    from: Option<NaiveDate>,
    #[serde(default, deserialize_with = "gocua_domain::input::optional_reportable_day")]
    to: Option<NaiveDate>,
    village_id: Option<i64>,
    team_id: Option<i64>,
    author_id: Option<i64>,
}

impl Filters {
    /// The filters asked for, as the audit log shows them: ` · from 2026-03-01 · team 2`.
    fn described(&self) -> String {
        let days = [("từ", self.from), ("đến", self.to)];
        let days = days.into_iter().filter_map(|(name, day)| Some(format!(" · {name} {}", day?)));
        let ids = [("tổ", self.team_id), ("thôn", self.village_id), ("người ghi", self.author_id)];
        let ids = ids.into_iter().filter_map(|(name, id)| Some(format!(" · {name} {}", id?)));
        days.chain(ids).collect()
    }
}

/// The filter within the user's reach: a leader's team only; volunteers
/// export nothing. A team, village or volunteer the commune does not have is 404.
async fn scoped(db: &Database, actor: &Actor, filters: &Filters) -> Result<VisitLogFilter, ApiError> {
    let team_id = access::reporting_team_in_reach(db, actor, filters.team_id).await?;
    if let Some(village_id) = filters.village_id {
        if !db.village_ids(actor.commune_id).await?.contains(&village_id) {
            return Err(ApiError::NotFound);
        }
    }
    if let Some(author_id) = filters.author_id {
        if db.account(actor.commune_id, author_id).await?.is_none() {
            return Err(ApiError::NotFound);
        }
    }
    if let (Some(from), Some(to)) = (filters.from, filters.to) {
        if to < from {
            return Err(ApiError::BadRequest("ngày kết thúc (to) phải không trước ngày bắt đầu (from)".into()));
        }
    }
    // Days are Vietnam's: a visit at 23:30 local time belongs to that day.
    Ok(VisitLogFilter {
        commune_id: actor.commune_id,
        team_id,
        from: filters.from.map(start_of_day),
        until: filters.to.map(|day| start_of_day(day + Duration::days(1))),
        village_id: filters.village_id,
        author_id: filters.author_id,
    })
}

/// Starts reading the log in the background; rows arrive on the receiver.
async fn start(
    state: &AppState,
    actor: &Actor,
    filters: &Filters,
    format: &str,
) -> Result<(mpsc::Receiver<DbResult<VisitLogRow>>, Catalogue), ApiError> {
    let filter = scoped(&state.db, actor, filters).await?;
    let catalogue = state.db.catalogue(actor.commune_id).await?;
    let detail = format!("{format}{}", filters.described());
    state.db.audit(actor, "export.visits", "visits", &detail).await?;
    let (sender, receiver) = mpsc::channel(ROWS_IN_FLIGHT);
    let db = state.db.clone();
    tokio::spawn(async move {
        if let Err(error) = db.stream_visit_log(&filter, sender.clone()).await {
            let _ = sender.send(Err(error)).await;
        }
    });
    Ok((receiver, catalogue))
}

fn file_name(extension: &str) -> String {
    format!(
        "attachment; filename=\"luot-tham-{}.{extension}\"",
        crate::clock::now().with_timezone(&vietnam()).format("%Y%m%d")
    )
}

async fn csv(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(filters): ApiQuery<Filters>,
) -> Result<Response, ApiError> {
    let (rows, catalogue) = start(&state, &actor, &filters, "csv").await?;
    let mut head = b"\xEF\xBB\xBF".to_vec();
    head.extend(csv_bytes(|writer| writer.write_record(HEADERS)).map_err(|e| ApiError::Internal(e.to_string()))?);
    let body = futures_util::stream::once(async move { Ok::<_, std::io::Error>(Bytes::from(head)) })
        .chain(futures_util::stream::unfold((rows, catalogue), csv_chunk));
    let headers = [
        (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
        (header::CONTENT_DISPOSITION, file_name("csv")),
        (header::CACHE_CONTROL, "no-store".to_owned()),
    ];
    Ok((headers, Body::from_stream(body)).into_response())
}

type CsvState = (mpsc::Receiver<DbResult<VisitLogRow>>, Catalogue);

/// CSV text written by `write`, quoted as RFC 4180.
fn csv_bytes(write: impl FnOnce(&mut csv::Writer<Vec<u8>>) -> csv::Result<()>) -> csv::Result<Vec<u8>> {
    let mut writer = csv::Writer::from_writer(Vec::with_capacity(64 * 1024));
    write(&mut writer)?;
    writer.into_inner().map_err(|error| error.into_error().into())
}

/// The next chunk of CSV: up to [`ROWS_PER_CHUNK`] rows, or the end.
async fn csv_chunk((mut rows, catalogue): CsvState) -> Option<(std::io::Result<Bytes>, CsvState)> {
    let mut batch = Vec::with_capacity(ROWS_PER_CHUNK);
    while batch.len() < ROWS_PER_CHUNK {
        match rows.recv().await {
            Some(Ok(row)) => batch.push(row),
            // A failure half-way cuts the download: the file is visibly incomplete, never silently short.
            Some(Err(error)) => {
                tracing::error!(%error, "export failed");
                return Some((Err(std::io::Error::other(error.to_string())), (rows, catalogue)));
            }
            None => break,
        }
    }
    if batch.is_empty() {
        return None;
    }
    let written = csv_bytes(|writer| {
        batch.iter().try_for_each(|row| {
            writer.write_record(row.cells(&catalogue).iter().map(|cell| cell.to_text().into_owned()))
        })
    });
    Some((written.map(Bytes::from).map_err(std::io::Error::other), (rows, catalogue)))
}

async fn xlsx(
    State(state): State<AppState>,
    actor: Actor,
    ApiQuery(filters): ApiQuery<Filters>,
) -> Result<Response, ApiError> {
    let (rows, catalogue) = start(&state, &actor, &filters, "xlsx").await?;
    // rust_xlsxwriter is synchronous: it writes on a blocking thread, a row at a time,
    // in constant-memory mode, to a temporary file sent once the workbook is closed.
    let file = tokio::task::spawn_blocking(move || write_workbook(rows, &catalogue))
        .await
        .map_err(|error| ApiError::Internal(error.to_string()))?
        .map_err(ApiError::Internal)?;
    let reader = tokio::fs::File::open(file.path()).await.map_err(|error| ApiError::Internal(error.to_string()))?;
    let body = futures_util::stream::unfold((reader, file), |(mut reader, file)| async move {
        use tokio::io::AsyncReadExt;
        let mut chunk = vec![0u8; 64 * 1024];
        match reader.read(&mut chunk).await {
            Ok(0) => None,
            Ok(read) => {
                chunk.truncate(read);
                Some((Ok(Bytes::from(chunk)), (reader, file)))
            }
            Err(error) => Some((Err(error), (reader, file))),
        }
    });
    let headers = [
        (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned()),
        (header::CONTENT_DISPOSITION, file_name("xlsx")),
        (header::CACHE_CONTROL, "no-store".to_owned()),
    ];
    Ok((headers, Body::from_stream(body)).into_response())
}

fn write_workbook(
    mut rows: mpsc::Receiver<DbResult<VisitLogRow>>,
    catalogue: &Catalogue,
) -> Result<tempfile::NamedTempFile, String> {
    use rust_xlsxwriter::{Format, Workbook};
    let failed = |error: rust_xlsxwriter::XlsxError| error.to_string();
    let mut workbook = Workbook::new();
    // Saving deflates the whole sheet in one go after the last row: at level 1 that
    // takes a third of the default's time (docs/benchmarks.md), for a file still
    // a third of the CSV's size.
    workbook.set_zip_compression_level(XLSX_COMPRESSION);
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let sheet = workbook.add_worksheet_with_constant_memory().map_err(failed)?;
    sheet.set_name("Lượt thăm").map_err(failed)?;
    for (column, title) in HEADERS.iter().enumerate() {
        sheet.write_string_with_format(0, column as u16, *title, &bold).map_err(failed)?;
    }
    let mut line: u32 = 1;
    while let Some(row) = rows.blocking_recv() {
        let row = row.map_err(|error| error.to_string())?;
        for (column, cell) in row.cells(catalogue).into_iter().enumerate() {
            let column = column as u16;
            match cell {
                Cell::Text(text) => sheet.write_string(line, column, text).map(|_| ()),
                Cell::Number(number) => sheet.write_number(line, column, number).map(|_| ()),
                Cell::Date(day) => sheet.write_date_with_format(line, column, day, &date).map(|_| ()),
            }
            .map_err(failed)?;
        }
        line += 1;
    }
    let file = tempfile::NamedTempFile::new().map_err(|error| error.to_string())?;
    workbook.save(file.path()).map_err(failed)?;
    Ok(file)
}
