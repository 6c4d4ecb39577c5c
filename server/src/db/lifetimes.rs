//! When an invite or a device session stops being usable: rules every
//! backend applies to what it read, written once.

use super::InviteProblem;
use chrono::{DateTime, Duration, Utc};

/// Why an invite, as stored, cannot be redeemed at `now` (`None`: it can).
/// A cancelled code is answered as unknown: its holder learns nothing more.
pub(super) fn invite_problem(
    cancelled_at: Option<DateTime<Utc>>,
    used_at: Option<DateTime<Utc>>,
    expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Option<InviteProblem> {
    if cancelled_at.is_some() {
        Some(InviteProblem::Unknown)
    } else if used_at.is_some() {
        Some(InviteProblem::Used)
    } else if expires_at <= now {
        Some(InviteProblem::Expired)
    } else {
        None
    }
}

/// What a stored session is at `now`, before its user's details are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SessionState {
    Usable,
    /// The user or a leader revoked it: the device is told so.
    Revoked,
    /// Expired or signed out, or the account is deactivated.
    Ended,
}

pub(super) fn session_state(
    revoked_at: Option<DateTime<Utc>>,
    expires_at: DateTime<Utc>,
    account_active: bool,
    now: DateTime<Utc>,
) -> SessionState {
    if revoked_at.is_some() {
        SessionState::Revoked
    } else if expires_at <= now || !account_active {
        SessionState::Ended
    } else {
        SessionState::Usable
    }
}

/// `last_used_at` is written at most this often, so reads stay reads.
const LAST_USED_GRANULARITY: Duration = Duration::minutes(10);

/// Whether a session last marked used at `last_used` is to be marked again at `now`.
pub(super) fn mark_used(last_used: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now - last_used > LAST_USED_GRANULARITY
}
