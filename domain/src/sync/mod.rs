//! Sync messages between the phone's outbox and the server
//! (docs/sync-protocol.md is the specification).
//!
//! The phone pushes the households and visits it created or changed, and
//! the visits it deleted; each with its own UUID. The server answers one
//! result per change, so a batch with one bad change still stores the
//! others, and a change pushed twice is stored once. The phone pulls what
//! its team knows, page by page, from an opaque cursor.

use crate::community_session::{CommunitySession, CommunitySessionId, CommunitySessionInput};
use crate::household::{Household, HouseholdInput};
use crate::input::required;
use crate::validation::FieldError;
use crate::visit::{Outcome, Visit, VisitId, VisitInput};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub mod judge;
pub mod phone;

/// Most changes (households, visits, community sessions and deletions) one push may carry.
pub const MAX_PUSH_CHANGES: usize = 200;
/// Largest push body the server reads, in bytes.
pub const MAX_PUSH_BYTES: usize = 1024 * 1024;
/// Most changes one pull page returns, whatever `limit` asks.
pub const MAX_PULL_LIMIT: usize = 1000;

/// `POST /api/v1/sync/push`. Households are applied first, so a visit may
/// refer to a household pushed in the same batch.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PushRequest {
    #[serde(default)]
    pub households: Vec<Pushed<HouseholdInput>>,
    #[serde(default)]
    pub visits: Vec<Pushed<VisitInput>>,
    /// Ids of visits deleted on the phone (tombstones).
    #[serde(default)]
    pub deleted_visits: Vec<String>,
    #[serde(default)]
    pub community_sessions: Vec<Pushed<CommunitySessionInput>>,
    /// Ids of community sessions deleted on the phone (tombstones).
    #[serde(default)]
    pub deleted_community_sessions: Vec<String>,
}

/// A pushed record: its fields, and the server's revision the phone edited
/// (docs/sync-protocol.md, "Revisions").
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pushed<I> {
    #[serde(flatten)]
    pub record: I,
    /// The server's revision this version was edited from; 0 for a record
    /// new on the phone. Phones of the earlier protocol send none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_revision: Option<u32>,
}

impl<I> Pushed<I> {
    /// A record new on the phone, never on the server.
    pub fn new_record(record: I) -> Self {
        Pushed { record, base_revision: Some(phone::NEW_ON_PHONE) }
    }
}

/// The `base_revision` of a pushed record, read on its own from the raw
/// change (the server parses each change's fields separately).
#[derive(Debug, Clone, Copy, Default, Deserialize)]
pub struct BaseRevision {
    #[serde(default)]
    pub base_revision: Option<u32>,
}

impl PushRequest {
    pub fn len(&self) -> usize {
        self.households.len()
            + self.visits.len()
            + self.deleted_visits.len()
            + self.community_sessions.len()
            + self.deleted_community_sessions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The answer: one result per change — households, visits, deleted visits,
/// community sessions, deleted community sessions — each in the order pushed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PushResponse {
    pub results: Vec<PushResult>,
}

/// What kind of record a change is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Household,
    Visit,
    VisitDeleted,
    CommunitySession,
    CommunitySessionDeleted,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushResult {
    pub kind: ChangeKind,
    /// The record's id as pushed.
    pub id: String,
    pub status: PushStatus,
    /// Why a change was rejected, per field.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// For people, in Vietnamese, when the status is not `applied` or `duplicate`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The record's revision on the server after this change, when it is
    /// stored (`applied`, `duplicate`) and not a deletion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision: Option<u32>,
}

/// What the server did with one pushed change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PushStatus {
    /// Stored now.
    Applied,
    /// Already stored exactly so; nothing changed.
    Duplicate,
    /// The id is already used by a different record or another author; nothing changed.
    Conflict,
    /// The change breaks a rule; `errors` says which. Retrying will not help.
    Rejected,
}

impl PushStatus {
    /// The server holds this change exactly as the phone does.
    pub fn is_stored(self) -> bool {
        matches!(self, PushStatus::Applied | PushStatus::Duplicate)
    }
}

/// `GET /api/v1/sync/pull?since=CURSOR&limit=N`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PullResponse {
    pub changes: Vec<PulledChange>,
    /// Pass it as `since` next time. Opaque.
    pub cursor: String,
    /// More changes wait: pull again at once with `cursor`.
    pub has_more: bool,
}

/// One change the phone should apply, in the order the server committed them.
/// Written as a tagged object (`"kind"` and the change's fields); read back
/// through its flat wire form, [`PulledChangeWire`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", try_from = "PulledChangeWire")]
pub enum PulledChange {
    /// A household of the team, as it stands now, with who has been there.
    Household { household: Household, visits: HouseholdVisits },
    /// One of the user's own visits (or, for leaders and coordinators, of their scope).
    Visit { visit: Visit, author_id: i64 },
    /// A visit deleted by its author.
    VisitDeleted { id: VisitId },
    /// A community session, seen by the same people as a visit.
    CommunitySession { community_session: CommunitySession, author_id: i64 },
    /// A community session deleted by its author.
    CommunitySessionDeleted { id: CommunitySessionId },
}

/// A [`PulledChange`] as JSON carries it, flat. Read through this instead of
/// serde's derive for a tagged enum, which buffers each change and then
/// reads every record kind a second time from the buffer: on the phone that
/// doubled the records' deserialisers (docs/benchmarks.md).
#[derive(Deserialize)]
struct PulledChangeWire {
    kind: PulledKind,
    household: Option<Household>,
    visits: Option<HouseholdVisits>,
    visit: Option<Visit>,
    community_session: Option<CommunitySession>,
    author_id: Option<i64>,
    id: Option<String>,
}

/// The `kind` of a [`PulledChange`].
#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum PulledKind {
    Household,
    Visit,
    VisitDeleted,
    CommunitySession,
    CommunitySessionDeleted,
}

impl TryFrom<PulledChangeWire> for PulledChange {
    type Error = String;

    fn try_from(wire: PulledChangeWire) -> Result<Self, String> {
        fn id<T>(raw: Option<&str>, parse: fn(&str) -> Option<T>) -> Result<T, String> {
            let raw = required("id", raw)?;
            parse(raw).ok_or_else(|| format!("invalid id `{raw}`"))
        }
        Ok(match wire.kind {
            PulledKind::Household => PulledChange::Household {
                household: required("household", wire.household)?,
                visits: required("visits", wire.visits)?,
            },
            PulledKind::Visit => PulledChange::Visit {
                visit: required("visit", wire.visit)?,
                author_id: required("author_id", wire.author_id)?,
            },
            PulledKind::VisitDeleted => PulledChange::VisitDeleted { id: id(wire.id.as_deref(), VisitId::parse)? },
            PulledKind::CommunitySession => PulledChange::CommunitySession {
                community_session: required("community_session", wire.community_session)?,
                author_id: required("author_id", wire.author_id)?,
            },
            PulledKind::CommunitySessionDeleted => {
                PulledChange::CommunitySessionDeleted { id: id(wire.id.as_deref(), CommunitySessionId::parse)? }
            }
        })
    }
}

/// What the team knows of the knocks on a household's door, so a house
/// visited by a teammate shows as visited on every phone.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HouseholdVisits {
    pub count: u32,
    pub last: Option<LastVisit>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LastVisit {
    pub at: DateTime<Utc>,
    pub by: String,
    pub outcome: Outcome,
}

/// How long a phone waits before retrying a sync that failed `failures`
/// times in a row: doubling from 15 s up to 10 minutes, spread by `jitter`
/// (a random number in 0..1) over ±50% so a village's phones that lost the
/// signal together do not all come back at the same second.
pub fn retry_delay_ms(failures: u32, jitter: f64) -> u64 {
    const FIRST_MS: u64 = 15_000;
    const MAX_MS: u64 = 600_000;
    let base = FIRST_MS.saturating_mul(1u64 << failures.min(16)).min(MAX_MS);
    let spread = 0.5 + jitter.clamp(0.0, 1.0);
    (base as f64 * spread) as u64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::Catalogue;

    /// Every kind of change, written as the server writes it, reads back the
    /// same through the flat wire form.
    #[test]
    fn every_pulled_change_reads_back_as_it_was_written() {
        let now: DateTime<Utc> = "2026-12-01T03:00:00Z".parse().unwrap();
        let household = Household::parse(&HouseholdInput {
            id: crate::household::HouseholdId::new().to_string(),
            village_id: 1,
            head_name: "Lý Thị Mai".into(),
            address: "Số 2, xóm Cầu".into(),
            consent: true,
            ..Default::default()
        })
        .unwrap();
        let visit = Visit::parse(
            &VisitInput {
                id: VisitId::new().to_string(),
                household_id: household.id.to_string(),
                outcome: Some(Outcome::NobodyHome),
                visited_at: Some(now),
                ..Default::default()
            },
            now,
            &Catalogue::starting(),
        )
        .unwrap();
        let session = CommunitySession::parse(
            &CommunitySessionInput {
                id: CommunitySessionId::new().to_string(),
                village_id: 1,
                place: "Nhà văn hóa thôn Đông".into(),
                held_on: Some(now.date_naive()),
                skills: vec![Catalogue::starting().skills[0].code.clone()],
                attendees: crate::PeopleGuided { adults: 12, ..Default::default() },
                ..Default::default()
            },
            now,
            &Catalogue::starting(),
        )
        .unwrap();
        let last = LastVisit { at: now, by: "Phạm Thu Trang".into(), outcome: Outcome::NobodyHome };
        let changes = [
            PulledChange::Household { household, visits: HouseholdVisits { count: 1, last: Some(last) } },
            PulledChange::Visit { visit: visit.clone(), author_id: 7 },
            PulledChange::VisitDeleted { id: visit.id },
            PulledChange::CommunitySession { community_session: session.clone(), author_id: 7 },
            PulledChange::CommunitySessionDeleted { id: session.id },
        ];
        for change in changes {
            let json = serde_json::to_string(&change).unwrap();
            assert_eq!(serde_json::from_str::<PulledChange>(&json).unwrap(), change, "{json}");
        }
        let incomplete = serde_json::from_str::<PulledChange>(r#"{"kind": "visit", "author_id": 7}"#);
        assert!(incomplete.unwrap_err().to_string().contains("missing field `visit`"));
    }

    #[test]
    fn retries_back_off_exponentially_up_to_a_ceiling() {
        assert_eq!(retry_delay_ms(0, 0.5), 15_000);
        assert_eq!(retry_delay_ms(1, 0.5), 30_000);
        assert_eq!(retry_delay_ms(3, 0.5), 120_000);
        assert_eq!(retry_delay_ms(10, 0.5), 600_000);
        assert_eq!(retry_delay_ms(u32::MAX, 0.5), 600_000);
    }

    #[test]
    fn jitter_spreads_retries_by_half_either_way() {
        assert_eq!(retry_delay_ms(1, 0.0), 15_000);
        assert_eq!(retry_delay_ms(1, 1.0), 45_000);
        assert_eq!(retry_delay_ms(1, 7.0), 45_000, "out-of-range jitter is clamped");
    }
}
