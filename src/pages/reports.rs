//! Reports for leaders and coordinators: the visit log of a period (this
//! week, this month, this quarter or chosen days), of one village or team,
//! downloaded as CSV or Excel. Downloading needs the network.

use crate::api;
use crate::i18n;
use crate::notebook::Notebook;
use crate::pages::dashboard::DashboardSection;
use crate::pages::quarterly::QuarterlySection;
use crate::pages::remote::{failure, listed, signed_in, team_choices};
use chrono::{NaiveDate, Utc};
use gocua_domain::api::Role;
use gocua_domain::time::{month_start, quarter_start, today, week_start};
use leptos::prelude::*;

/// The periods offered, each ending today; `Custom` takes two dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Period {
    Week,
    Month,
    Quarter,
    Custom,
}

impl Period {
    const ALL: [Period; 4] = [Period::Week, Period::Month, Period::Quarter, Period::Custom];

    fn label(self) -> &'static str {
        match self {
            Period::Week => i18n::THIS_WEEK,
            Period::Month => i18n::THIS_MONTH,
            Period::Quarter => i18n::THIS_QUARTER,
            Period::Custom => i18n::CUSTOM_RANGE,
        }
    }

    /// First and last day, in Vietnam's calendar.
    fn days(
        self,
        now: NaiveDate,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> (Option<NaiveDate>, Option<NaiveDate>) {
        match self {
            Period::Week => (Some(week_start(now)), Some(now)),
            Period::Month => (Some(month_start(now)), Some(now)),
            Period::Quarter => (Some(quarter_start(now)), Some(now)),
            Period::Custom => (from, to),
        }
    }
}

#[component]
pub fn ReportsPage() -> impl IntoView {
    let notebook = expect_context::<Notebook>();
    let coordinator =
        notebook.session.with_untracked(|s| s.as_ref().map(|s| s.profile.role)) == Some(Role::Coordinator);
    let villages =
        notebook.session.with_untracked(|s| s.as_ref().map(|s| s.profile.villages.clone()).unwrap_or_default());
    let period = RwSignal::new(Period::Month);
    let (from, to) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let (village, team) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let teams = team_choices(notebook, coordinator);
    let range =
        Memo::new(move |_| period.get().days(today(Utc::now()), from.get().parse().ok(), to.get().parse().ok()));
    // Downloads the visit log as asked; either way the answer is a line to show.
    let export = Action::new_local(move |(format, query): &(&'static str, Vec<(&'static str, String)>)| {
        let (format, query) = (*format, query.clone());
        async move { download_visit_log(notebook, format, &query).await.unwrap_or_else(|problem| problem) }
    });
    let download = move |format: &'static str| {
        let (first, last) = range.get_untracked();
        let mut query: Vec<(&'static str, String)> = Vec::new();
        query.extend(first.map(|day| ("from", day.to_string())));
        query.extend(last.map(|day| ("to", day.to_string())));
        query.extend(Some(village.get_untracked()).filter(|v| !v.is_empty()).map(|v| ("village_id", v)));
        query.extend(Some(team.get_untracked()).filter(|t| !t.is_empty()).map(|t| ("team_id", t)));
        export.dispatch_local((format, query));
    };
    let busy = move || export.pending().get();
    // Cleared while a download is on its way, so an old line is not read as the new answer.
    let message = move || if busy() { None } else { export.value().get() };
    view! {
        <main class="page reports">
            <h1>{i18n::REPORTS_TITLE}</h1>
            <section class="card">
                <label for="period">{i18n::PERIOD}</label>
                <select id="period" on:change=move |ev| {
                    let chosen = event_target_value(&ev).parse::<usize>().ok().and_then(|i| Period::ALL.get(i).copied());
                    period.set(chosen.unwrap_or(Period::Month));
                }>
                    {Period::ALL.iter().enumerate().map(|(i, p)| view! {
                        <option value=i.to_string() selected=*p == Period::Month>{p.label()}</option>
                    }).collect_view()}
                </select>
                <Show when=move || period.get() == Period::Custom>
                    <label for="from">{i18n::FROM_DAY}</label>
                    <input id="from" type="date" bind:value=from />
                    <label for="to">{i18n::TO_DAY}</label>
                    <input id="to" type="date" bind:value=to />
                </Show>
                <label for="village">{i18n::VILLAGE}</label>
                <select id="village" on:change=move |ev| village.set(event_target_value(&ev))>
                    <option value="">{i18n::ALL_VILLAGES}</option>
                    {villages.into_iter().map(|v| view! { <option value=v.id.to_string()>{v.name}</option> }).collect_view()}
                </select>
                {coordinator.then(|| view! {
                    <label for="team">{i18n::TEAM}</label>
                    <select id="team" on:change=move |ev| team.set(event_target_value(&ev))>
                        <option value="">{i18n::ALL_TEAMS}</option>
                        {move || listed(teams).into_iter().map(|t| view! { <option value=t.id.to_string()>{t.name}</option> }).collect_view()}
                    </select>
                })}
            </section>
            <DashboardSection range team />
            <QuarterlySection />
            <section class="card">
                <h2>{i18n::EXPORT_TITLE}</h2>
                <div class="actions choices">
                    <button type="button" class="primary" disabled=busy on:click=move |_| download("csv")>{i18n::DOWNLOAD_CSV}</button>
                    <button type="button" class="primary" disabled=busy on:click=move |_| download("xlsx")>{i18n::DOWNLOAD_XLSX}</button>
                </div>
                <Show when=move || message().is_some()>
                    <p class="notice" role="status" data-testid="export-message">{message}</p>
                </Show>
            </section>
        </main>
    }
}

/// Downloads the visit log in `format` ("csv" or "xlsx") and saves it on
/// the phone; says what was saved, or what went wrong.
async fn download_visit_log(notebook: Notebook, format: &str, query: &[(&str, String)]) -> Result<String, String> {
    let token = signed_in(notebook)?;
    let pairs: Vec<(&str, &str)> = query.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let bytes = api::export_visits(&token, format, &pairs).await.map_err(|error| failure(&error))?;
    let name = format!("luot-tham-{}.{format}", today(Utc::now()).format("%Y%m%d"));
    let mime =
        if format == "csv" { "text/csv" } else { "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" };
    // The count of rows tells the leader the file is whole.
    let rows = (format == "csv").then(|| gocua_domain::export::csv_records(&bytes));
    crate::download::save(&bytes, mime, &name).map_err(|_| i18n::ERROR_UNEXPECTED_ANSWER.to_owned())?;
    Ok(i18n::export_saved(&name, rows))
}
