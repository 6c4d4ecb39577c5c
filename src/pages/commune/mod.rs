//! The coordinator's screen for setting up the commune: villages and their
//! household counts, teams, the skill catalogue, new accounts, and the audit
//! log. Each section asks the server directly: it needs the network.

mod accounts;
mod audit;
mod skills;
mod teams;
mod villages;

use crate::i18n;
use leptos::prelude::*;

#[component]
pub fn CommunePage() -> impl IntoView {
    view! {
        <main class="page commune">
            <h1>{i18n::COMMUNE_SETUP_TITLE}</h1>
            <villages::Villages />
            <teams::Teams />
            <accounts::NewAccount />
            <skills::Skills />
            <audit::AuditLog />
        </main>
    }
}
