//! The store's layout version and the upgrades between versions.
//!
//! Each step rewrites what the version before it wrote, working on raw JSON
//! so it never depends on today's types. Steps run in order, each once; the
//! version is written only after its step succeeded, so an upgrade cut short
//! (a closed tab, a full storage) simply runs again on the next start.
//!
//! - 0 → 1: an empty store.
//! - 1 → 2: a visit carried its household; households become records of
//!   their own (under the visit's id, as the server's own migration does),
//!   visits gain an outcome ("guided"), skills become {code, completed}, and
//!   a revision.

use super::keys::{self, HOUSEHOLDS, VISITS};
use super::{LocalStore, StoreError};
use serde_json::{json, Value};

/// The layout this build of the app writes.
pub const CURRENT: u32 = 2;

pub fn upgrade(store: &LocalStore) -> Result<(), StoreError> {
    let found = store.schema_version();
    if found > CURRENT {
        // A newer build wrote this layout and the phone went back to an older
        // one (a cached shell): read what we understand, change nothing.
        return Ok(());
    }
    for version in found..CURRENT {
        match version {
            0 => {}
            1 => households_of_their_own(store)?,
            _ => unreachable!("every version below CURRENT has a step"),
        }
        store.write(keys::SCHEMA, &(version + 1))?;
    }
    Ok(())
}

impl LocalStore {
    pub fn schema_version(&self) -> u32 {
        self.read(keys::SCHEMA).unwrap_or(None).unwrap_or(0)
    }
}

/// 1 → 2.
fn households_of_their_own(store: &LocalStore) -> Result<(), StoreError> {
    let ids: Vec<String> = store.read(VISITS.index).unwrap_or(None).unwrap_or_default();
    for id in ids {
        let name = VISITS.entry(&id);
        let Some(old) = store.read::<Value>(&name).unwrap_or(None) else { continue };
        if old["visit"].get("household_id").is_some() {
            continue; // already upgraded by an earlier, interrupted run
        }
        let visit = &old["visit"];
        let household = json!({
            "household": {
                "id": visit["id"],
                "village_id": visit["village_id"],
                "head_name": visit["household"]["head_name"],
                "address": visit["household"]["address"],
                "phone": null,
                "members": null,
                "revision": 1
            },
            // Only a synced visit's household is already on the server (its
            // migration made it); any other must be pushed with its visit.
            "sync": if old["sync"]["state"] == "synced" { old["sync"].clone() } else { json!({"state": "pending"}) },
            "visits": {"count": 1, "last": null}
        });
        let skills: Vec<Value> = visit["skills"]
            .as_array()
            .map(|codes| codes.iter().map(|code| json!({"code": code, "completed": false})).collect())
            .unwrap_or_default();
        let upgraded = json!({
            "visit": {
                "id": visit["id"],
                "household_id": visit["id"],
                "outcome": "guided",
                "come_back_on": null,
                "people": visit["people"],
                "skills": skills,
                "note": visit["note"],
                "visited_at": visit["visited_at"],
                "follow_up": null,
                "revision": 1
            },
            "sync": old["sync"],
            "saved_at": old["saved_at"],
            "deleted": false
        });
        store.save_record(HOUSEHOLDS, &id, &household)?;
        store.write(&name, &upgraded)?;
    }
    Ok(())
}
