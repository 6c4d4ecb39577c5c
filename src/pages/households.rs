//! The team's households: search without diacritics, filter by village,
//! sorted by given name; and one household with its visits.

use crate::components::{HouseholdCard, VisitCard};
use crate::i18n;
use crate::notebook::Notebook;
use crate::pages::remote::{change_failure, failure, signed_in, Problem};
use crate::store::{LocalHousehold, SyncState};
use crate::sync::{self, SyncStatus};
use chrono::Utc;
use gocua_domain::api::Role;
use gocua_domain::order::sort_stable_by;
use gocua_domain::search::{compare_names, matches};
use gocua_domain::sync::phone;
use gocua_domain::Household;
use gocua_domain::HouseholdId;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

/// Households listed at once; typing narrows the list.
const SHOWN: usize = 100;

#[component]
pub fn HouseholdsPage() -> impl IntoView {
    let notebook = expect_context::<Notebook>();
    let query = RwSignal::new(String::new());
    let village = RwSignal::new(String::new());
    let villages =
        notebook.session.with_untracked(|s| s.as_ref().map(|s| s.profile.villages.clone()).unwrap_or_default());
    let found = Memo::new(move |_| {
        let (query, village) = (query.get(), village.get().parse::<i64>().ok());
        let mut found: Vec<_> = notebook.households.with(|households| {
            households
                .iter()
                .filter(|h| village.is_none_or(|v| h.household.village_id == v))
                .filter(|h| matches(&format!("{} {}", h.household.head_name, h.household.address), &query))
                .cloned()
                .collect()
        });
        sort_stable_by(&mut found, |a, b| compare_names(&a.household.head_name, &b.household.head_name));
        found
    });
    let shown = move || found.with(|found| found.iter().take(SHOWN).cloned().collect::<Vec<_>>());
    let cut = move || found.with(Vec::len) > SHOWN;
    view! {
        <main class="page households">
            <h1>{i18n::HOUSEHOLDS}</h1>
            <input type="search" aria-label=i18n::SEARCH_HOUSEHOLDS placeholder=i18n::SEARCH_HOUSEHOLDS bind:value=query />
            <select aria-label=i18n::VILLAGE bind:value=village>
                <option value="">{i18n::ALL_VILLAGES}</option>
                {villages.into_iter().map(|v| view! { <option value=v.id.to_string()>{v.name}</option> }).collect_view()}
            </select>
            <A href="/households/new" attr:class="button primary wide">"+ " {i18n::ADD_HOUSEHOLD}</A>
            <Show when=move || found.with(Vec::is_empty)>
                <p class="empty">{i18n::NO_HOUSEHOLDS_FOUND}</p>
            </Show>
            <Show when=cut>
                <p class="hint" data-testid="households-cut">{move || i18n::more_households(SHOWN, found.with(Vec::len))}</p>
            </Show>
            <ul class="visits">
                <For
                    each=shown
                    key=|local| (local.household.clone(), local.visits.count)
                    children=|local| {
                        let href = format!("/households/{}", local.household.id);
                        view! { <HouseholdCard local href /> }
                    }
                />
            </ul>
        </main>
    }
}

#[component]
pub fn HouseholdPage() -> impl IntoView {
    let notebook = expect_context::<Notebook>();
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|raw| HouseholdId::parse(&raw)));
    // A memo: a sync that changes other households leaves this page (and an
    // erasure under way) as it is.
    let household = Memo::new(move |_| {
        id().and_then(|id| notebook.households.with(|hs| hs.iter().find(|h| h.household.id == id).cloned()))
    });
    let coordinator =
        notebook.session.with_untracked(|s| s.as_ref().map(|s| s.profile.role)) == Some(Role::Coordinator);
    let visits = move || {
        let id = id();
        notebook.visits.with(|vs| {
            vs.iter().filter(|v| Some(v.record.household_id) == id && !v.deleted).cloned().collect::<Vec<_>>()
        })
    };
    view! {
        <main class="page household">
            {move || match household.get() {
                None => view! { <p class="empty">{i18n::NO_HOUSEHOLDS_FOUND}</p> }.into_any(),
                Some(local) => {
                    let h = local.household.clone();
                    let conflict = matches!(local.sync, SyncState::Conflict { .. }).then(|| view! { <ConflictChoice local=local.clone() /> });
                    view! {
                        {conflict}
                        <h1>{i18n::household_name(&h)}</h1>
                        <p class="meta" data-testid="household-place">{i18n::village_and_size(&notebook.village_name(h.village_id), h.members)}</p>
                        <p>{h.address.clone()}</p>
                        {h.phone.clone().map(|phone| view! { <p><a href=format!("tel:{phone}")>{phone.clone()}</a></p> })}
                        <A href=format!("/visits/new?household={}", h.id) attr:class="button primary big">{i18n::LOG_VISIT_HERE}</A>
                        <A href=format!("/households/{}/edit", h.id) attr:class="button secondary wide">{i18n::EDIT_HOUSEHOLD}</A>
                        <ul class="visits"><HouseholdCard local href=format!("/households/{}", h.id) /></ul>
                        {(coordinator && h.consent).then(|| view! { <EraseButton household=h.clone() /> })}
                    }
                    .into_any()
                }
            }}
            <h2>{i18n::VISIT_HISTORY}</h2>
            <Show when=move || visits().is_empty()>
                <p class="empty">{move || no_visits_here(household.get().map_or(0, |local| local.visits.count))}</p>
            </Show>
            <ul class="visits">
                <For each=visits key=|local| (local.record.id, local.sync.clone(), local.record.revision) children=|local| view! { <VisitCard local /> } />
            </ul>
        </main>
    }
}

/// A coordinator erases a household's personal data when the household asks;
/// the server then tells every phone of the team.
#[component]
fn EraseButton(household: Household) -> impl IntoView {
    let notebook = expect_context::<Notebook>();
    let id = household.id.to_string();
    let erase = Action::new_local(move |_: &()| {
        let id = id.clone();
        async move {
            let token = signed_in(notebook)?;
            let erased = crate::api::erase_household(&token, &id).await.map_err(|error| failure(&error))?;
            // The erasure wins over anything this phone holds, as when it is pulled.
            let local = match notebook.household(erased.id) {
                Some(mut local) => {
                    phone::merge_pulled(&mut local, erased, Utc::now());
                    local
                }
                None => LocalHousehold::synced(erased, Default::default(), Utc::now()),
            };
            notebook.keep_household(local).map_err(|error| crate::components::storage_failure(&error).to_owned())
        }
    });
    let ask_and_erase = move |_| {
        if window().confirm_with_message(i18n::ERASE_CONFIRM).unwrap_or(false) {
            erase.dispatch_local(());
        }
    };
    view! {
        <button type="button" class="danger wide" on:click=ask_and_erase disabled=move || erase.pending().get()>
            {i18n::ERASE_PERSONAL_DATA}
        </button>
        <Problem problem=Signal::derive(move || change_failure(erase)) />
    }
}

/// Why a household's page lists no visit: none yet, or only teammates' (a
/// volunteer's phone keeps her own visits; the team's count and last visit
/// come with the household).
fn no_visits_here(team_visits: u32) -> String {
    if team_visits == 0 {
        i18n::NO_VISITS_HERE.to_owned()
    } else {
        i18n::only_teammates_visits(team_visits)
    }
}

/// The fields two versions of a household differ in: what each field is,
/// this phone's value and the server's — so the volunteer sees what each
/// choice keeps and what it drops.
fn differing_fields(
    mine: &Household,
    theirs: &Household,
    village: impl Fn(i64) -> String,
) -> Vec<(&'static str, String, String)> {
    let text = |value: &str| if value.is_empty() { i18n::NOT_RECORDED.to_owned() } else { value.to_owned() };
    let phone = |value: &Option<String>| text(value.as_deref().unwrap_or_default());
    let members = |value: Option<u32>| value.map_or_else(|| i18n::NOT_RECORDED.to_owned(), |m| format!("{m} người"));
    let consent = |agreed: bool| if agreed { i18n::YES } else { i18n::NO }.to_owned();
    let fields = [
        (i18n::VILLAGE, village(mine.village_id), village(theirs.village_id)),
        (i18n::CONSENT_GIVEN, consent(mine.consent), consent(theirs.consent)),
        (i18n::HEAD_NAME, text(&mine.head_name), text(&theirs.head_name)),
        (i18n::ADDRESS, text(&mine.address), text(&theirs.address)),
        (i18n::PHONE, phone(&mine.phone), phone(&theirs.phone)),
        (i18n::MEMBERS, members(mine.members), members(theirs.members)),
    ];
    fields.into_iter().filter(|(_, mine, theirs)| mine != theirs).collect()
}

/// A value "keep mine" stores, marked in the table of differences.
fn kept_value(value: String) -> impl IntoView {
    view! { <strong class="kept">"✓ "{value}</strong> }
}

/// Both versions of a household edited on two phones, and the choice between them.
#[component]
fn ConflictChoice(local: LocalHousehold) -> impl IntoView {
    let notebook = expect_context::<Notebook>();
    let status = expect_context::<SyncStatus>();
    let Some(theirs) = local.theirs.clone() else {
        return view! {
            <div class="warning" role="alert"><p><strong>{i18n::CONFLICT_TITLE}</strong></p><p>{i18n::CONFLICT_WAITING}</p></div>
        }
        .into_any();
    };
    let village = |id| notebook.village_name(id);
    // "Keep mine" keeps this phone's value of a field the volunteer changed,
    // and the server's of one only the other side changed: mark which.
    let kept = phone::kept_mine(&local).unwrap_or_else(|| local.household.clone());
    let kept_as_mine: Vec<_> = differing_fields(&kept, &theirs, village).into_iter().map(|(field, ..)| field).collect();
    let differences = differing_fields(&local.household, &theirs, village)
        .into_iter()
        .map(|(field, mine, theirs)| {
            let (mine, theirs) = if kept_as_mine.contains(&field) {
                (kept_value(mine).into_any(), theirs.into_any())
            } else {
                (mine.into_any(), kept_value(theirs).into_any())
            };
            // The field's name above its two values: at 360 px each value gets half the width, so a
            // phone number fits on one line.
            view! {
                <tbody>
                    <tr><th scope="rowgroup" colspan="2">{field}</th></tr>
                    <tr><td>{mine}</td><td>{theirs}</td></tr>
                </tbody>
            }
        })
        .collect_view();
    let choose = move |keep_mine: bool| {
        let mut chosen = local.clone();
        if keep_mine {
            phone::keep_mine(&mut chosen);
        } else {
            phone::take_theirs(&mut chosen, Utc::now());
        }
        if notebook.keep_household(chosen).is_ok() {
            sync::sync_soon(notebook, status);
        }
    };
    let keep_mine = choose.clone();
    // Taking the server's version throws this phone's edits away: asked first, as deleting is.
    let take_theirs = move |_| {
        if window().confirm_with_message(i18n::TAKE_THEIRS_CONFIRM).unwrap_or(false) {
            choose(false);
        }
    };
    view! {
        <div class="warning conflict" role="alert">
            <p><strong>{i18n::CONFLICT_TITLE}</strong></p>
            <table class="figures differences" data-testid="conflict-differences">
                <thead><tr><th scope="col">{i18n::MINE}</th><th scope="col">{i18n::THEIRS}</th></tr></thead>
                {differences}
            </table>
            <p class="hint">{i18n::CONFLICT_CHOICE_EXPLAINED}</p>
            <button type="button" class="primary" on:click=move |_| keep_mine(true)>{i18n::KEEP_MINE}</button>
            <button type="button" class="secondary" on:click=take_theirs>{i18n::TAKE_THEIRS}</button>
        </div>
    }
    .into_any()
}
