//! The dashboard on the reports screen: a period's figures for the team (a
//! coordinator: the commune, or a team), as charts and tables. The last
//! figures loaded are kept on the phone and shown offline with their time.

use crate::api;
use crate::components::{Bar, BarChart, DayLine};
use crate::i18n;
use crate::notebook::Notebook;
use crate::pages::remote::{change_failure, failure, signed_in};
use chrono::NaiveDate;
use gocua_domain::dashboard::{Dashboard, VillageFigures};
use gocua_domain::time::{format_date, format_local};
use gocua_domain::{PeopleGuided, TargetGroup};
use leptos::prelude::*;

#[component]
pub fn DashboardSection(range: Memo<(Option<NaiveDate>, Option<NaiveDate>)>, team: RwSignal<String>) -> impl IntoView {
    let notebook = expect_context::<Notebook>();
    let shown = RwSignal::new(notebook.store().ok().and_then(|store| store.dashboard()));
    // Loaded when the screen opens and when asked, for the period and team chosen then.
    let load = Action::new_local(move |query: &Vec<(&'static str, String)>| {
        let query = query.clone();
        async move {
            let token = signed_in(notebook)?;
            let pairs: Vec<(&str, &str)> = query.iter().map(|(k, v)| (*k, v.as_str())).collect();
            api::dashboard(&token, &pairs).await.map_err(|error| failure(&error))
        }
    });
    // New figures are shown and kept on the phone, for the next time it is offline.
    Effect::new(move |_| {
        if let Some(Ok(dashboard)) = load.value().get() {
            if let Ok(store) = notebook.store() {
                let _ = store.save_dashboard(&dashboard);
            }
            shown.set(Some(dashboard));
        }
    });
    let ask = move || {
        let (from, to) = range.get_untracked();
        let mut query: Vec<(&'static str, String)> = Vec::new();
        query.extend(from.map(|day| ("from", day.to_string())));
        query.extend(to.map(|day| ("to", day.to_string())));
        query.extend(Some(team.get_untracked()).filter(|t| !t.is_empty()).map(|t| ("team_id", t)));
        load.dispatch_local(query);
    };
    ask();
    let offline_note = move || change_failure(load);
    view! {
        <section class="card dashboard" data-testid="dashboard">
            <h2>{i18n::DASHBOARD_TITLE}</h2>
            <button type="button" class="secondary" disabled=move || load.pending().get() on:click=move |_| ask()>{i18n::SHOW_FIGURES}</button>
            <Show when=move || offline_note().is_some()>
                <p class="notice warn" role="status">{offline_note}</p>
            </Show>
            {move || shown.get().map(|dashboard| view! { <Figures dashboard /> })}
        </section>
    }
}

#[component]
fn Figures(dashboard: Dashboard) -> impl IntoView {
    let notebook = expect_context::<Notebook>();
    let catalogue = notebook.catalogue.get_untracked();
    let totals = dashboard.totals.clone();
    let coverage = village_shares(&dashboard, |v| v.households_reached_ever);
    let at_target = village_shares(&dashboard, |v| v.households_at_target);
    let households_at_target: u32 = dashboard.villages.iter().map(|v| v.households_at_target).sum();
    let sessions = dashboard.community_sessions.clone();
    let volunteers = door_bars(dashboard.volunteers.iter().map(|v| (v.name.clone(), v.doors, v.people)));
    let teams = door_bars(dashboard.teams.iter().map(|t| (t.name.clone(), t.doors, t.people)));
    let compare_teams = teams.len() > 1;
    let today = gocua_domain::time::today(chrono::Utc::now());
    let days: Vec<(String, u32)> = dashboard.days.iter().map(|d| (format_date(d.day), d.doors)).collect();
    let skill_label = move |code: &str| {
        catalogue
            .skills
            .iter()
            .find(|entry| entry.code == code)
            .map(|entry| entry.label.clone())
            .unwrap_or_else(|| code.to_owned())
    };
    view! {
        <p class="hint" data-testid="figures-time">
            {i18n::figures_period(&format_date(dashboard.from), &format_date(dashboard.to), &format_local(dashboard.generated_at))}
        </p>
        <div class="tallies">
            <div class="tally"><span>{i18n::DOORS_KNOCKED}</span><strong data-testid="doors">{totals.doors}</strong></div>
            <div class="tally"><span>{i18n::HOUSEHOLDS_REACHED}</span><strong>{totals.households_reached}</strong></div>
            <div class="tally"><span>{i18n::HOUSEHOLDS_GUIDED}</span><strong>{totals.households_guided}</strong></div>
        </div>
        <h3>{i18n::PEOPLE_BY_GROUP}</h3>
        <PeopleTable people=totals.people />
        <h3>{i18n::COVERAGE_BY_VILLAGE}</h3>
        <BarChart title=i18n::COVERAGE_BY_VILLAGE bars=coverage />
        <h3>{i18n::AT_TARGET_BY_VILLAGE}</h3>
        <p class="hint">{i18n::AT_TARGET_HINT}</p>
        <div class="tallies">
            <div class="tally"><span>{i18n::HOUSEHOLDS_AT_TARGET}</span><strong data-testid="at-target">{households_at_target}</strong></div>
        </div>
        <BarChart title=i18n::AT_TARGET_BY_VILLAGE bars=at_target />
        <h3>{i18n::COMMUNITY_SESSIONS}</h3>
        <p class="hint">{i18n::SESSIONS_COUNTED_APART}</p>
        <div class="tallies">
            <div class="tally"><span>{i18n::SESSIONS_HELD}</span><strong data-testid="sessions">{sessions.sessions}</strong></div>
            <div class="tally"><span>{i18n::ATTENDEES}</span><strong data-testid="attendees">{sessions.attendees.total()}</strong></div>
        </div>
        {(sessions.sessions > 0).then(|| view! {
            <PeopleTable people=sessions.attendees />
            <table class="figures">
                <tr><th>{i18n::VILLAGE}</th><th>{i18n::SESSIONS_HELD}</th><th>{i18n::ATTENDEES}</th></tr>
                {sessions.villages.iter().map(|v| view! { <tr><td>{v.name.clone()}</td><td>{v.sessions}</td><td>{v.attendees}</td></tr> }).collect_view()}
            </table>
        })}
        <h3>{i18n::DOORS_OVER_TIME}</h3>
        <DayLine title=i18n::DOORS_OVER_TIME points=days.clone() />
        <table class="figures">
            <tr><th>{i18n::DAY}</th><th>{i18n::DOORS_KNOCKED}</th><th>{i18n::PEOPLE}</th></tr>
            {dashboard.days.iter().map(|d| view! { <tr><td>{format_date(d.day)}</td><td>{d.doors}</td><td>{d.people}</td></tr> }).collect_view()}
        </table>
        <h3>{i18n::BY_VOLUNTEER}</h3>
        <BarChart title=i18n::BY_VOLUNTEER bars=volunteers />
        {compare_teams.then(|| view! {
            <h3>{i18n::BY_TEAM}</h3>
            <BarChart title=i18n::BY_TEAM bars=teams />
        })}
        <h3>{i18n::FOLLOW_UPS_OWED}</h3>
        {dashboard.follow_ups.is_empty().then(|| view! { <p class="empty">{i18n::NO_FOLLOW_UPS_OWED}</p> })}
        {(dashboard.follow_ups_total as usize > dashboard.follow_ups.len()).then(|| view! {
            <p class="hint" data-testid="follow-ups-listed">
                {i18n::follow_ups_listed(dashboard.follow_ups.len(), dashboard.follow_ups_total)}
            </p>
        })}
        <table class="figures follow-ups">
            {dashboard.follow_ups.iter().map(|f| {
                let name = if f.household.is_empty() { i18n::ANONYMOUS_HOUSEHOLD.to_owned() } else { f.household.clone() };
                let late = f.on < today;
                view! {
                    <tr class:overdue=late>
                        <td>{name} <span class="hint">{format!(" · {}", f.village)}</span></td>
                        <td>{format_date(f.on)} {late.then_some(view! { <span class="badge bad">{i18n::OVERDUE}</span> })}</td>
                        <td>{f.owner.clone()}</td>
                    </tr>
                }
            }).collect_view()}
        </table>
        <h3>{i18n::SKILLS_GUIDED_COMPLETED}</h3>
        <table class="figures">
            <tr><th>{i18n::SKILL}</th><th>{i18n::GUIDED}</th><th>{i18n::COMPLETED}</th></tr>
            {dashboard.skills.iter().map(|s| view! { <tr><td>{skill_label(&s.code)}</td><td>{s.guided}</td><td>{s.completed}</td></tr> }).collect_view()}
        </table>
    }
}

/// People per target group, and the elderly among the adults, as a table.
#[component]
pub(super) fn PeopleTable(people: PeopleGuided) -> impl IntoView {
    let rows: Vec<(String, u32)> = TargetGroup::ALL
        .iter()
        .map(|group| (group.label().to_owned(), people.get(*group)))
        .chain(std::iter::once((i18n::ELDERLY_AMONG_ADULTS.to_owned(), people.elderly)))
        .collect();
    view! {
        <table class="figures">
            {rows.into_iter().map(|(label, count)| view! { <tr><th scope="row">{label}</th><td>{count}</td></tr> }).collect_view()}
        </table>
    }
}

/// One bar per village: `households_of` the village over its households, with the figures written out.
fn village_shares(dashboard: &Dashboard, households_of: fn(&VillageFigures) -> u32) -> Vec<Bar> {
    dashboard
        .villages
        .iter()
        .map(|v| {
            let count = households_of(v);
            let share = if v.households == 0 { 0.0 } else { f64::from(count) / f64::from(v.households) };
            Bar {
                label: v.name.clone(),
                share: share.min(1.0),
                figure: format!("{count}/{} ({:.0}%)", v.households, share * 100.0),
            }
        })
        .collect()
}

/// Bars of doors knocked (with people guided written at the end), the most doors the longest bar.
fn door_bars(rows: impl Iterator<Item = (String, u32, u32)>) -> Vec<Bar> {
    let rows: Vec<(String, u32, u32)> = rows.collect();
    let most = rows.iter().map(|(_, doors, _)| *doors).max().unwrap_or(1).max(1) as f64;
    rows.into_iter()
        .map(|(label, doors, people)| Bar {
            label,
            share: doors as f64 / most,
            figure: i18n::doors_and_people(doors, people as u64),
        })
        .collect()
}
