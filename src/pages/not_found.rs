//! What a wrong address shows: a mistyped or old link, one a chat app cut
//! short, or a record this phone does not hold. Never a blank screen: it
//! says so in Vietnamese and leads home; what is on the phone is untouched.

use crate::components::TopBar;
use crate::i18n;
use crate::notebook::Notebook;
use gocua_domain::api::Role;
use gocua_domain::{CommunitySessionId, HouseholdId, VisitId};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;

/// A page for an address the app does not know: outside the signed-in
/// frame, so it brings the top bar itself to a signed-in volunteer.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    let notebook = expect_context::<Notebook>();
    let signed_in = move || notebook.session.with(Option::is_some);
    view! {
        <Show when=signed_in>
            <TopBar />
        </Show>
        <NotFound title=i18n::PAGE_NOT_FOUND explained=i18n::PAGE_NOT_FOUND_EXPLAINED />
    }
}

/// `title` and why it may be, and a way home.
#[component]
pub fn NotFound(title: &'static str, explained: &'static str) -> impl IntoView {
    view! {
        <main class="page not-found">
            <h1>{title}</h1>
            <p>{explained}</p>
            <A href="/" attr:class="button primary big">{i18n::GO_HOME}</A>
        </main>
    }
}

/// Shows its children to a user of one of `roles`, and to anyone else what
/// the screen is for and a way home — instead of forms that look usable and
/// fail only once the server refuses what was typed into them.
#[component]
pub fn OnlyFor(roles: &'static [Role], explained: &'static str, children: ChildrenFn) -> impl IntoView {
    let notebook = expect_context::<Notebook>();
    // A memo: the screen is built again only when the answer changes, not at
    // every change of the session (a profile refreshed from the server), which
    // would empty a form being filled in.
    let allowed =
        Memo::new(move |_| notebook.session.with(|s| s.as_ref().is_some_and(|s| roles.contains(&s.profile.role))));
    move || {
        if allowed.get() {
            children().into_any()
        } else {
            view! { <NotFound title=i18n::NOT_FOR_YOUR_ROLE explained /> }.into_any()
        }
    }
}

/// Which record an address names, for [`Existing`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Named {
    Household,
    Visit,
    CommunitySession,
}

impl Named {
    /// Whether the record of this kind with the id `raw` is on the phone (tracked: a record
    /// read or pulled later is found then).
    fn on_phone(self, notebook: &Notebook, raw: &str) -> bool {
        match self {
            Named::Household => HouseholdId::parse(raw)
                .is_some_and(|id| notebook.households.with(|list| list.iter().any(|h| h.household.id == id))),
            Named::Visit => VisitId::parse(raw)
                .is_some_and(|id| notebook.visits.with(|list| list.iter().any(|v| v.record.id == id))),
            Named::CommunitySession => CommunitySessionId::parse(raw)
                .is_some_and(|id| notebook.community_sessions.with(|list| list.iter().any(|s| s.record.id == id))),
        }
    }

    fn not_found(self) -> &'static str {
        match self {
            Named::Household => i18n::HOUSEHOLD_NOT_FOUND,
            Named::Visit => i18n::VISIT_NOT_FOUND,
            Named::CommunitySession => i18n::COMMUNITY_SESSION_NOT_FOUND,
        }
    }
}

/// Shows its children if the record the address names (`:id`) is on the phone, and says it is
/// not otherwise — once the phone's older records are all read, so a record still being read
/// is not taken for missing. An edit page never turns into a new record's page.
///
/// A form that `stays_open` is not taken away when its record leaves the phone while it is
/// open (a sync brings its deletion): what was typed stays, and saving says what happened
/// ([`crate::notebook::Written::EditedRecordGone`]).
#[component]
pub fn Existing(named: Named, #[prop(optional)] stays_open: bool, children: ChildrenFn) -> impl IntoView {
    let notebook = expect_context::<Notebook>();
    let params = use_params_map();
    // A memo: the page is built once per answer, not again at every save.
    // It holds the id it answered for: `None` while the phone is still reading.
    let found = Memo::new(move |shown: Option<&Option<(String, bool)>>| {
        let raw = params.with(|p| p.get("id")).unwrap_or_default();
        let open_on_it = shown.and_then(Option::as_ref).is_some_and(|(id, found)| *found && *id == raw);
        if named.on_phone(&notebook, &raw) || (stays_open && open_on_it) {
            Some((raw, true))
        } else if notebook.fully_loaded.get() {
            Some((raw, false))
        } else {
            None
        }
    });
    move || match found.get().map(|(_, found)| found) {
        Some(true) => children().into_any(),
        Some(false) => {
            view! { <NotFound title=named.not_found() explained=i18n::RECORD_NOT_FOUND_EXPLAINED /> }.into_any()
        }
        None => view! { <p class="page loading">{i18n::STILL_LOADING}</p> }.into_any(),
    }
}
