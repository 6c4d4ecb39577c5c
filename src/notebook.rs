//! The app's shared state: the phone's store, the signed-in session, and the
//! visits on this phone, provided once at the top as a context.
//!
//! Every change goes to local storage first and to the signals after, so
//! the screen never shows something the phone has not kept.

use crate::session::Session;
use crate::store::{LocalStore, LocalVisit, StoreError};
use leptos::prelude::*;

/// The namespace of every key the app writes to local storage.
pub const STORE_NAMESPACE: &str = "gocua";

#[derive(Clone, Copy)]
pub struct Notebook {
    store: StoredValue<Option<LocalStore>>,
    pub session: RwSignal<Option<Session>>,
    /// Newest first.
    pub visits: RwSignal<Vec<LocalVisit>>,
    /// A problem with the phone's storage, for the volunteer to read.
    pub storage_problem: RwSignal<Option<StoreError>>,
    /// Entries that could not be read and were set aside.
    pub corrupt_entries: RwSignal<usize>,
}

impl Notebook {
    /// Opens the store and loads what it holds.
    pub fn open() -> Notebook {
        let (store, problem) = match LocalStore::open(STORE_NAMESPACE) {
            Ok(store) => (Some(store), None),
            Err(error) => (None, Some(error)),
        };
        let loaded = store.as_ref().map(LocalStore::load_visits).unwrap_or_default();
        Notebook {
            session: RwSignal::new(store.as_ref().and_then(LocalStore::load_session)),
            visits: RwSignal::new(loaded.visits),
            storage_problem: RwSignal::new(problem),
            corrupt_entries: RwSignal::new(loaded.corrupt.len()),
            store: StoredValue::new(store),
        }
    }

    pub fn store(&self) -> Result<LocalStore, StoreError> {
        self.store.get_value().ok_or_else(|| StoreError::Unavailable("local storage could not be opened".into()))
    }

    pub fn sign_in(&self, session: Session) -> Result<(), StoreError> {
        self.store()?.save_session(&session)?;
        self.session.set(Some(session));
        Ok(())
    }

    /// Forgets the session. Visits stay on the phone until they are synced.
    pub fn sign_out(&self) {
        if let Ok(store) = self.store() {
            store.clear_session();
        }
        self.session.set(None);
    }

    /// Keeps a visit (new or changed): on the phone first, then on screen.
    pub fn keep(&self, visit: LocalVisit) -> Result<(), StoreError> {
        let result = self.store().and_then(|store| store.save_visit(&visit));
        if let Err(error) = &result {
            self.storage_problem.set(Some(error.clone()));
            return result;
        }
        self.storage_problem.set(None);
        self.visits.update(|visits| {
            match visits.iter_mut().find(|kept| kept.visit.id == visit.visit.id) {
                Some(kept) => *kept = visit,
                None => visits.push(visit),
            }
            visits.sort_by(|a, b| b.visit.visited_at.cmp(&a.visit.visited_at).then(b.visit.id.cmp(&a.visit.id)));
        });
        Ok(())
    }

    pub fn pending(&self) -> Vec<LocalVisit> {
        self.visits.with_untracked(|visits| visits.iter().filter(|visit| visit.is_pending()).cloned().collect())
    }
}
