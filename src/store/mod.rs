//! Everything the phone keeps, in the browser's local storage.
//!
//! One record per key (`gocua.visit.<id>`), with a small index of ids
//! (`gocua.visits`), so saving a visit writes one small entry instead of
//! rewriting everything. The layout carries a schema version
//! (`gocua.schema`); [`schema`] upgrades older layouts on start. A write the
//! browser refuses (storage full) is reported, and what was stored before
//! is left as it was.

pub(crate) mod keys;
mod records;
pub mod schema;
mod state;

pub use records::{Loaded, CHUNK as INDEX_CHUNK};

pub use state::{
    Local, LocalCommunitySession, LocalHousehold, LocalVisit, Logged, LoggedId, Owner, SyncState, VisitDraft,
};

use gloo_storage::{LocalStorage, Storage};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Why the store could not do what was asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// The browser refused the write: its storage quota is used up.
    #[error("local storage is full")]
    QuotaExceeded,
    /// Local storage is missing or blocked (private mode, some in-app browsers).
    #[error("local storage is unavailable: {0}")]
    Unavailable(String),
    /// An entry that cannot be read back.
    #[error("entry {key} is corrupt: {reason}")]
    Corrupt { key: String, reason: String },
}

/// The phone's store, under a key namespace (`gocua` in the app; tests use their own).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalStore {
    namespace: String,
}

impl LocalStore {
    /// Opens the store, upgrading its layout to the current schema if needed.
    pub fn open(namespace: &str) -> Result<LocalStore, StoreError> {
        // A browser that blocks site data (or a web view without DOM
        // storage) throws on `window.localStorage`, or has none: gloo-storage
        // would throw a JavaScript error past the app, so it is asked first.
        match leptos::prelude::window().local_storage() {
            Ok(Some(_)) => {}
            Ok(None) => return Err(StoreError::Unavailable("this browser has no local storage".into())),
            Err(error) => return Err(StoreError::Unavailable(js_error_name(&error))),
        }
        let store = LocalStore { namespace: namespace.to_owned() };
        schema::upgrade(&store)?;
        Ok(store)
    }

    pub(crate) fn key(&self, name: &str) -> String {
        format!("{}.{name}", self.namespace)
    }

    // `read` and `write` are generic only in their JSON step: each stored
    // type compiles its own copy of them, so the storage calls and the
    // errors stay in the shared `get`/`set` below (the app's size,
    // docs/benchmarks.md).
    fn read<T: DeserializeOwned>(&self, name: &str) -> Result<Option<T>, StoreError> {
        let Some(json) = self.get(name)? else { return Ok(None) };
        serde_json::from_str(&json).map(Some).map_err(|error| self.corrupt(name, &error))
    }

    fn write<T: Serialize>(&self, name: &str, value: &T) -> Result<(), StoreError> {
        self.set(name, &to_json(value)?)
    }

    /// An entry as stored, or why local storage could not be read.
    fn get(&self, name: &str) -> Result<Option<String>, StoreError> {
        LocalStorage::raw().get_item(&self.key(name)).map_err(|error| StoreError::Unavailable(js_error_name(&error)))
    }

    fn set(&self, name: &str, json: &str) -> Result<(), StoreError> {
        LocalStorage::raw().set_item(&self.key(name), json).map_err(|error| {
            let name = js_error_name(&error);
            if is_quota_error(&name) {
                StoreError::QuotaExceeded
            } else {
                StoreError::Unavailable(name)
            }
        })
    }

    fn corrupt(&self, name: &str, error: &serde_json::Error) -> StoreError {
        StoreError::Corrupt { key: self.key(name), reason: error.to_string() }
    }

    fn remove(&self, name: &str) {
        LocalStorage::delete(self.key(name));
    }

    /// An entry as stored, unparsed.
    fn raw(&self, name: &str) -> Option<String> {
        self.get(name).ok().flatten()
    }

    /// How many entries local storage holds (all namespaces).
    fn entry_count(&self) -> usize {
        LocalStorage::raw().length().unwrap_or(0) as usize
    }

    /// Every key of local storage (all namespaces).
    pub(crate) fn keys(&self) -> Vec<String> {
        let storage = LocalStorage::raw();
        (0..storage.length().unwrap_or(0)).filter_map(|i| storage.key(i).ok().flatten()).collect()
    }

    /// Moves a corrupt entry aside (under `<namespace>.corrupt.<name>`) so it
    /// no longer stops the app but is not thrown away either.
    fn set_aside(&self, name: &str) {
        if let Some(raw) = self.raw(name) {
            let _ = LocalStorage::raw().set_item(&self.key(&format!("corrupt.{name}")), &raw);
        }
        self.remove(name);
    }
}

/// A value as the store writes it.
fn to_json<T: Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(|error| StoreError::Unavailable(error.to_string()))
}

/// The name of what the browser threw (`QuotaExceededError`, `SecurityError`…).
fn js_error_name(error: &wasm_bindgen::JsValue) -> String {
    js_sys::Reflect::get(error, &"name".into()).ok().and_then(|name| name.as_string()).unwrap_or_default()
}

/// Browsers name the quota error differently (Firefox's older name included).
fn is_quota_error(name: &str) -> bool {
    matches!(name, "QuotaExceededError" | "NS_ERROR_DOM_QUOTA_REACHED")
}
