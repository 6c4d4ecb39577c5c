//! Home: my figures for today and this week, follow-ups due, the sync
//! state, and my recent visits.

use crate::components::{InstallOffer, SyncBar, VisitCard};
use crate::i18n;
use crate::notebook::Notebook;
use chrono::Utc;
use gocua_domain::api::Role;
use gocua_domain::stats::{my_work, FollowUpDue};
use gocua_domain::time::{format_date, today};
use leptos::prelude::*;
use leptos_router::components::A;

/// Recent visits shown on home; the rest are under each household.
const RECENT: usize = 20;

#[component]
pub fn HomePage() -> impl IntoView {
    let notebook = expect_context::<Notebook>();
    // Figures read the visits in place; only the few recent ones are copied for the list.
    let work = Memo::new(move |_| {
        notebook.visits.with(|visits| {
            my_work(visits.iter().filter(|v| v.is_mine() && !v.deleted).map(|v| &v.record), today(Utc::now()))
        })
    });
    let recent = Memo::new(move |_| {
        notebook.visits.with(|visits| {
            visits.iter().filter(|v| v.is_mine() && !v.deleted).take(RECENT).cloned().collect::<Vec<_>>()
        })
    });
    let tally = move |pick: fn(&gocua_domain::stats::MyWork) -> gocua_domain::stats::Tally| {
        move || {
            work.with(|w| {
                let t = pick(w);
                i18n::doors_and_people(t.doors, t.people)
            })
        }
    };
    let follow_up_list = move |title: &'static str, pick: fn(&gocua_domain::stats::MyWork) -> Vec<FollowUpDue>| {
        move || {
            let due = work.with(pick);
            (!due.is_empty()).then(|| {
                view! {
                    <section class="follow-ups">
                        <h2>{title}</h2>
                        <ul>
                            {due
                                .into_iter()
                                .map(|item| {
                                    let name = notebook
                                        .household(item.household_id)
                                        .map(|h| {
                                            let village = notebook.village_name(h.household.village_id);
                                            format!("{} · {}", i18n::household_name(&h.household), i18n::household_place(&h.household, &village))
                                        })
                                        .unwrap_or_default();
                                    view! {
                                        <li>
                                            <A href=format!("/households/{}", item.household_id)>{name}</A>
                                            " — " {format_date(item.on)} " " {item.reason}
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    </section>
                }
            })
        }
    };
    // For the benchmark: when home has rendered with everything loaded.
    Effect::new(move |_| crate::perf::mark("gocua:home"));
    view! {
        <main class="page home">
            // Named for screen readers; the screen itself shows the day's figures at once.
            <h1 class="visually-hidden">{i18n::HOME_TITLE}</h1>

            <section class="tallies">
                <div class="tally"><span>{i18n::TODAY}</span><strong data-testid="today">{tally(|w| w.today)}</strong></div>
                <div class="tally"><span>{i18n::THIS_WEEK}</span><strong data-testid="this-week">{tally(|w| w.this_week)}</strong></div>
            </section>
            <A href="/visits/new" attr:class="button primary big">"+ " {i18n::NEW_VISIT}</A>
            <A href="/households" attr:class="button secondary wide">{i18n::HOUSEHOLDS}</A>
            <A href="/community-sessions" attr:class="button secondary wide">{i18n::COMMUNITY_SESSIONS}</A>
            <Show when=move || notebook.session.with(|s| s.as_ref().is_some_and(|s| s.profile.role != Role::Volunteer))>
                <A href="/reports" attr:class="button secondary wide">{i18n::REPORTS_LINK}</A>
            </Show>
            // Below the day's buttons: a sync that starts, fails or ends changes the bar's
            // height (progress, error, "Đồng bộ ngay"), and must not move a button under a thumb.
            <SyncBar />
            // Below the day's buttons: it never pushes "+ Ghi lượt thăm" off the screen.
            <InstallOffer />
            {follow_up_list(i18n::FOLLOW_UPS_DUE, |w| w.due_today.clone())}
            {follow_up_list(i18n::FOLLOW_UPS_OVERDUE, |w| w.overdue.clone())}
            <h2>{i18n::MY_VISITS}</h2>
            <Show when=move || recent.with(Vec::is_empty)>
                <p class="empty">{i18n::NO_VISITS_YET}</p>
            </Show>
            <ul class="visits">
                <For each=move || recent.get() key=|local| (local.record.id, local.sync.clone(), local.record.revision) children=|local| view! { <VisitCard local /> } />
            </ul>
            <A href="/data" attr:class="button secondary wide">{i18n::DATA_LINK}</A>

        </main>
    }
}
