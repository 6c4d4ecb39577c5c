//! The app's frame: shared state, the sync schedule, and the routes.

use crate::builds::{self, FullBuildScreens};
use crate::components::{InAppNotice, TopBar, UpdateOffer};
use crate::i18n;
use crate::notebook::Notebook;
use crate::pages::{
    Existing, HomePage, HouseholdFormPage, HouseholdPage, HouseholdsPage, JoinPage, LoginPage, Named, NotFoundPage,
    OnlyFor, VisitFormPage,
};
use crate::return_path;
use crate::sync::{self, SyncStatus};
use gocua_domain::api::Role;
use leptos::prelude::*;
use leptos_router::components::{Outlet, ParentRoute, Redirect, Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::path;

/// The app, with the screens of its build ([`builds`]) and what the phone keeps.
#[component]
pub fn App(screens: FullBuildScreens, notebook: Notebook) -> impl IntoView {
    if notebook.session.with_untracked(Option::is_none) {
        open_home_signed_out_at_sign_in();
    }

    let status = SyncStatus::new(notebook.store().ok().and_then(|store| store.last_sync()));
    provide_context(notebook);
    provide_context(status);
    sync::start(notebook, status);
    builds::follow_the_signed_in_role(notebook, screens);
    // Another tab of the app wrote a record: this one follows (the event never fires in the writer's own tab).
    let _ = window_event_listener(leptos::ev::storage, move |event| {
        if let Some(key) = event.key() {
            notebook.take_from_other_tab(&key);
        }
    });

    view! {
        <Router>
            <InAppNotice />
            <UpdateOffer />
            <Routes fallback=NotFoundPage>
                <Route path=path!("/login") view=LoginPage />
                <Route path=path!("/join") view=JoinPage />
                // The file a home-screen shortcut or an old bookmark may name: it is home.
                <Route path=path!("/index.html") view=|| view! { <Redirect path="/" /> } />
                // Every other screen is a signed-in volunteer's, under the top bar.
                <ParentRoute path=path!("") view=SignedIn>
                    <Route path=path!("/account") view=screens.account />
                    <Route path=path!("/reports") view=move || view! {
                        <OnlyFor roles=&[Role::Leader, Role::Coordinator] explained=i18n::ONLY_LEADERS_AND_COORDINATORS>{(screens.reports)()}</OnlyFor>
                    } />
                    <Route path=path!("/commune") view=move || view! {
                        <OnlyFor roles=&[Role::Coordinator] explained=i18n::ONLY_COORDINATORS>{(screens.commune)()}</OnlyFor>
                    } />
                    <Route path=path!("/province") view=move || view! {
                        <OnlyFor roles=&[Role::Province] explained=i18n::ONLY_PROVINCE>{(screens.province)()}</OnlyFor>
                    } />
                    <Route path=path!("/") view=HomePage />
                    <Route path=path!("/visits/new") view=VisitFormPage />
                    <Route path=path!("/visits/:id/edit") view=|| view! { <Existing named=Named::Visit stays_open=true><VisitFormPage /></Existing> } />
                    <Route path=path!("/households") view=HouseholdsPage />
                    <Route path=path!("/community-sessions") view=screens.community_sessions />
                    <Route path=path!("/community-sessions/new") view=screens.community_session_form />
                    <Route path=path!("/community-sessions/:id/edit") view=move || view! {
                        <Existing named=Named::CommunitySession stays_open=true>{(screens.community_session_form)()}</Existing>
                    } />
                    <Route path=path!("/data") view=screens.data />
                    <Route path=path!("/households/new") view=HouseholdFormPage />
                    <Route path=path!("/households/:id") view=|| view! { <Existing named=Named::Household><HouseholdPage /></Existing> } />
                    <Route path=path!("/households/:id/edit") view=|| view! { <Existing named=Named::Household><HouseholdFormPage /></Existing> } />
                </ParentRoute>
            </Routes>
        </Router>
    }
}

/// A new phone opens the app's address, home, signed out: the router would
/// build home's frame only for `SignedIn` to send it to the sign-in page,
/// two renders in the first task instead of one. So the app starts at the
/// sign-in page itself (the same address `SignedIn` would redirect to);
/// Lighthouse's mobile run measured about 50 ms less blocking for it
/// (docs/benchmarks.md). Other signed-in screens still go through `SignedIn`.
/// Home with a query (a link shared in a chat app, tracking parameters and
/// all) opens the same: home takes no query, and what was typed into
/// index.html's sign-in form goes into this page ([`crate::first_sign_in`]).
fn open_home_signed_out_at_sign_in() {
    let window = window();
    if window.location().pathname().is_ok_and(|path| path == "/") {
        let sign_in = return_path::sign_in_path("/");
        if let Ok(history) = window.history() {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&sign_in));
        }
    }
}

/// The screens a province account opens: its province's view and its account.
const PROVINCE_SCREENS: [&str; 2] = ["/province", "/account"];

/// The frame of every signed-in screen: the top bar over the screen, or
/// the sign-in page for anyone not signed in. A province account, which
/// logs nothing, is taken from the notebook's screens to its province's view.
#[component]
fn SignedIn() -> impl IntoView {
    let notebook = expect_context::<Notebook>();
    let signed_in = move || notebook.session.with(Option::is_some);
    let location = use_location();
    let province = move || notebook.session.with(|s| s.as_ref().is_some_and(|s| s.profile.role == Role::Province));
    let in_place =
        move || !province() || location.pathname.with(|path| PROVINCE_SCREENS.contains(&path.trim_end_matches('/')));
    // The page asked for rides along, to be opened once signed in.
    let sign_in = move || {
        let (path, query) = (location.pathname.get_untracked(), location.search.get_untracked());
        let asked = if query.is_empty() { path } else { format!("{path}?{query}") };
        view! { <Redirect path=return_path::sign_in_path(&asked) /> }
    };
    view! {
        <Show when=signed_in fallback=sign_in>
            <Show when=in_place fallback=|| view! { <Redirect path="/province" /> }>
                <TopBar />
                <Outlet />
            </Show>
        </Show>
    }
}
