//! The store's layout version and the upgrades between versions.
//!
//! Version 1 is the first layout. A later version adds a step here that
//! rewrites what version 1 wrote; steps run in order, each once, and the
//! version is written only after its step succeeded.

use super::{keys, LocalStore, StoreError};

/// The layout this build of the app writes.
pub const CURRENT: u32 = 1;

pub fn upgrade(store: &LocalStore) -> Result<(), StoreError> {
    let found: u32 = store.read(keys::SCHEMA).unwrap_or(None).unwrap_or(0);
    if found > CURRENT {
        // A newer build wrote this layout and the phone went back to an older
        // one (a cached shell): read what we understand, change nothing.
        return Ok(());
    }
    if found < CURRENT {
        // 0 → 1: an empty store; nothing to move.
        store.write(keys::SCHEMA, &CURRENT)?;
    }
    Ok(())
}

impl LocalStore {
    pub fn schema_version(&self) -> u32 {
        self.read(keys::SCHEMA).unwrap_or(None).unwrap_or(0)
    }
}
