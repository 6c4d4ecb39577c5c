//! The devices an account is signed in on, each revocable (a lost phone).

use super::{failure, token};
use crate::api;
use crate::i18n;
use crate::notebook::Notebook;
use gocua_domain::api::DeviceSession;
use gocua_domain::time::format_local;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn DeviceList(user_id: i64) -> impl IntoView {
    let notebook = expect_context::<Notebook>();
    let devices = RwSignal::new(None::<Vec<DeviceSession>>);
    let problem = RwSignal::new(None::<String>);
    let own = notebook.session.with_untracked(|s| s.as_ref().map(|s| s.profile.user_id)) == Some(user_id);
    let load = move || {
        let Some(token) = token(notebook) else { return };
        spawn_local(async move {
            let answer = if own { api::own_devices(&token).await } else { api::member_devices(&token, user_id).await };
            match answer {
                Ok(list) => devices.set(Some(list.sessions)),
                Err(error) => problem.set(Some(failure(&error))),
            }
        });
    };
    load();
    let revoke = move |session_id: i64| {
        if !window().confirm_with_message(i18n::REVOKE_CONFIRM).unwrap_or(false) {
            return;
        }
        let Some(token) = token(notebook) else { return };
        spawn_local(async move {
            match api::revoke_device(&token, user_id, session_id).await {
                Ok(()) => load(),
                Err(error) => problem.set(Some(failure(&error))),
            }
        });
    };
    view! {
        <Show when=move || problem.with(Option::is_some)>
            <p class="error" role="alert">{move || problem.get()}</p>
        </Show>
        <ul class="devices">
            {move || {
                devices
                    .get()
                    .unwrap_or_default()
                    .into_iter()
                    .map(|device| {
                        let id = device.id;
                        let name = if device.device.is_empty() { i18n::UNKNOWN_DEVICE.to_owned() } else { device.device };
                        view! {
                            <li class="device" data-session=id>
                                <strong>{name}</strong>
                                {device.current.then_some(view! { <span class="badge">{i18n::THIS_DEVICE}</span> })}
                                <span class="hint">{i18n::last_used(&format_local(device.last_used_at))}</span>
                                {(!device.current)
                                    .then_some(view! { <button class="link danger" on:click=move |_| revoke(id)>{i18n::REVOKE}</button> })}
                            </li>
                        }
                    })
                    .collect_view()
            }}
        </ul>
    }
}
