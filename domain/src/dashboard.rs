//! The figures a leader (their team) or a coordinator (the commune) sees for
//! a period: `GET /api/v1/dashboard` (docs/api.md). Kept by the app too, so
//! the last dashboard loaded stays readable offline.

use crate::report::TeamFigures;
use crate::target_group::PeopleGuided;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dashboard {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// When the server computed it: the app shows it when offline.
    pub generated_at: DateTime<Utc>,
    pub totals: Totals,
    pub villages: Vec<VillageFigures>,
    pub volunteers: Vec<VolunteerFigures>,
    pub days: Vec<DayFigures>,
    pub skills: Vec<SkillFigures>,
    /// Teams with visits in the period, most doors first: a coordinator compares them.
    pub teams: Vec<TeamFigures>,
    /// Households whose last visit asked for a return on or before the
    /// period's end, soonest first: the first [`FOLLOW_UPS_LISTED`] of them.
    pub follow_ups: Vec<FollowUpOwed>,
    /// How many returns are owed in all (more than `follow_ups` holds when a
    /// commune owes thousands: a phone shows the soonest, the number says the rest).
    #[serde(default)]
    pub follow_ups_total: u32,
    /// Counted apart from visits: attendees are people, never households reached.
    /// (Absent from dashboards a phone cached before sessions were counted.)
    #[serde(default)]
    pub community_sessions: CommunitySessionFigures,
}

/// The community sessions held in a period: how many, who came, and where.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommunitySessionFigures {
    pub sessions: u32,
    /// Attendees per target group (the elderly inside adults, and again on their own).
    pub attendees: PeopleGuided,
    /// Villages with sessions in the period, in name order.
    pub villages: Vec<VillageSessions>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VillageSessions {
    pub village_id: i64,
    pub name: String,
    pub sessions: u32,
    /// The four target groups summed (the elderly not again).
    pub attendees: u32,
}

/// The most returns owed that a dashboard lists: the soonest due. A phone
/// cannot show thousands usefully, and the answer stays small and fast.
pub const FOLLOW_UPS_LISTED: u32 = 100;

/// A return promised to a household and not made yet, and who owes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUpOwed {
    pub household_id: String,
    /// The head's name; empty for a household that gave no personal data.
    pub household: String,
    pub village: String,
    pub on: NaiveDate,
    pub reason: String,
    /// The volunteer who made the last visit.
    pub owner_id: i64,
    pub owner: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    /// Visits of any outcome: every knock counts.
    pub doors: u32,
    /// Different households visited in the period.
    pub households_reached: u32,
    /// Different households where someone was guided.
    pub households_guided: u32,
    /// People guided per target group (the elderly inside adults, and again on their own).
    pub people: PeopleGuided,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VillageFigures {
    pub village_id: i64,
    pub name: String,
    pub doors: u32,
    /// Households in the village, as the coordinator set it.
    pub households: u32,
    /// Different households visited at least once, from the start up to the period's end: "every door".
    pub households_reached_ever: u32,
    /// Households whose visits up to the period's end show each of the five
    /// basic digital skills completed by someone in it: the national target.
    #[serde(default)]
    pub households_at_target: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VolunteerFigures {
    pub user_id: i64,
    pub name: String,
    pub doors: u32,
    pub people: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayFigures {
    /// A day in Vietnam's time.
    pub day: NaiveDate,
    pub doors: u32,
    pub people: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkillFigures {
    pub code: String,
    /// Visits where it was guided, and where the person completed it.
    pub guided: u32,
    pub completed: u32,
}
