//! The commune's teams ("Tổ công nghệ số cộng đồng"), with their members:
//! a [`LocalResource`] read again once an [`Action`] has added a team.

use crate::api;
use crate::i18n;
use crate::notebook::Notebook;
use crate::pages::remote::{change_failure, failure, listed, load_failure, signed_in, team_choices, Problem};
use gocua_domain::api::TeamChange;
use leptos::prelude::*;

#[component]
pub fn Teams() -> impl IntoView {
    let notebook = expect_context::<Notebook>();
    let new_name = RwSignal::new(String::new());
    let teams = team_choices(notebook, true);
    let add_team = Action::new_local(move |team: &TeamChange| {
        let team = team.clone();
        async move {
            let token = signed_in(notebook)?;
            api::add_team(&token, &team).await.map(|_| ()).map_err(|error| failure(&error))
        }
    });
    // A team added: the field empties and the list is read again.
    Effect::new(move |_| {
        if let Some(Ok(())) = add_team.value().get() {
            new_name.set(String::new());
            teams.refetch();
        }
    });
    let problem = Signal::derive(move || change_failure(add_team).or_else(|| load_failure(teams)));
    let add = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        add_team.dispatch_local(TeamChange { name: crate::text::nfc(&new_name.get_untracked()) });
    };
    view! {
        <section class="card" data-testid="teams">
            <h2>{i18n::TEAMS_TITLE}</h2>
            <Problem problem />
            <ul class="rows">
                {move || listed(teams).into_iter().map(|team| view! {
                    <li class="row"><span class="row-name">{team.name}</span><span class="hint">{i18n::member_count(team.members)}</span></li>
                }).collect_view()}
            </ul>
            <form class="inline-form" on:submit=add>
                <label for="new-team">{i18n::NEW_TEAM}</label>
                <input id="new-team" bind:value=new_name />
                <button type="submit" class="primary" disabled=move || add_team.pending().get()>{i18n::ADD}</button>
            </form>
        </section>
    }
}
