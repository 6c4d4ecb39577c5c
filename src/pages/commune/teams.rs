//! The commune's teams ("Tổ công nghệ số cộng đồng"), with their members:
//! a [`LocalResource`] read again once an [`Action`] has added a team.

use crate::api;
use crate::i18n;
use crate::notebook::Notebook;
use crate::pages::remote::{failure, listed, token, Problem};
use gocua_domain::api::TeamChange;
use leptos::prelude::*;

#[component]
pub fn Teams() -> impl IntoView {
    let notebook = expect_context::<Notebook>();
    let new_name = RwSignal::new(String::new());
    let teams = LocalResource::new(move || async move {
        let Some(token) = token(notebook) else { return Ok(Vec::new()) };
        api::teams(&token).await.map(|list| list.teams).map_err(|error| failure(&error))
    });
    let add_team = Action::new_local(move |team: &TeamChange| {
        let team = team.clone();
        async move {
            let Some(token) = token(notebook) else { return Ok(()) };
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
    let problem = Signal::derive(move || {
        let adding = add_team.value().get().and_then(Result::err);
        adding.or_else(|| teams.with(|read| read.as_ref()?.as_ref().err().cloned()))
    });
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
