//! The account screen: the devices I am signed in on (revoke a lost phone)
//! and, for a leader, the team's members and invites. Everything here asks
//! the server, so it needs the network; the notebook does not.

mod account_editor;
mod devices;
pub(crate) mod invites;
mod members;

use crate::i18n;
use crate::notebook::Notebook;
use devices::DeviceList;
use gocua_domain::api::Role;
use invites::InviteSection;
use leptos::prelude::*;
use leptos_router::components::A;
use members::MemberList;

#[component]
pub fn AccountPage() -> impl IntoView {
    let notebook = expect_context::<Notebook>();
    let profile = move || notebook.session.with(|s| s.as_ref().map(|s| s.profile.clone()));
    let role = move || profile().map(|p| p.role);
    let me = profile().map(|p| p.user_id).unwrap_or_default();
    view! {
        <main class="page account">
            <section class="card">
                <h1>{move || profile().map(|p| p.display_name)}</h1>
                <p class="hint">
                    {move || profile().map(|p| format!("{} · {} · {}", p.username, p.role.label_vi(), p.home_name()))}
                    {move || profile().and_then(|p| p.team).map(|team| format!(" · {}", team.name))}
                </p>
            </section>
            <h2>{i18n::MY_DEVICES}</h2>
            <DeviceList user_id=me />
            <Show when=move || role() == Some(Role::Coordinator)>
                <A href="/commune" attr:class="button secondary wide">{i18n::COMMUNE_SETUP}</A>
            </Show>
            <Show when=move || matches!(role(), Some(Role::Leader | Role::Coordinator))>
                <InviteSection />
            </Show>
            <Show when=move || matches!(role(), Some(Role::Leader | Role::Coordinator))>
                <MemberList />
            </Show>
        </main>
    }
}
