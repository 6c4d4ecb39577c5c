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

use gloo_storage::errors::StorageError;
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
        let store = LocalStore { namespace: namespace.to_owned() };
        schema::upgrade(&store)?;
        Ok(store)
    }

    pub(crate) fn key(&self, name: &str) -> String {
        format!("{}.{name}", self.namespace)
    }

    fn read<T: DeserializeOwned>(&self, name: &str) -> Result<Option<T>, StoreError> {
        let key = self.key(name);
        match LocalStorage::get::<T>(&key) {
            Ok(value) => Ok(Some(value)),
            Err(StorageError::KeyNotFound(_)) => Ok(None),
            Err(StorageError::SerdeError(error)) => Err(StoreError::Corrupt { key, reason: error.to_string() }),
            Err(StorageError::JsError(error)) => Err(StoreError::Unavailable(error.to_string())),
        }
    }

    fn write<T: Serialize>(&self, name: &str, value: &T) -> Result<(), StoreError> {
        LocalStorage::set(self.key(name), value).map_err(|error| match error {
            StorageError::JsError(js) if is_quota_error(&js.name) => StoreError::QuotaExceeded,
            other => StoreError::Unavailable(other.to_string()),
        })
    }

    fn remove(&self, name: &str) {
        LocalStorage::delete(self.key(name));
    }

    /// An entry as stored, unparsed.
    fn raw(&self, name: &str) -> Option<String> {
        LocalStorage::raw().get_item(&self.key(name)).ok().flatten()
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

/// Browsers name the quota error differently (Firefox's older name included).
fn is_quota_error(name: &str) -> bool {
    matches!(name, "QuotaExceededError" | "NS_ERROR_DOM_QUOTA_REACHED")
}
