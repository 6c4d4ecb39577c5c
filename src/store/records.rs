//! Records kept one per key with a small index of ids: saving one record
//! writes one small entry, never the whole collection.

use super::keys::Collection;
use super::{LocalStore, StoreError};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// What loading a collection found: the readable records and the keys set aside.
#[derive(Debug)]
pub struct Loaded<T> {
    pub records: Vec<T>,
    pub corrupt: Vec<String>,
}

impl LocalStore {
    fn index(&self, collection: Collection) -> Vec<String> {
        match self.read::<Vec<String>>(collection.index) {
            Ok(index) => index.unwrap_or_default(),
            Err(_) => {
                self.set_aside(collection.index);
                self.rebuild_index(collection)
            }
        }
    }

    /// Recovers an index from the entries themselves.
    fn rebuild_index(&self, collection: Collection) -> Vec<String> {
        let prefix = self.key(collection.prefix);
        let ids: Vec<String> =
            self.keys().into_iter().filter_map(|key| key.strip_prefix(&prefix).map(str::to_owned)).collect();
        let _ = self.write(collection.index, &ids);
        ids
    }

    /// Every readable record. Unreadable entries are set aside and named in
    /// `corrupt`, so one bad entry never stops the app.
    pub(crate) fn load_all<T: DeserializeOwned>(&self, collection: Collection) -> Loaded<T> {
        let mut loaded = Loaded { records: Vec::new(), corrupt: Vec::new() };
        for id in self.index(collection) {
            let name = collection.entry(&id);
            match self.read::<T>(&name) {
                Ok(Some(record)) => loaded.records.push(record),
                Ok(None) => {}
                Err(_) => {
                    self.set_aside(&name);
                    loaded.corrupt.push(self.key(&name));
                }
            }
        }
        loaded
    }

    /// Saves one record. The entry is written before the index, and removed
    /// again if the index cannot be written, so a full storage never leaves
    /// half a save behind.
    pub(crate) fn save_record<T: Serialize>(
        &self,
        collection: Collection,
        id: &str,
        record: &T,
    ) -> Result<(), StoreError> {
        let name = collection.entry(id);
        let is_new = self.raw(&name).is_none();
        self.write(&name, record)?;
        if is_new {
            let mut index = self.index(collection);
            if !index.iter().any(|known| known == id) {
                index.push(id.to_owned());
                if let Err(error) = self.write(collection.index, &index) {
                    self.remove(&name);
                    return Err(error);
                }
            }
        }
        Ok(())
    }

    /// Forgets one record.
    pub(crate) fn remove_record(&self, collection: Collection, id: &str) {
        let mut index = self.index(collection);
        index.retain(|known| known != id);
        // Shrinking the index frees space, so this write does not fail on a full storage.
        let _ = self.write(collection.index, &index);
        self.remove(&collection.entry(id));
    }
}
