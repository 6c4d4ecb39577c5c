//! A backup of everything not yet on the server, as a file: downloaded on
//! one phone, imported on another (or the same after a reset) without
//! duplicates, because records keep their ids and revisions.

use crate::notebook::Notebook;
use crate::store::{LocalHousehold, LocalVisit, StoreError, SyncState};
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
    for mut local in backup.households {
        let newer = notebook
            .household(local.household.id)
            .is_none_or(|kept| kept.household.revision < local.household.revision);
        if newer {
            local.sync = SyncState::Pending;
            notebook.keep_household(local)?;
            report.added += 1;
        } else {
            report.already_here += 1;
        }
    }
    for mut local in backup.visits {
        let newer = notebook.visit(local.visit.id).is_none_or(|kept| kept.visit.revision < local.visit.revision);
        if newer {
            local.sync = SyncState::Pending;
            notebook.keep_visit(local)?;
            report.added += 1;
        } else {
            report.already_here += 1;
        }
    }
    Ok(report)
}
