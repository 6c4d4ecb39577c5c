//! The store's layout version and the upgrades between versions.
//!
//! Each step rewrites what the version before it wrote, working on raw JSON
//! so it never depends on today's types: the browser's own `JSON`, which
//! costs the phone's download nothing (serde_json's untyped `Value` cost
//! about 5 KB brotli for this one step, docs/benchmarks.md). Steps run in
//! order, each once; the version is written only after its step succeeded,
//! so an upgrade cut short (a closed tab, a full storage) simply runs again
//! on the next start.
//!
//! - 0 → 1: an empty store.
//! - 1 → 2: a visit carried its household; households become records of
//!   their own (under the visit's id, as the server's own migration does),
//!   visits gain an outcome ("guided"), skills become {code, completed}, and
//!   a revision.

use super::keys::{self, HOUSEHOLDS, VISITS};
use super::{LocalStore, StoreError};
use js_sys::{Array, Object, Reflect, JSON};
use wasm_bindgen::{JsCast, JsValue};

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
        // Unreadable: left as it is, for the load to set aside.
        let Some(old) = store.raw(&name).and_then(|json| JSON::parse(&json).ok()) else { continue };
        let visit = field(&old, "visit");
        // Already upgraded by an earlier, interrupted run: a visit of layout 2 names its household.
        if Reflect::get(&visit, &"household_id".into()).is_ok_and(|id| !id.is_undefined()) {
            continue;
        }
        upgrade_visit(store, &id, &name, &old, &visit)?;
    }
    Ok(())
}

fn upgrade_visit(store: &LocalStore, id: &str, name: &str, old: &JsValue, visit: &JsValue) -> Result<(), StoreError> {
    let inside = field(visit, "household");
    let sync = field(old, "sync");
    // Only a synced visit's household is already on the server (its
    // migration made it); any other must be pushed with its visit.
    let synced = field(&sync, "state").as_string().as_deref() == Some("synced");
    let household = object(&[
        (
            "household",
            object(&[
                ("id", field(visit, "id")),
                ("village_id", field(visit, "village_id")),
                ("head_name", field(&inside, "head_name")),
                ("address", field(&inside, "address")),
                ("phone", JsValue::NULL),
                ("members", JsValue::NULL),
                ("revision", 1.into()),
            ]),
        ),
        ("sync", if synced { sync.clone() } else { object(&[("state", "pending".into())]) }),
        ("visits", object(&[("count", 1.into()), ("last", JsValue::NULL)])),
    ]);
    let skills: Array = field(visit, "skills")
        .dyn_into::<Array>()
        .unwrap_or_default()
        .iter()
        .map(|code| object(&[("code", code), ("completed", false.into())]))
        .collect();
    let upgraded = object(&[
        (
            "visit",
            object(&[
                ("id", field(visit, "id")),
                ("household_id", field(visit, "id")),
                ("outcome", "guided".into()),
                ("come_back_on", JsValue::NULL),
                ("people", field(visit, "people")),
                ("skills", skills.into()),
                ("note", field(visit, "note")),
                ("visited_at", field(visit, "visited_at")),
                ("follow_up", JsValue::NULL),
                ("revision", 1.into()),
            ]),
        ),
        ("sync", sync),
        ("saved_at", field(old, "saved_at")),
        ("deleted", false.into()),
    ]);
    store.save_record_json(HOUSEHOLDS, id, &stringify(&household)?)?;
    store.set(name, &stringify(&upgraded)?)
}

/// `value[name]`, `null` when missing (as JSON has it).
fn field(value: &JsValue, name: &str) -> JsValue {
    match Reflect::get(value, &name.into()) {
        Ok(found) if !found.is_undefined() => found,
        _ => JsValue::NULL,
    }
}

fn object(fields: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (name, value) in fields {
        let _ = Reflect::set(&object, &(*name).into(), value);
    }
    object.into()
}

/// Values made from parsed JSON always stringify; should one not, nothing is written.
fn stringify(value: &JsValue) -> Result<String, StoreError> {
    JSON::stringify(value)
        .ok()
        .and_then(|json| json.as_string())
        .ok_or_else(|| StoreError::Unavailable("JSON.stringify".into()))
}
