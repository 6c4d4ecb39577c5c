//! The app comes in two builds, and index.html's loader starts one of them:
//!
//! - the volunteer's (`gocua-app`), all a phone downloads first: what it
//!   takes to sign in (or join), log a visit and keep households, and sync;
//! - the full one (`gocua-full`), which adds the screens of leaders,
//!   coordinators and province accounts — account, reports, the commune's
//!   set-up, the province's view — and the ones a volunteer opens rarely:
//!   the monthly community sessions and the phone's data and backup.
//!
//! Both have the same routes. In the volunteer's build the screens it
//! leaves out are [`OpenFullBuild`], which starts the full build in their
//! place, so their code is not in it at all (docs/benchmarks.md, "App
//! critical-path size"). The loader (`pattern_script` in Trunk.toml) starts
//! the full build when [`FULL_BUILD_MARK`] is set: in local storage while a
//! leader or coordinator is signed in, in the tab's session storage once a
//! volunteer opened one of those screens. After install the service worker
//! keeps both builds, so every screen opens offline; before that, a screen
//! that cannot be fetched says it needs the network once.

use crate::i18n;
use crate::notebook::Notebook;
use crate::pages::{
    AccountPage, CommunePage, CommunitySessionFormPage, CommunitySessionsPage, DataPage, NotFound, ProvincePage,
    ReportsPage,
};
use gocua_domain::api::Role;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// The local-storage key that asks index.html's loader for the full build.
pub const FULL_BUILD_MARK: &str = "gocua.build";
const FULL: &str = "full";
/// Set on `<html>` by the loader when the full build was asked for and could not be fetched.
const UNREACHABLE: &str = "data-full-build";

/// The screens only the full build has: the views the routes show.
#[derive(Clone, Copy)]
pub struct FullBuildScreens {
    pub account: fn() -> AnyView,
    pub reports: fn() -> AnyView,
    pub commune: fn() -> AnyView,
    pub province: fn() -> AnyView,
    pub community_sessions: fn() -> AnyView,
    pub community_session_form: fn() -> AnyView,
    pub data: fn() -> AnyView,
    /// Whether these are the screens themselves (the full build).
    pub built_in: bool,
}

impl FullBuildScreens {
    /// The full build: the screens themselves.
    pub fn here() -> Self {
        FullBuildScreens {
            account: || view! { <AccountPage /> }.into_any(),
            reports: || view! { <ReportsPage /> }.into_any(),
            commune: || view! { <CommunePage /> }.into_any(),
            province: || view! { <ProvincePage /> }.into_any(),
            community_sessions: || view! { <CommunitySessionsPage /> }.into_any(),
            community_session_form: || view! { <CommunitySessionFormPage /> }.into_any(),
            data: || view! { <DataPage /> }.into_any(),
            built_in: true,
        }
    }

    /// The volunteer's build: each of these screens opens the full build.
    pub fn elsewhere() -> Self {
        let open = || view! { <OpenFullBuild /> }.into_any();
        FullBuildScreens {
            account: open,
            reports: open,
            commune: open,
            province: open,
            community_sessions: open,
            community_session_form: open,
            data: open,
            built_in: false,
        }
    }
}

/// Whether a user of `role` is served by the full build.
fn needs_full_build(role: Role) -> bool {
    matches!(role, Role::Leader | Role::Coordinator | Role::Province)
}

/// Keeps [`FULL_BUILD_MARK`] set while a leader or coordinator is signed
/// in, and moves the volunteer's build to the full one when one signs in.
pub fn follow_the_signed_in_role(notebook: Notebook, screens: FullBuildScreens) {
    Effect::new(move |_| {
        let role = notebook.session.with(|session| session.as_ref().map(|s| s.profile.role));
        let full = role.is_some_and(needs_full_build);
        // Moved only if the mark took: the loader would start this build again.
        if mark_full_build(full) && full && !screens.built_in && !full_build_unreachable() {
            reload();
        }
    });
}

/// Sets or clears [`FULL_BUILD_MARK`] in local storage; whether it took. (A
/// full storage cannot take it: the full build's screens then ask for it
/// in the tab's session storage.)
fn mark_full_build(full: bool) -> bool {
    let Ok(Some(storage)) = window().local_storage() else { return false };
    if full { storage.set_item(FULL_BUILD_MARK, FULL) } else { storage.remove_item(FULL_BUILD_MARK) }.is_ok()
}

fn full_build_unreachable() -> bool {
    document().document_element().is_some_and(|html| html.has_attribute(UNREACHABLE))
}

fn reload() {
    let _ = window().location().reload();
}

/// A full-build screen in the volunteer's build: asks for the full build in this
/// tab and opens the screen's address again, which the loader answers with it; or, if the
/// loader could not fetch it (offline before the app was installed), says so
/// and leads home.
#[component]
pub fn OpenFullBuild() -> impl IntoView {
    // Asked only once: a tab that cannot keep the mark would reload forever.
    if !full_build_unreachable() && ask_for_full_build_in_tab() {
        // Opened by the address this screen has in the router: the page's
        // own may not have followed a link's navigation yet.
        // (No fragment: an address that differs only by one would not load.)
        let here = use_location();
        let search = here.search.get_untracked();
        let query = if search.is_empty() { String::new() } else { format!("?{search}") };
        let address = format!("{}{query}", here.pathname.get_untracked());
        let _ = window().location().set_href(&address);
        view! {
            <main class="page">
                <p class="loading">{i18n::OPENING_SCREEN}</p>
            </main>
        }
        .into_any()
    } else {
        view! { <NotFound title=i18n::NEEDS_NETWORK_ONCE explained=i18n::NEEDS_NETWORK_ONCE_EXPLAINED /> }.into_any()
    }
}

/// Sets [`FULL_BUILD_MARK`] in the tab's session storage; whether it took.
fn ask_for_full_build_in_tab() -> bool {
    let Ok(Some(storage)) = window().session_storage() else { return false };
    storage.set_item(FULL_BUILD_MARK, FULL).is_ok()
}
