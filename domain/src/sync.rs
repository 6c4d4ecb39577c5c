//! Sync messages between the phone's outbox and the server
//! (docs/sync-protocol.md is the specification).
//!
//! The phone pushes visits it created, each with its own UUID. The server
//! answers one result per visit, so a batch with one bad visit still stores
//! the others, and a visit pushed twice is stored once.

use crate::validation::FieldError;
use crate::visit::VisitInput;
use serde::{Deserialize, Serialize};

/// Most visits one push may carry; the server refuses larger batches.
pub const MAX_PUSH_VISITS: usize = 200;
/// Largest push body the server reads, in bytes.
pub const MAX_PUSH_BYTES: usize = 1024 * 1024;

/// `POST /api/v1/sync/push`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PushRequest {
    pub visits: Vec<VisitInput>,
}

/// The answer: one result per pushed visit, in the order pushed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PushResponse {
    pub results: Vec<PushResult>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushResult {
    /// The visit's id as pushed.
    pub id: String,
    pub status: PushStatus,
    /// Why a visit was rejected, per field.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// For people, in Vietnamese, when the status is not `applied` or `duplicate`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// What the server did with one pushed visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PushStatus {
    /// Stored now.
    Applied,
    /// Already stored with identical content; nothing changed.
    Duplicate,
    /// The id is already used by a different visit or another author; nothing changed.
    Conflict,
    /// The visit breaks a rule; `errors` says which. Retrying will not help.
    Rejected,
}

impl PushStatus {
    /// The server holds this visit exactly as the phone does.
    pub fn is_stored(self) -> bool {
        matches!(self, PushStatus::Applied | PushStatus::Duplicate)
    }
}
