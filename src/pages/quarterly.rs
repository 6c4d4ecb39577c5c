//! The quarterly report on the reports screen: chosen by quarter, shown with
//! its due date, printable on one A4 page (style/main.css has the print
//! rules) and downloadable as Excel.

use crate::api;
use crate::components::PrintFooter;
use crate::i18n;
use crate::notebook::Notebook;
use crate::pages::dashboard::PeopleTable;
use crate::pages::remote::{change_failure, failure, signed_in, Problem};
use chrono::Utc;
use gocua_domain::api::Role;
use gocua_domain::report::{Quarter, QuarterlyReport};
use gocua_domain::submission::{may_submit, SubmissionStatus};
use gocua_domain::time::{format_date, format_local, today};
use gocua_domain::TargetGroup;
use leptos::prelude::*;

/// Quarters offered: this one and the three before.
const QUARTERS_OFFERED: u32 = 4;

fn recent_quarters() -> Vec<Quarter> {
    let mut quarter = Quarter::of(today(Utc::now()));
    let mut quarters = Vec::new();
    for _ in 0..QUARTERS_OFFERED {
        quarters.push(quarter);
        quarter = if quarter.number == 1 {
            Quarter { year: quarter.year - 1, number: 4 }
        } else {
            Quarter { year: quarter.year, number: quarter.number - 1 }
        };
    }
    quarters
}

#[component]
pub fn QuarterlySection() -> impl IntoView {
    let notebook = expect_context::<Notebook>();
    let coordinator =
        notebook.session.with_untracked(|s| s.as_ref().map(|s| s.profile.role)) == Some(Role::Coordinator);
    let quarters = recent_quarters();
    let chosen = RwSignal::new(quarters[0].to_string());
    let show = Action::new_local(move |quarter: &String| {
        let quarter = quarter.clone();
        async move {
            let token = signed_in(notebook)?;
            api::quarterly_report(&token, &quarter).await.map_err(|error| failure(&error))
        }
    });
    let download = Action::new_local(move |quarter: &String| {
        let quarter = quarter.clone();
        async move {
            let token = signed_in(notebook)?;
            let bytes = api::quarterly_report_xlsx(&token, &quarter).await.map_err(|error| failure(&error))?;
            let mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
            crate::download::save(&bytes, mime, &format!("bao-cao-{quarter}.xlsx"))
                .map_err(|_| i18n::ERROR_UNEXPECTED_ANSWER.to_owned())
        }
    });
    let report = move || show.value().get().and_then(Result::ok);
    let problem = Signal::derive(move || change_failure(show).or_else(|| change_failure(download)));
    view! {
        <section class="card quarterly" data-testid="quarterly">
            <h2 class="no-print">{i18n::QUARTERLY_TITLE}</h2>
            <div class="no-print">
                <label for="quarter">{i18n::QUARTER}</label>
                <select id="quarter" on:change=move |ev| chosen.set(event_target_value(&ev))>
                    {quarters.iter().map(|q| view! { <option value=q.to_string()>{q.label_vi()}</option> }).collect_view()}
                </select>
                <div class="actions choices">
                    <button type="button" class="secondary" disabled=move || show.pending().get()
                        on:click=move |_| { show.dispatch_local(chosen.get_untracked()); }>{i18n::SHOW_REPORT}</button>
                    <button type="button" class="secondary" disabled=move || download.pending().get()
                        on:click=move |_| { download.dispatch_local(chosen.get_untracked()); }>{i18n::DOWNLOAD_REPORT_XLSX}</button>
                </div>
            </div>
            <Problem problem />
            {coordinator.then(|| view! { <SubmissionPanel quarter=chosen /> })}
            {move || report().map(|report| view! { <ReportSheet report /> })}
        </section>
    }
}

/// A coordinator sends the chosen quarter's report upward: where it stands,
/// and the button (the report is kept as it is when sent; until the due date
/// it may be sent again).
#[component]
fn SubmissionPanel(quarter: RwSignal<String>) -> impl IntoView {
    let notebook = expect_context::<Notebook>();
    let current = quarter;
    let status = RwSignal::new(None::<SubmissionStatus>);
    let load = Action::new_local(move |quarter: &String| {
        let quarter = quarter.clone();
        async move {
            let token = signed_in(notebook)?;
            let found = api::report_submission(&token, &quarter).await.map_err(|error| failure(&error))?;
            // An answer for a quarter no longer chosen (a slow one, overtaken),
            // or come after the coordinator left the page, is dropped.
            if current.try_get_untracked().is_some_and(|chosen| chosen == found.quarter) {
                status.set(Some(found));
            }
            Ok::<(), String>(())
        }
    });
    let submit = Action::new_local(move |quarter: &String| {
        let quarter = quarter.clone();
        async move {
            let token = signed_in(notebook)?;
            let sent = api::submit_report(&token, &quarter).await.map_err(|error| failure(&error))?;
            status.set(Some(sent));
            Ok::<(), String>(())
        }
    });
    // Follows the quarter chosen above.
    Effect::new(move |_| {
        load.dispatch_local(quarter.get());
    });
    let shown = move || status.get().filter(|found| found.quarter == quarter.get());
    let sent_before = move || shown().is_some_and(|found| found.submission.is_some());
    // Sent, and past its due date: what was sent stands, there is nothing to press.
    let closed = move || {
        shown().is_some_and(|found| {
            Quarter::parse(&found.quarter)
                .is_some_and(|asked| may_submit(asked, today(Utc::now()), found.submission.is_some()).is_err())
        })
    };
    let problem = Signal::derive(move || change_failure(load).or_else(|| change_failure(submit)));
    view! {
        <div class="submission no-print" data-testid="submission">
            {move || shown().map(|found| {
                let sent = found.submission.map(|sent| {
                    i18n::report_submitted(&format_local(sent.submitted_at), &sent.submitted_by, sent.times)
                });
                view! {
                    <p data-testid="submission-standing"><strong>{found.standing.label_vi()}</strong></p>
                    {sent.map(|line| view! { <p data-testid="submission-sent">{line}</p> })}
                }
            })}
            <Show when=move || !closed() fallback=|| view! { <p class="hint">{i18n::REPORT_CLOSED}</p> }>
                <button type="button" class="primary" data-testid="submit-report" disabled=move || submit.pending().get()
                    on:click=move |_| {
                        if window().confirm_with_message(i18n::CONFIRM_SUBMIT_REPORT).unwrap_or(false) {
                            submit.dispatch_local(quarter.get_untracked());
                        }
                    }>{move || if sent_before() { i18n::RESUBMIT_REPORT } else { i18n::SUBMIT_REPORT }}</button>
            </Show>
            <Problem problem />
        </div>
    }
}

#[component]
fn ReportSheet(report: QuarterlyReport) -> impl IntoView {
    let totals = report.totals.clone();
    let at_target: u32 = report.villages.iter().map(|v| v.households_at_target).sum();
    let sessions = report.community_sessions.clone();
    view! {
        <article class="report-sheet">
            <h2>{i18n::report_heading(&report.label, &report.commune)}</h2>
            <p>{i18n::report_period(&format_date(report.from), &format_date(report.to))}</p>
            <p class="report-due" data-testid="report-due"><strong>{i18n::report_due(&format_date(report.due))}</strong></p>
            <div class="report-parts">
                <section class="report-part">
                    <table class="figures">
                        <tr><th scope="row">{i18n::DOORS_KNOCKED}</th><td>{totals.doors}</td></tr>
                        <tr><th scope="row">{i18n::HOUSEHOLDS_REACHED_IN_QUARTER}</th><td>{totals.households_reached}</td></tr>
                        <tr><th scope="row">{i18n::HOUSEHOLDS_GUIDED}</th><td>{totals.households_guided}</td></tr>
                        <tr><th scope="row">{i18n::HOUSEHOLDS_AT_TARGET}</th><td>{at_target}</td></tr>
                    </table>
                </section>
                <section class="report-part">
                    <h3>{i18n::PEOPLE_BY_GROUP}</h3>
                    <PeopleTable people=totals.people />
                </section>
                <section class="report-part">
                    <h3>{i18n::BY_PROGRAMME}</h3>
                    <table class="figures">
                        <tr><th>{i18n::PROGRAMME}</th><th>{i18n::GUIDED}</th><th>{i18n::COMPLETED}</th></tr>
                        {report.programmes.iter().map(|p| view! { <tr><td>{p.label.clone()}</td><td>{p.guided}</td><td>{p.completed}</td></tr> }).collect_view()}
                    </table>
                </section>
                <section class="report-part">
                    <h3>{i18n::BY_VILLAGE}</h3>
                    <table class="figures">
                        <tr><th>{i18n::VILLAGE}</th><th>{i18n::DOORS_KNOCKED}</th><th>{i18n::HOUSEHOLDS_REACHED_SO_FAR}</th><th>{i18n::HOUSEHOLD_COUNT}</th><th>{i18n::HOUSEHOLDS_AT_TARGET}</th></tr>
                        {report.villages.iter().map(|v| view! { <tr><td>{v.name.clone()}</td><td>{v.doors}</td><td>{v.households_reached_ever}</td><td>{v.households}</td><td>{v.households_at_target}</td></tr> }).collect_view()}
                    </table>
                </section>
                <section class="report-part">
                    <h3>{i18n::BY_TEAM}</h3>
                    <table class="figures">
                        <tr><th>{i18n::TEAM}</th><th>{i18n::DOORS_KNOCKED}</th><th>{i18n::HOUSEHOLDS_GUIDED}</th><th>{i18n::PEOPLE}</th></tr>
                        {report.teams.iter().map(|t| view! { <tr><td>{t.name.clone()}</td><td>{t.doors}</td><td>{t.households_guided}</td><td>{t.people}</td></tr> }).collect_view()}
                    </table>
                </section>
                <section class="report-part">
                    <h3>{i18n::COMMUNITY_SESSIONS}</h3>
                    <table class="figures">
                        <tr><th scope="row">{i18n::SESSIONS_HELD}</th><td data-testid="report-sessions">{sessions.sessions}</td></tr>
                        <tr><th scope="row">{i18n::ATTENDEES}</th><td>{sessions.attendees.total()}</td></tr>
                        {TargetGroup::ALL.iter().map(|g| view! { <tr><td>{g.label()}</td><td>{sessions.attendees.get(*g)}</td></tr> }).collect_view()}
                        <tr><td>{i18n::ELDERLY_AMONG_ADULTS}</td><td>{sessions.attendees.elderly}</td></tr>
                    </table>
                </section>
            </div>
            <PrintFooter generated_at=report.generated_at/>
        </article>
    }
}
