//! A record's sync state as a list shows it: the same words for households,
//! visits and community sessions.

use crate::i18n;
use crate::store::SyncState;

/// A sync state as a badge: its label, its CSS class, and the server's reason when it refused the record.
pub fn sync_badge(sync: SyncState) -> (&'static str, &'static str, Option<String>) {
    match sync {
        SyncState::Pending => (i18n::STATE_PENDING, "badge pending", None),
        SyncState::Synced { .. } => (i18n::STATE_SYNCED, "badge synced", None),
        SyncState::Rejected { message, .. } => (i18n::STATE_REJECTED, "badge rejected", Some(message)),
        SyncState::Conflict { message } => (i18n::STATE_CONFLICT, "badge rejected", Some(message)),
    }
}
