//! Where a page of `GET /api/v1/visits` starts. The list is newest first,
//! by `visited_at` then id, so a page is "older than the last visit of the
//! one before": a position, not an offset, and visits logged or voided
//! between two pages neither repeat nor skip one.

use chrono::{DateTime, Utc};
use gocua_domain::{Visit, VisitId};

/// A page's start: the visits after (older than) this position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitsBefore {
    pub visited_at: DateTime<Utc>,
    /// Lowercase and hyphenated, as stored.
    pub id: String,
}

impl VisitsBefore {
    /// The cursor of the page after `visit`, as the API hands it out: its time
    /// in microseconds since 1970 and its id, e.g. `1772420400000000.0193a3c4-…`
    /// (only characters a query string carries as they are).
    pub fn after(visit: &Visit) -> String {
        format!("{}.{}", visit.visited_at.timestamp_micros(), visit.id)
    }

    /// Reads a cursor [`Self::after`] made; `None` for anything else.
    pub fn parse(raw: &str) -> Option<Self> {
        let (micros, id) = raw.split_once('.')?;
        let visited_at = DateTime::from_timestamp_micros(micros.parse().ok()?)?;
        Some(VisitsBefore { visited_at, id: VisitId::parse(id)?.to_string() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_reads_back_as_the_position_it_was_made_from() {
        let id = VisitId::new();
        let visited_at: DateTime<Utc> = "2026-03-02T03:00:00.123456Z".parse().unwrap();
        let raw = format!("{}.{id}", visited_at.timestamp_micros());
        assert_eq!(VisitsBefore::parse(&raw), Some(VisitsBefore { visited_at, id: id.to_string() }));
        for bad in ["", "12", "abc.0193a3c4-0000-7f80-9a1b-2c3d4e5f6a71", "12.not-an-id", "99999999999999999999.x"] {
            assert_eq!(VisitsBefore::parse(bad), None, "{bad:?}");
        }
    }
}
