//! The app's frame: shared state, the sync schedule, and the routes.

use crate::components::{InAppNotice, UpdateOffer};
use crate::notebook::Notebook;
use crate::pages::{
    AccountPage, CommunePage, CommunitySessionFormPage, CommunitySessionsPage, DataPage, Existing, HomePage,
    HouseholdFormPage, HouseholdPage, HouseholdsPage, JoinPage, LoginPage, Named, NotFoundPage, ReportsPage,
    VisitFormPage,
};
use crate::sync::{self, SyncStatus};
use leptos::prelude::*;
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::path;

#[component]
pub fn App() -> impl IntoView {
    let notebook = Notebook::open();
    crate::perf::mark("gocua:loaded");

    let status = SyncStatus::new(notebook.store().ok().and_then(|store| store.last_sync()));
    provide_context(notebook);
    provide_context(status);
    sync::start(notebook, status);
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
                <Route path=path!("/account") view=|| view! { <SignedIn><AccountPage /></SignedIn> } />
                <Route path=path!("/reports") view=|| view! { <SignedIn><ReportsPage /></SignedIn> } />
                <Route path=path!("/commune") view=|| view! { <SignedIn><CommunePage /></SignedIn> } />
                <Route path=path!("/") view=|| view! { <SignedIn><HomePage /></SignedIn> } />
                <Route path=path!("/visits/new") view=|| view! { <SignedIn><VisitFormPage /></SignedIn> } />
                <Route path=path!("/visits/:id/edit") view=|| view! { <SignedIn><Existing named=Named::Visit><VisitFormPage /></Existing></SignedIn> } />
                <Route path=path!("/households") view=|| view! { <SignedIn><HouseholdsPage /></SignedIn> } />
                <Route path=path!("/community-sessions") view=|| view! { <SignedIn><CommunitySessionsPage /></SignedIn> } />
                <Route path=path!("/community-sessions/new") view=|| view! { <SignedIn><CommunitySessionFormPage /></SignedIn> } />
                <Route path=path!("/community-sessions/:id/edit") view=|| view! { <SignedIn><Existing named=Named::CommunitySession><CommunitySessionFormPage /></Existing></SignedIn> } />
                <Route path=path!("/data") view=|| view! { <SignedIn><DataPage /></SignedIn> } />

                <Route path=path!("/households/new") view=|| view! { <SignedIn><HouseholdFormPage /></SignedIn> } />
                <Route path=path!("/households/:id") view=|| view! { <SignedIn><Existing named=Named::Household><HouseholdPage /></Existing></SignedIn> } />
                <Route path=path!("/households/:id/edit") view=|| view! { <SignedIn><Existing named=Named::Household><HouseholdFormPage /></Existing></SignedIn> } />

            </Routes>
        </Router>
    }
}

/// Shows its children to a signed-in volunteer, and the sign-in page to anyone else.
#[component]
fn SignedIn(children: ChildrenFn) -> impl IntoView {
    let notebook = expect_context::<Notebook>();
    let signed_in = move || notebook.session.with(Option::is_some);
    view! {
        <Show when=signed_in fallback=|| view! { <Redirect path="/login" /> }>
            {children()}
        </Show>
    }
}
