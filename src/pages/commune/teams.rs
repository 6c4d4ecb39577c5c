//! The commune's teams ("Tổ công nghệ số cộng đồng"), with their members.

use super::Problem;
use crate::api;
use crate::i18n;
use crate::notebook::Notebook;
use crate::pages::account::{failure, token};
use gocua_domain::api::{TeamChange, TeamSummary};
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn Teams() -> impl IntoView {
    let notebook = expect_context::<Notebook>();
    let teams = RwSignal::new(Vec::<TeamSummary>::new());
    let problem = RwSignal::new(None::<String>);
    let new_name = RwSignal::new(String::new());
    let load = move || {
        let Some(token) = token(notebook) else { return };
        spawn_local(async move {
            match api::teams(&token).await {
                Ok(list) => teams.set(list.teams),
                Err(error) => problem.set(Some(failure(&error))),
            }
        });
    };
    load();
    let add = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(token) = token(notebook) else { return };
        let team = TeamChange { name: crate::text::nfc(&new_name.get_untracked()) };
        spawn_local(async move {
            match api::add_team(&token, &team).await {
                Ok(_) => {
                    problem.set(None);
                    new_name.set(String::new());
                    load();
                }
                Err(error) => problem.set(Some(failure(&error))),
            }
        });
    };
    view! {
        <section class="card" data-testid="teams">
            <h2>{i18n::TEAMS_TITLE}</h2>
            <Problem problem />
            <ul class="rows">
                {move || teams.get().into_iter().map(|team| view! {
                    <li class="row"><span class="row-name">{team.name}</span><span class="hint">{i18n::member_count(team.members)}</span></li>
                }).collect_view()}
            </ul>
            <form class="inline-form" on:submit=add>
                <label for="new-team">{i18n::NEW_TEAM}</label>
                <input id="new-team" bind:value=new_name />
                <button type="submit" class="primary">{i18n::ADD}</button>
            </form>
        </section>
    }
}
