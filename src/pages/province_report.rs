//! The consolidated report on the province's screen: the quarter's reports of
//! its communes as submitted, beside their figures now, with the province's
//! totals in the plan's target groups and programmes, the due date and the
//! communes still missing — printable on one A4 page, or downloaded as Excel.

use crate::api;
use crate::components::PrintFooter;
use crate::i18n;
use crate::notebook::Notebook;
use crate::pages::remote::{change_failure, failure, signed_in, Problem};
use gocua_domain::province::{ConsolidatedReport, ReportLine};
use gocua_domain::time::format_date;
use gocua_domain::TargetGroup;
use leptos::prelude::*;

#[component]
pub fn ConsolidatedSection() -> impl IntoView {
    let notebook = expect_context::<Notebook>();
    let load = Action::new_local(move |_: &()| async move {
        let token = signed_in(notebook)?;
        api::consolidated_report(&token).await.map_err(|error| failure(&error))
    });
    let download = Action::new_local(move |_: &()| async move {
        let token = signed_in(notebook)?;
        let bytes = api::consolidated_report_xlsx(&token).await.map_err(|error| failure(&error))?;
        let name = format!("bao-cao-tong-hop-{}.xlsx", gocua_domain::time::today(chrono::Utc::now()).format("%Y%m%d"));
        let mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        crate::download::save(&bytes, mime, &name).map_err(|_| i18n::ERROR_UNEXPECTED_ANSWER.to_owned())?;
        Ok(i18n::export_saved(&name, None))
    });
    let problem = Signal::derive(move || change_failure(load).or_else(|| change_failure(download)));
    let saved = move || download.value().get().and_then(Result::ok);
    let report = move || load.value().get().and_then(Result::ok);
    view! {
        <section class="card consolidated" data-testid="consolidated">
            <h2 class="no-print">{i18n::CONSOLIDATED_TITLE}</h2>
            <p class="hint no-print">{i18n::CONSOLIDATED_EXPLAINED}</p>
            <div class="actions choices no-print">
                <button type="button" class="secondary" disabled=move || load.pending().get() on:click=move |_| { load.dispatch_local(()); }>
                    {i18n::CONSOLIDATED_SHOW}
                </button>
                <button type="button" class="secondary" disabled=move || download.pending().get() on:click=move |_| { download.dispatch_local(()); }>
                    {i18n::DOWNLOAD_XLSX}
                </button>
            </div>
            <Problem problem />
            <Show when=move || saved().is_some()>
                <p class="notice ok no-print" role="status">{saved}</p>
            </Show>
            {move || report().map(|report| view! { <ReportSheet report /> })}
        </section>
    }
}

/// The report as it prints: who submitted, each commune's figures as
/// submitted with today's beside them, and the province's totals.
#[component]
fn ReportSheet(report: ConsolidatedReport) -> impl IntoView {
    let missing = if report.not_submitted.is_empty() { i18n::NONE.to_owned() } else { report.not_submitted.join(", ") };
    let (submitted, live) = (report.submitted_total.clone(), report.live_total.clone());
    view! {
        <article class="report-sheet">
            <h2>{i18n::consolidated_heading(&report.label, &report.province.name)}</h2>
            <p>{i18n::report_due(&format_date(report.due))}</p>
            <p data-testid="not-submitted">{i18n::not_submitted(&missing)}</p>
            <p class="hint">{i18n::SUBMITTED_BESIDE_LIVE}</p>
            <table class="figures">
                <tr>
                    <th>{i18n::COMMUNE}</th><th>{i18n::REPORT_COLUMN}</th>
                    <th>{i18n::HOUSEHOLDS_REACHED}</th><th>{i18n::PEOPLE}</th>
                </tr>
                {report.communes.iter().map(|row| {
                    let figures = |read: fn(&ReportLine) -> u64| beside(row.submitted.as_ref().map(read), read(&row.live));
                    view! {
                        <tr>
                            <td>{row.commune.name.clone()}</td>
                            <td>{row.report.standing.label_vi()}</td>
                            <td>{figures(|line| u64::from(line.households_reached))}</td>
                            <td>{figures(|line| line.people.total())}</td>
                        </tr>
                    }
                }).collect_view()}
                <tr class="total">
                    <th scope="row" colspan="2">{i18n::TOTAL}</th>
                    <td>{beside(Some(u64::from(submitted.households_reached)), u64::from(live.households_reached))}</td>
                    <td>{beside(Some(submitted.people.total()), live.people.total())}</td>
                </tr>
            </table>
            <div class="report-parts">
                <section class="report-part">
                    <h3>{i18n::PEOPLE_BY_GROUP}</h3>
                    <table class="figures">
                        {TargetGroup::ALL.iter().map(|group| view! {
                            <tr><th scope="row">{group.label()}</th><td>{beside(Some(u64::from(submitted.people.get(*group))), u64::from(live.people.get(*group)))}</td></tr>
                        }).collect_view()}
                        <tr><th scope="row">{i18n::ELDERLY_AMONG_ADULTS}</th><td>{beside(Some(u64::from(submitted.people.elderly)), u64::from(live.people.elderly))}</td></tr>
                        <tr><th scope="row">{i18n::SESSIONS_HELD}</th><td>{beside(Some(u64::from(submitted.community_sessions)), u64::from(live.community_sessions))}</td></tr>
                    </table>
                </section>
                <section class="report-part">
                    <h3>{i18n::BY_PROGRAMME}</h3>
                    <table class="figures">
                        {submitted.programmes.iter().zip(&live.programmes).map(|(sent, now)| view! {
                            <tr><th scope="row">{sent.label.clone()}</th><td>{beside(Some(u64::from(sent.guided)), u64::from(now.guided))}</td></tr>
                        }).collect_view()}
                    </table>
                </section>
            </div>
            <PrintFooter generated_at=report.generated_at/>
        </article>
    }
}

/// A figure as submitted, with today's beside it when it differs ("—" when nothing was submitted).
fn beside(submitted: Option<u64>, live: u64) -> String {
    match submitted {
        Some(sent) if sent == live => sent.to_string(),
        Some(sent) => format!("{sent} ({live})"),
        None => format!("— ({live})"),
    }
}
