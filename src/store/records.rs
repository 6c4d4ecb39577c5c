//! Records kept one per key with a small index of ids: saving one record
//! writes one small entry and at most one index chunk of [`CHUNK`] ids,
//! never the whole collection. Full chunks are sealed under
//! `<index>.sealed.<n>` and never rewritten, except to take out a deleted id.

use super::keys::Collection;
use super::{to_json, LocalStore, StoreError};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// What loading a collection found: the readable records and the keys set aside.
#[derive(Debug)]
pub struct Loaded<T> {
    pub records: Vec<T>,
    pub corrupt: Vec<String>,
}

/// Ids per sealed index chunk: the open chunk is the only one rewritten on
/// a save, so a save writes at most this many ids however large the store.
pub const CHUNK: usize = 1000;

impl LocalStore {
    /// Every id of the collection: the sealed chunks, then the open one. An
    /// unreadable chunk is set aside and the index rebuilt from the entries.
    fn index(&self, collection: Collection) -> Vec<String> {
        self.id_chunks_newest_first(collection).into_iter().rev().flatten().collect()
    }

    /// How many chunks are sealed. Each is an entry of its own, so a count
    /// above the number of entries is damage (an edit by hand, a broken
    /// write): trusted, it would have every start walk billions of chunks.
    fn sealed_chunks(&self, collection: Collection) -> usize {
        let counted: usize = self.read(&collection.sealed_count()).unwrap_or(None).unwrap_or(0);
        counted.min(self.entry_count())
    }

    /// One chunk of the index; an unreadable chunk is set aside and the
    /// index rebuilt from the entries themselves.
    fn chunk(&self, collection: Collection, name: &str) -> Vec<String> {
        match self.read::<Vec<String>>(name) {
            Ok(ids) => ids.unwrap_or_default(),
            Err(_) => {
                self.set_aside(name);
                self.rebuild_index(collection)
            }
        }
    }

    /// Recovers an index from the entries themselves, as one open chunk.
    fn rebuild_index(&self, collection: Collection) -> Vec<String> {
        let prefix = self.key(collection.prefix);
        let ids: Vec<String> =
            self.keys().into_iter().filter_map(|key| key.strip_prefix(&prefix).map(str::to_owned)).collect();
        for chunk in 0..self.sealed_chunks(collection) {
            self.remove(&collection.sealed(chunk));
        }
        self.remove(&collection.sealed_count());
        let _ = self.write(collection.index, &ids);
        ids
    }

    /// Adds a new id to the open chunk, sealing the chunk first when it is full.
    fn append_to_index(&self, collection: Collection, id: &str) -> Result<(), StoreError> {
        let mut open = self.chunk(collection, collection.index);
        if open.iter().any(|known| known == id) {
            return Ok(());
        }
        if open.len() >= CHUNK {
            let sealed = self.sealed_chunks(collection);
            self.write(&collection.sealed(sealed), &open)?;
            self.write(&collection.sealed_count(), &(sealed + 1))?;
            open.clear();
        }
        open.push(id.to_owned());
        self.write(collection.index, &open)
    }

    /// Takes an id out of whichever chunk holds it.
    fn remove_from_index(&self, collection: Collection, id: &str) {
        let chunks = (0..self.sealed_chunks(collection)).map(|chunk| collection.sealed(chunk));
        for name in chunks.chain(std::iter::once(collection.index.to_owned())) {
            let mut ids = self.chunk(collection, &name);
            if let Some(at) = ids.iter().position(|known| known == id) {
                ids.remove(at);
                // Shrinking a chunk frees space, so this write does not fail on a full storage.
                let _ = self.write(&name, &ids);
                return;
            }
        }
    }

    /// The collection's ids chunk by chunk, newest chunk first (the open one,
    /// then the sealed ones from the last sealed), so an app can read its
    /// recent records first and the rest later.
    pub(crate) fn id_chunks_newest_first(&self, collection: Collection) -> Vec<Vec<String>> {
        let sealed = (0..self.sealed_chunks(collection)).rev().map(|chunk| collection.sealed(chunk));
        let mut chunks = Vec::new();
        for name in std::iter::once(collection.index.to_owned()).chain(sealed) {
            match self.read::<Vec<String>>(&name) {
                Ok(chunk) => chunks.push(chunk.unwrap_or_default()),
                Err(_) => {
                    self.set_aside(&name);
                    return vec![self.rebuild_index(collection)];
                }
            }
        }
        chunks
    }

    /// Every readable record. Unreadable entries are set aside and named in
    /// `corrupt`, so one bad entry never stops the app.
    pub(crate) fn load_all<T: DeserializeOwned>(&self, collection: Collection) -> Loaded<T> {
        self.load_ids(collection, &self.index(collection))
    }

    /// The readable records among `ids`, in that order; unreadable ones are set aside.
    pub(crate) fn load_ids<T: DeserializeOwned>(&self, collection: Collection, ids: &[String]) -> Loaded<T> {
        let mut records = Vec::new();
        let corrupt = self.each_entry(collection, ids, &mut |json| match serde_json::from_str(json) {
            Ok(record) => {
                records.push(record);
                true
            }
            Err(_) => false,
        });
        Loaded { records, corrupt }
    }

    /// Hands each stored entry of `ids` to `take`, which says whether it could
    /// read it; sets the others aside and returns their keys. Not generic, so
    /// the walk is compiled once for every kind of record.
    fn each_entry(&self, collection: Collection, ids: &[String], take: &mut dyn FnMut(&str) -> bool) -> Vec<String> {
        let mut corrupt = Vec::new();
        for id in ids {
            let name = collection.entry(id);
            match self.get(&name) {
                Ok(Some(json)) if take(&json) => {}
                Ok(None) => {}
                _ => {
                    self.set_aside(&name);
                    corrupt.push(self.key(&name));
                }
            }
        }
        corrupt
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
        self.save_record_json(collection, id, &to_json(record)?)
    }

    /// [`Self::save_record`] of a record already written as JSON.
    pub(crate) fn save_record_json(&self, collection: Collection, id: &str, json: &str) -> Result<(), StoreError> {
        let name = collection.entry(id);
        let is_new = self.raw(&name).is_none();
        self.set(&name, json)?;
        if is_new {
            if let Err(error) = self.append_to_index(collection, id) {
                self.remove(&name);
                return Err(error);
            }
        }
        Ok(())
    }

    /// Whether the phone keeps a record `id` of `collection` (this tab's or another's).
    pub(crate) fn holds_record(&self, collection: Collection, id: &str) -> bool {
        self.raw(&collection.entry(id)).is_some()
    }

    /// Forgets one record.
    pub(crate) fn remove_record(&self, collection: Collection, id: &str) {
        self.remove_from_index(collection, id);
        self.remove(&collection.entry(id));
    }
}
