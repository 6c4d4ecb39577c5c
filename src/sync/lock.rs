//! One sync at a time across the app's tabs, with the browser's Web Locks
//! API where it has one (two tabs pushing the same outbox at once would
//! send every record twice; harmless for the server, wasteful on one bar of
//! signal). Without the API, each tab still runs one sync at a time.

use js_sys::{Function, Object, Promise, Reflect};
use leptos::prelude::window;
use std::future::Future;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

const LOCK_NAME: &str = "gocua-sync";

/// Runs `work` holding the sync lock, unless another tab holds it.
/// Returns whether `work` ran.
pub async fn exclusively(work: impl Future<Output = ()> + 'static) -> bool {
    let navigator = window().navigator();
    let locks = Reflect::get(&navigator, &"locks".into()).ok().filter(|locks| !locks.is_undefined());
    let request =
        locks.as_ref().and_then(|locks| Reflect::get(locks, &"request".into()).ok()?.dyn_into::<Function>().ok());
    let (Some(locks), Some(request)) = (locks, request) else {
        work.await;
        return true;
    };
    let options = Object::new();
    let _ = Reflect::set(&options, &"ifAvailable".into(), &JsValue::TRUE);
    let callback = Closure::once_into_js(move |lock: JsValue| -> Promise {
        if lock.is_null() {
            // Another tab is syncing.
            Promise::resolve(&JsValue::FALSE)
        } else {
            future_to_promise(async move {
                work.await;
                Ok(JsValue::TRUE)
            })
        }
    });
    match request.call3(&locks, &LOCK_NAME.into(), &options, &callback) {
        Ok(promise) => JsFuture::from(Promise::from(promise)).await.is_ok_and(|ran| ran.as_bool() == Some(true)),
        Err(_) => false,
    }
}
