//! The screen shown when the app is opened inside another app's browser
//! (Zalo's, when a leader shares the link in a group chat): what is at risk
//! there, and how to open it in the phone's own browser instead.

use crate::i18n;
use crate::install::{self, Place, System};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

/// Set in this tab's session storage once the volunteer chose to stay: asked once per tab.
const STAYING: &str = "gocua.in_app_staying";

#[component]
pub fn InAppNotice() -> impl IntoView {
    let surroundings = install::surroundings();
    let Place::InApp(app) = surroundings.place else {
        return ().into_any();
    };
    let ios = surroundings.system == System::Ios;
    let staying = RwSignal::new(chose_to_stay());
    let copied = RwSignal::new(None::<bool>);
    let href = window().location().href().unwrap_or_default();
    let chrome = (surroundings.system == System::Android).then(|| install::chrome_intent(&href)).flatten();
    let copy = {
        let href = href.clone();
        move |_| {
            let Some(written) = copy_to_clipboard(&href) else {
                copied.set(Some(false));
                return;
            };
            spawn_local(async move {
                let done = wasm_bindgen_futures::JsFuture::from(written).await.is_ok();
                copied.try_set(Some(done));
            });
        }
    };
    let stay = move |_| {
        remember_staying();
        staying.set(true);
    };
    view! {
        <Show when=move || !staying.get()>
            <div class="in-app-notice" role="dialog" aria-modal="true" aria-labelledby="in-app-title">
                <h1 id="in-app-title">{i18n::in_app_title(ios)}</h1>
                <p>{i18n::in_app_why(app)}</p>
                {chrome.clone().map(|intent| view! { <a class="button primary big" href=intent>{i18n::IN_APP_OPEN_IN_CHROME}</a> })}
                <ol>{i18n::in_app_steps(ios).into_iter().map(|step| view! { <li>{step}</li> }).collect_view()}</ol>
                <button class="secondary wide" on:click=copy.clone()>{i18n::IN_APP_COPY_LINK}</button>
                <p role="status">
                    {move || copied.get().map(|done| if done { i18n::IN_APP_LINK_COPIED } else { i18n::IN_APP_COPY_FAILED })}
                </p>
                <p class="in-app-link">{href.clone()}</p>
                <button class="link" on:click=stay>{i18n::in_app_stay(app)}</button>
            </div>
        </Show>
    }
    .into_any()
}

/// Whether the volunteer chose to stay, in this tab. Some in-app browsers
/// have no session storage, or throw on reaching it: asked again then.
fn chose_to_stay() -> bool {
    let storage = window().session_storage().ok().flatten();
    storage.and_then(|storage| storage.get_item(STAYING).ok().flatten()).is_some_and(|value| value == "true")
}

fn remember_staying() {
    if let Some(storage) = window().session_storage().ok().flatten() {
        let _ = storage.set_item(STAYING, "true");
    }
}

/// Writes `text` to the clipboard, if this browser lets a page do it (some in-app browsers have no clipboard API).
fn copy_to_clipboard(text: &str) -> Option<js_sys::Promise> {
    let navigator = window().navigator();
    let clipboard = js_sys::Reflect::get(&navigator, &"clipboard".into()).ok().filter(|c| c.is_object())?;
    let write = js_sys::Reflect::get(&clipboard, &"writeText".into()).ok()?.dyn_into::<js_sys::Function>().ok()?;
    write.call1(&clipboard, &text.into()).ok()?.dyn_into::<js_sys::Promise>().ok()
}
