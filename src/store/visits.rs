//! Visits kept on the phone, each with where it stands in sync, and the session.

use super::{keys, LocalStore, StoreError};
use crate::session::Session;
use chrono::{DateTime, Utc};
use gocua_domain::{FieldError, Visit};
use serde::{Deserialize, Serialize};

/// Where a visit stands between the phone and the server.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum SyncState {
    /// Saved on the phone, not yet confirmed by the server.
    Pending,
    /// The server confirmed it holds this visit.
    Synced { at: DateTime<Utc> },
    /// The server refused it; retrying unchanged will not help.
    Rejected { message: String, errors: Vec<FieldError> },
    /// The server holds a different visit under this id; nothing was overwritten.
    Conflict { message: String },
}

/// A visit and its sync state, as stored under `visit.<id>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalVisit {
    pub visit: Visit,
    pub sync: SyncState,
    pub saved_at: DateTime<Utc>,
}

impl LocalVisit {
    pub fn new(visit: Visit, saved_at: DateTime<Utc>) -> Self {
        LocalVisit { visit, sync: SyncState::Pending, saved_at }
    }

    pub fn is_pending(&self) -> bool {
        self.sync == SyncState::Pending
    }
}

/// What loading found: the readable visits (newest first) and the keys set aside.
#[derive(Debug, Default)]
pub struct LoadedVisits {
    pub visits: Vec<LocalVisit>,
    pub corrupt: Vec<String>,
}

impl LocalStore {
    pub fn load_session(&self) -> Option<Session> {
        self.read(keys::SESSION).unwrap_or(None)
    }

    pub fn save_session(&self, session: &Session) -> Result<(), StoreError> {
        self.write(keys::SESSION, session)
    }

    /// Forgets the session; the visits stay, to be pushed after the next sign-in.
    pub fn clear_session(&self) {
        self.remove(keys::SESSION);
    }

    pub fn last_sync(&self) -> Option<DateTime<Utc>> {
        self.read(keys::LAST_SYNC).unwrap_or(None)
    }

    pub fn save_last_sync(&self, at: DateTime<Utc>) -> Result<(), StoreError> {
        self.write(keys::LAST_SYNC, &at)
    }

    fn visit_index(&self) -> Vec<String> {
        match self.read::<Vec<String>>(keys::VISIT_INDEX) {
            Ok(index) => index.unwrap_or_default(),
            Err(_) => {
                self.set_aside(keys::VISIT_INDEX);
                self.rebuild_index()
            }
        }
    }

    /// Recovers the index from the visit entries themselves.
    fn rebuild_index(&self) -> Vec<String> {
        let storage = <gloo_storage::LocalStorage as gloo_storage::Storage>::raw();
        let prefix = self.key(&keys::visit(""));
        let count = storage.length().unwrap_or(0);
        let ids: Vec<String> = (0..count)
            .filter_map(|i| storage.key(i).ok().flatten())
            .filter_map(|key| key.strip_prefix(&prefix).map(str::to_owned))
            .collect();
        let _ = self.write(keys::VISIT_INDEX, &ids);
        ids
    }

    /// Every readable visit, newest first. Unreadable entries are set aside
    /// and named in `corrupt`, so one bad entry never stops the app.
    pub fn load_visits(&self) -> LoadedVisits {
        let mut loaded = LoadedVisits::default();
        for id in self.visit_index() {
            let name = keys::visit(&id);
            match self.read::<LocalVisit>(&name) {
                Ok(Some(visit)) => loaded.visits.push(visit),
                Ok(None) => {}
                Err(_) => {
                    self.set_aside(&name);
                    loaded.corrupt.push(self.key(&name));
                }
            }
        }
        loaded.visits.sort_by(|a, b| b.visit.visited_at.cmp(&a.visit.visited_at).then(b.visit.id.cmp(&a.visit.id)));
        loaded
    }

    /// Saves one visit. The record is written before the index, and removed
    /// again if the index cannot be written, so a full storage never leaves
    /// half a save behind.
    pub fn save_visit(&self, visit: &LocalVisit) -> Result<(), StoreError> {
        let id = visit.visit.id.to_string();
        let name = keys::visit(&id);
        let is_new = self.read::<serde_json::Value>(&name).ok().flatten().is_none();
        self.write(&name, visit)?;
        if is_new {
            let mut index = self.visit_index();
            if !index.contains(&id) {
                index.push(id);
                if let Err(error) = self.write(keys::VISIT_INDEX, &index) {
                    self.remove(&name);
                    return Err(error);
                }
            }
        }
        Ok(())
    }
}
