//! The devices an account is signed in on, each revocable (a lost phone).
//! The list is a [`LocalResource`], loaded again after a revocation; a
//! revocation is an [`Action`], so a failure of either is said where it is.

use crate::api;
use crate::i18n;
use crate::notebook::Notebook;
use crate::pages::remote::{change_failure, failure, listed, load_failure, signed_in, Problem};
use gocua_domain::api::DeviceSession;
use gocua_domain::time::format_local;
use leptos::prelude::*;

#[component]
pub fn DeviceList(user_id: i64) -> impl IntoView {
    let notebook = expect_context::<Notebook>();
    let own = notebook.session.with_untracked(|s| s.as_ref().map(|s| s.profile.user_id)) == Some(user_id);
    let devices = LocalResource::new(move || async move {
        let token = signed_in(notebook)?;
        let answer = if own { api::own_devices(&token).await } else { api::member_devices(&token, user_id).await };
        answer.map(|list| list.sessions).map_err(|error| failure(&error))
    });
    let revoke = Action::new_local(move |session_id: &i64| {
        let session_id = *session_id;
        async move {
            let token = signed_in(notebook)?;
            api::revoke_device(&token, user_id, session_id).await.map_err(|error| failure(&error))
        }
    });
    // A device revoked: the list is read again from the server.
    Effect::new(move |_| {
        if let Some(Ok(())) = revoke.value().get() {
            devices.refetch();
        }
    });
    let ask_and_revoke = move |session_id: i64| {
        if window().confirm_with_message(i18n::REVOKE_CONFIRM).unwrap_or(false) {
            revoke.dispatch_local(session_id);
        }
    };
    let problem = Signal::derive(move || change_failure(revoke).or_else(|| load_failure(devices)));
    view! {
        <Problem problem />
        <ul class="devices">
            {move || listed(devices).into_iter().map(|device| device_row(device, ask_and_revoke)).collect_view()}
        </ul>
    }
}

/// One device, with a way to revoke it unless it is the one in hand.
fn device_row(device: DeviceSession, revoke: impl Fn(i64) + Copy + 'static) -> impl IntoView {
    let id = device.id;
    let name = if device.device.is_empty() { i18n::UNKNOWN_DEVICE.to_owned() } else { device.device };
    view! {
        <li class="device" data-session=id>
            <strong>{name}</strong>
            {device.current.then_some(view! { <span class="badge">{i18n::THIS_DEVICE}</span> })}
            <span class="hint">{i18n::last_used(&format_local(device.last_used_at))}</span>
            {(!device.current).then_some(view! { <button class="link danger" on:click=move |_| revoke(id)>{i18n::REVOKE}</button> })}
        </li>
    }
}
