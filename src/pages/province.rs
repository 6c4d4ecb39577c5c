//! The province's view for its Department of Science and Technology: each
//! commune's progress over the quarter, side by side — a chart of coverage,
//! communes sortable by any figure, quiet communes and missing reports
//! marked. Figures only: nothing of a household reaches this screen. The
//! last view loaded is kept on the phone and shown offline with its time.
//! The Department also adds communes ([`new_commune`]) and invites their
//! coordinators from here.

mod new_commune;

use crate::api;
use crate::components::{Bar, BarChart};
use crate::i18n;
use crate::notebook::Notebook;
use crate::pages::account::invites::{follow_invites, InviteCard};
use crate::pages::dashboard::PeopleTable;
use crate::pages::province_report::ConsolidatedSection;
use crate::pages::remote::{change_failure, failure, listed, load_failure, signed_in, Problem};
use gocua_domain::api::{Commune, CreatedInvite};
use gocua_domain::province::{CommuneProgress, ProvinceView};
use gocua_domain::search::collation_key;
use gocua_domain::submission::Standing;
use gocua_domain::time::{format_date, format_local};
use leptos::prelude::*;
use new_commune::NewCommune;
use std::cmp::Ordering;

/// How the communes are listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SortBy {
    Name,
    Coverage,
    AtTarget,
    People,
    Sessions,
    ActiveVolunteers,
    /// Missing reports first, then those not yet due, late, on time.
    Report,
}

impl SortBy {
    const ALL: [SortBy; 7] = [
        SortBy::Name,
        SortBy::Coverage,
        SortBy::AtTarget,
        SortBy::People,
        SortBy::Sessions,
        SortBy::ActiveVolunteers,
        SortBy::Report,
    ];

    fn label(self) -> &'static str {
        match self {
            SortBy::Name => i18n::SORT_BY_NAME,
            SortBy::Coverage => i18n::SORT_BY_COVERAGE,
            SortBy::AtTarget => i18n::SORT_BY_AT_TARGET,
            SortBy::People => i18n::SORT_BY_PEOPLE,
            SortBy::Sessions => i18n::SORT_BY_SESSIONS,
            SortBy::ActiveVolunteers => i18n::SORT_BY_ACTIVE_VOLUNTEERS,
            SortBy::Report => i18n::SORT_BY_REPORT,
        }
    }

    /// `a` before `b`: the most first for a figure, then by name.
    fn compare(self, a: &CommuneProgress, b: &CommuneProgress) -> Ordering {
        let most_first = |key: fn(&CommuneProgress) -> u64| key(b).cmp(&key(a));
        let by = match self {
            SortBy::Name => Ordering::Equal,
            SortBy::Coverage => most_first(|c| c.coverage_percent().map_or(0, |p| u64::from(p) + 1)),
            SortBy::AtTarget => most_first(|c| c.at_target_percent().map_or(0, |p| u64::from(p) + 1)),
            SortBy::People => most_first(|c| c.people.total()),
            SortBy::Sessions => most_first(|c| u64::from(c.community_sessions)),
            SortBy::ActiveVolunteers => most_first(|c| u64::from(c.active_volunteers)),
            SortBy::Report => report_rank(a.report.standing).cmp(&report_rank(b.report.standing)),
        };
        by.then_with(|| collation_key(&a.commune.name).cmp(&collation_key(&b.commune.name)))
    }
}

fn report_rank(standing: Standing) -> u8 {
    match standing {
        Standing::Missing => 0,
        Standing::Due => 1,
        Standing::Late => 2,
        Standing::OnTime => 3,
    }
}

#[component]
pub fn ProvincePage() -> impl IntoView {
    let notebook = expect_context::<Notebook>();
    let shown = RwSignal::new(notebook.store().ok().and_then(|store| store.province_view()));
    let load = Action::new_local(move |_: &()| async move {
        let token = signed_in(notebook)?;
        api::province(&token).await.map_err(|error| failure(&error))
    });
    // New figures are shown and kept on the phone, for the next time it is offline.
    Effect::new(move |_| {
        if let Some(Ok(view)) = load.value().get() {
            if let Ok(store) = notebook.store() {
                let _ = store.save_province_view(&view);
            }
            shown.set(Some(view));
        }
    });
    load.dispatch_local(());
    let offline_note = move || change_failure(load);
    let communes = Memo::new(move |_| {
        shown.with(|view| view.iter().flat_map(|v| v.communes.iter().map(|c| c.commune.clone())).collect::<Vec<_>>())
    });
    let sort = RwSignal::new(SortBy::Name);
    // The commune the invite form has chosen. One just added is chosen for it
    // once the figures list it, never before: the form invites what it shows.
    let chosen = RwSignal::new(String::new());
    let just_added = RwSignal::new(None::<i64>);
    Effect::new(move |_| {
        let Some(id) = just_added.get() else { return };
        if communes.with(|listed| listed.iter().any(|commune| commune.id == id)) {
            chosen.set(id.to_string());
            just_added.set(None);
        }
    });
    view! {
        <main class="page province" data-testid="province">
            <h1 class="no-print">{move || shown.with(|view| view.as_ref().map(|v| i18n::province_heading(&v.province.name)))
                .unwrap_or_else(|| i18n::PROVINCE_TITLE.to_owned())}</h1>
            <button type="button" class="secondary no-print" disabled=move || load.pending().get() on:click=move |_| { load.dispatch_local(()); }>
                {i18n::SHOW_FIGURES}
            </button>
            <Show when=move || offline_note().is_some()>
                <p class="notice warn" role="status">{offline_note}</p>
            </Show>
            <div class="no-print">
                {move || shown.get().map(|view| view! { <ProvinceFigures view sort /> })}
            </div>
            <ConsolidatedSection />
            <NewCommune on_added=Callback::new(move |commune_id: i64| {
                just_added.set(Some(commune_id));
                load.dispatch_local(());
            }) />
            <CoordinatorInvites communes chosen />
        </main>
    }
}

/// `sort` outlives the figures: new ones (loaded, or after a commune is added) keep the order chosen.
#[component]
fn ProvinceFigures(view: ProvinceView, sort: RwSignal<SortBy>) -> impl IntoView {
    let totals = view.totals.clone();
    let submitted = totals.reports_on_time + totals.reports_late;
    let coverage = totals.coverage_percent().map_or_else(|| "—".to_owned(), |p| format!("{p}%"));
    let communes = StoredValue::new(view.communes.clone());
    let sorted = move || {
        let mut list = communes.get_value();
        let by = sort.get();
        list.sort_by(|a, b| by.compare(a, b));
        list
    };
    let bars = move || sorted().iter().map(coverage_bar).collect::<Vec<_>>();
    view! {
        <p class="hint" data-testid="figures-time">
            {i18n::province_period(&view.label, &format_date(view.due), &format_local(view.generated_at))}
        </p>
        <div class="tallies">
            <div class="tally"><span>{i18n::PROVINCE_COVERAGE}</span><strong data-testid="province-coverage">{coverage}</strong></div>
            <div class="tally"><span>{i18n::HOUSEHOLDS_AT_TARGET}</span><strong>{totals.households_at_target}</strong></div>
            <div class="tally"><span>{i18n::REPORTS_SUBMITTED}</span><strong data-testid="reports-submitted">{format!("{submitted}/{}", totals.communes)}</strong></div>
            <div class="tally"><span>{i18n::QUIET_COMMUNES}</span><strong data-testid="quiet-communes">{totals.quiet_communes}</strong></div>
        </div>
        <label for="sort-communes">{i18n::SORT_COMMUNES}</label>
        <select id="sort-communes" on:change=move |ev| {
            let chosen = event_target_value(&ev).parse::<usize>().ok().and_then(|i| SortBy::ALL.get(i).copied());
            sort.set(chosen.unwrap_or(SortBy::Name));
        }>
            {SortBy::ALL.iter().enumerate().map(|(i, &by)| {
                view! { <option value=i.to_string() prop:selected=move || sort.get() == by>{by.label()}</option> }
            }).collect_view()}
        </select>
        <h2>{i18n::COVERAGE_BY_COMMUNE}</h2>
        {move || view! { <BarChart title=i18n::COVERAGE_BY_COMMUNE bars=bars() /> }}
        <ul class="communes">
            {move || sorted().into_iter().map(|commune| view! { <CommuneCard commune /> }).collect_view()}
        </ul>
        <h2>{i18n::PEOPLE_BY_GROUP}</h2>
        <PeopleTable people=totals.people />
    }
}

#[component]
fn CommuneCard(commune: CommuneProgress) -> impl IntoView {
    let coverage = commune.coverage_percent().map_or_else(|| "—".to_owned(), |p| format!("{p}%"));
    let standing = commune.report.standing;
    let report_class = match standing {
        Standing::OnTime => "badge synced",
        Standing::Late | Standing::Due => "badge pending",
        Standing::Missing => "badge bad",
    };
    view! {
        <li class="card commune-progress" class:quiet=commune.quiet data-testid="commune-progress">
            <h3>{commune.commune.name.clone()}</h3>
            <p class="badges">
                <span class=report_class data-testid="report-standing">{standing.label_vi()}</span>
                {commune.quiet.then(|| view! { <span class="badge bad" data-testid="quiet">{i18n::QUIET_30_DAYS}</span> })}
            </p>
            <table class="figures">
                <tr><th scope="row">{i18n::HOUSEHOLDS_REACHED}</th><td>{format!("{}/{} ({coverage})", commune.households_reached, commune.households)}</td></tr>
                <tr><th scope="row">{i18n::HOUSEHOLDS_AT_TARGET}</th><td>{commune.households_at_target}</td></tr>
                <tr><th scope="row">{i18n::PEOPLE_GUIDED_QUARTER}</th><td>{commune.people.total()}</td></tr>
                <tr><th scope="row">{i18n::ELDERLY_AMONG_ADULTS}</th><td>{commune.people.elderly}</td></tr>
                <tr><th scope="row">{i18n::SESSIONS_HELD}</th><td>{commune.community_sessions}</td></tr>
                <tr><th scope="row">{i18n::ACTIVE_VOLUNTEERS_30_DAYS}</th><td>{commune.active_volunteers}</td></tr>
            </table>
        </li>
    }
}

/// The Department invites a commune's coordinator: a one-time code for the
/// commune chosen, and the codes still open, each cancellable.
#[component]
fn CoordinatorInvites(communes: Memo<Vec<Commune>>, chosen: RwSignal<String>) -> impl IntoView {
    let notebook = expect_context::<Notebook>();
    let commune = chosen;
    let unchosen = RwSignal::new(false);
    let shown = RwSignal::new(None::<CreatedInvite>);
    let open = LocalResource::new(move || async move {
        let token = signed_in(notebook)?;
        api::province_invites(&token).await.map(|list| list.invites).map_err(|error| failure(&error))
    });
    let create = Action::new_local(move |&commune_id: &i64| async move {
        let token = signed_in(notebook)?;
        api::invite_coordinator(&token, commune_id).await.map_err(|error| failure(&error))
    });
    let cancel = Action::new_local(move |&invite_id: &i64| async move {
        let token = signed_in(notebook)?;
        api::cancel_province_invite(&token, invite_id).await.map(|()| invite_id).map_err(|error| failure(&error))
    });
    follow_invites(create, cancel, open, shown);
    let invite = move |_| {
        let chosen = commune.get_untracked().parse::<i64>().ok();
        unchosen.set(chosen.is_none());
        if let Some(commune_id) = chosen {
            create.dispatch_local(commune_id);
        }
    };
    let problem = Signal::derive(move || {
        let unchosen = unchosen.get().then(|| i18n::CHOOSE_COMMUNE.to_owned());
        unchosen.or_else(|| change_failure(create)).or_else(|| change_failure(cancel)).or_else(|| load_failure(open))
    });
    view! {
        <section class="card no-print" data-testid="coordinator-invites">
            <h2>{i18n::INVITE_COORDINATOR_TITLE}</h2>
            <p class="hint">{i18n::INVITE_COORDINATOR_EXPLAINED}</p>
            <label for="invite-commune">{i18n::COMMUNE}</label>
            <select id="invite-commune" on:change=move |ev| commune.set(event_target_value(&ev))>
                <option value="">{i18n::CHOOSE_COMMUNE}</option>
                {move || communes.get().into_iter().map(|c| {
                    let id = c.id.to_string();
                    view! { <option prop:selected=move || commune.with(|chosen| *chosen == id) value=c.id.to_string()>{c.name}</option> }
                }).collect_view()}
            </select>
            <button class="primary" on:click=invite disabled=move || create.pending().get()>{i18n::INVITE_CREATE}</button>
            <Problem problem />
            {move || shown.get().map(|invite| view! { <InviteCard invite /> })}
            <Show when=move || !listed(open).is_empty()>
                <h3>{i18n::INVITES_OPEN}</h3>
                <ul class="invites">
                    {move || listed(open).into_iter().map(|invite| {
                        let id = invite.id;
                        let line = i18n::invite_line(&invite.created_by, &format_local(invite.expires_at));
                        view! {
                            <li>
                                {format!("{} · {line}", invite.commune.name)}
                                " "
                                <button class="link danger" on:click=move |_| { cancel.dispatch_local(id); }>{i18n::INVITE_CANCEL}</button>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </Show>
        </section>
    }
}

/// One commune's households reached over its households, with the figures written out.
fn coverage_bar(commune: &CommuneProgress) -> Bar {
    let share = match commune.households {
        0 => 0.0,
        households => f64::from(commune.households_reached) / f64::from(households),
    };
    let percent = commune.coverage_percent().map_or_else(|| "—".to_owned(), |p| format!("{p}%"));
    Bar {
        label: commune.commune.name.clone(),
        share: share.min(1.0),
        figure: format!("{}/{} ({percent})", commune.households_reached, commune.households),
    }
}
