//! A backup of everything not yet on the server, as a file: downloaded on
//! one phone, imported on another (or the same after a reset) without
//! duplicates, because records keep their ids and revisions.

use crate::notebook::Notebook;
use crate::store::{LocalCommunitySession, LocalHousehold, LocalVisit, StoreError, SyncState};
use chrono::{DateTime, Utc};
use leptos::prelude::WithUntracked;
use serde::{Deserialize, Serialize};

const FORMAT: &str = "gocua-backup";
const VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Backup {
    pub format: String,
    pub version: u32,
    pub exported_at: DateTime<Utc>,
    pub households: Vec<LocalHousehold>,
    pub visits: Vec<LocalVisit>,
    /// Absent from backups made before community sessions were logged.
    #[serde(default)]
    pub community_sessions: Vec<LocalCommunitySession>,
}

/// Why a file could not be imported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("not a Gõ Cửa backup: {0}")]
    NotABackup(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub added: usize,
    /// Already on this phone at the same or a newer revision.
    pub already_here: usize,
}

fn unsynced(sync: &SyncState) -> bool {
    !matches!(sync, SyncState::Synced { .. })
}

/// Every record the server does not have yet.
pub fn export(notebook: &Notebook, now: DateTime<Utc>) -> Backup {
    Backup {
        format: FORMAT.into(),
        version: VERSION,
        exported_at: now,
        households: notebook.households.with_untracked(|hs| hs.iter().filter(|h| unsynced(&h.sync)).cloned().collect()),
        visits: notebook.visits.with_untracked(|vs| vs.iter().filter(|v| unsynced(&v.sync)).cloned().collect()),
        community_sessions: notebook
            .community_sessions
            .with_untracked(|ss| ss.iter().filter(|s| unsynced(&s.sync)).cloned().collect()),
    }
}

/// Reads a backup file's text.
pub fn parse(text: &str) -> Result<Backup, ImportError> {
    let backup: Backup = serde_json::from_str(text).map_err(|error| ImportError::NotABackup(error.to_string()))?;
    if backup.format != FORMAT || backup.version > VERSION {
        return Err(ImportError::NotABackup(format!("{} version {}", backup.format, backup.version)));
    }
    Ok(backup)
}

/// Adds the backup's records this phone lacks (or holds at an older
/// revision), as pending, so the next sync sends them.
pub fn import(notebook: &Notebook, backup: Backup) -> Result<ImportReport, ImportError> {
    let mut report = ImportReport::default();
    import_newer(
        &mut report,
        backup.households,
        |local| {
            notebook.household(local.household.id).map(|kept| kept.household.revision) < Some(local.household.revision)
        },
        |mut local| {
            local.sync = SyncState::Pending;
            notebook.keep_household(local)
        },
    )?;
    import_newer(
        &mut report,
        backup.visits,
        |local| notebook.logged(local.record.id).map(|kept| kept.record.revision) < Some(local.record.revision),
        |mut local| {
            local.sync = SyncState::Pending;
            notebook.keep(local)
        },
    )?;
    import_newer(
        &mut report,
        backup.community_sessions,
        |local| notebook.logged(local.record.id).map(|kept| kept.record.revision) < Some(local.record.revision),
        |mut local| {
            local.sync = SyncState::Pending;
            notebook.keep(local)
        },
    )?;
    Ok(report)
}

/// Keeps each record that `is_newer` than what the phone holds (`None < Some`:
/// a record the phone lacks is newer), and counts the others as already here.
fn import_newer<T>(
    report: &mut ImportReport,
    records: Vec<T>,
    is_newer: impl Fn(&T) -> bool,
    keep: impl Fn(T) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    for local in records {
        if is_newer(&local) {
            keep(local)?;
            report.added += 1;
        } else {
            report.already_here += 1;
        }
    }
    Ok(())
}
