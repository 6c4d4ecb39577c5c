//! A volunteer's own figures, computed from their visits: doors knocked and
//! people guided today and this week, and the follow-ups that are due.

use crate::household::HouseholdId;
use crate::order::sort_stable_by;
use crate::time::{local_day, week_start};
use crate::visit::Visit;
use chrono::NaiveDate;
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Every visit is a door knocked, whatever its outcome.
    pub doors: u32,
    pub people: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MyWork {
    pub today: Tally,
    pub this_week: Tally,
    /// Households expecting someone back today.
    pub due_today: Vec<FollowUpDue>,
    /// Households whose date has passed with no visit since.
    pub overdue: Vec<FollowUpDue>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUpDue {
    pub household_id: HouseholdId,
    pub on: NaiveDate,
    pub reason: String,
}

/// Sums `visits` for the local day `today`. A follow-up (or an agreed return)
/// is open until a later visit to the same household.
pub fn my_work<'a>(visits: impl IntoIterator<Item = &'a Visit>, today: NaiveDate) -> MyWork {
    let monday = week_start(today);
    let mut work = MyWork::default();
    let mut latest: HashMap<HouseholdId, &Visit> = HashMap::new();
    for visit in visits {
        let day = local_day(visit.visited_at);
        if day == today {
            work.today.doors += 1;
            work.today.people += visit.people_guided();
        }
        if day >= monday && day <= today {
            work.this_week.doors += 1;
            work.this_week.people += visit.people_guided();
        }
        let newer = latest.get(&visit.household_id).is_none_or(|kept| visit.visited_at > kept.visited_at);
        if newer {
            latest.insert(visit.household_id, visit);
        }
    }
    for visit in latest.values() {
        let Some(on) = visit.due_on() else { continue };
        let reason = visit.follow_up.as_ref().map(|f| f.reason.clone()).unwrap_or_default();
        let due = FollowUpDue { household_id: visit.household_id, on, reason };
        if on == today {
            work.due_today.push(due);
        } else if on < today {
            work.overdue.push(due);
        }
    }
    sort_stable_by(&mut work.overdue, |a, b| a.on.cmp(&b.on));
    work
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::visit::{FollowUpInput, Outcome, VisitInput};
    use crate::{Catalogue, PeopleGuided, VisitId};
    use chrono::{DateTime, Utc};

    fn visit(household: HouseholdId, at: &str, outcome: Outcome, follow_up_on: Option<&str>) -> Visit {
        let guided = outcome == Outcome::Guided;
        let input = VisitInput {
            id: VisitId::new().to_string(),
            household_id: household.to_string(),
            outcome: Some(outcome),
            people: if guided { PeopleGuided { adults: 2, ..Default::default() } } else { PeopleGuided::default() },
            visited_at: Some(at.parse().unwrap()),
            follow_up: follow_up_on
                .map(|on| FollowUpInput { on: Some(on.parse().unwrap()), reason: "Quay lại".into() }),
            ..Default::default()
        };
        let now: DateTime<Utc> = "2026-11-25T12:00:00Z".parse().unwrap();
        Visit::parse(&input, now, &Catalogue::starting()).unwrap()
    }

    fn day(raw: &str) -> NaiveDate {
        raw.parse().unwrap()
    }

    #[test]
    fn every_outcome_is_a_door_but_only_guided_visits_count_people() {
        let (a, b) = (HouseholdId::new(), HouseholdId::new());
        let visits = [
            visit(a, "2026-11-25T02:00:00Z", Outcome::Guided, None),
            visit(b, "2026-11-25T03:00:00Z", Outcome::NobodyHome, None),
            visit(b, "2026-11-23T03:00:00Z", Outcome::Guided, None),
            visit(b, "2026-11-22T03:00:00Z", Outcome::Guided, None),
        ];
        let work = my_work(&visits, day("2026-11-25"));
        assert_eq!(work.today, Tally { doors: 2, people: 2 });
        assert_eq!(work.this_week, Tally { doors: 3, people: 4 }, "Sunday the 22nd was last week");
    }

    #[test]
    fn a_late_evening_visit_counts_on_its_local_day() {
        let visits = [visit(HouseholdId::new(), "2026-11-24T16:30:00Z", Outcome::Guided, None)];
        assert_eq!(my_work(&visits, day("2026-11-24")).today.doors, 1);
        assert_eq!(my_work(&visits, day("2026-11-25")).today.doors, 0);
    }

    #[test]
    fn follow_ups_are_due_overdue_or_closed_by_a_later_visit() {
        let (a, b, c) = (HouseholdId::new(), HouseholdId::new(), HouseholdId::new());
        let visits = [
            visit(a, "2026-11-20T03:00:00Z", Outcome::Guided, Some("2026-11-25")),
            visit(b, "2026-11-20T03:00:00Z", Outcome::Guided, Some("2026-11-22")),
            visit(c, "2026-11-20T03:00:00Z", Outcome::Guided, Some("2026-11-21")),
            visit(c, "2026-11-22T03:00:00Z", Outcome::Guided, None),
        ];
        let work = my_work(&visits, day("2026-11-25"));
        assert_eq!(work.due_today.iter().map(|d| d.household_id).collect::<Vec<_>>(), [a]);
        assert_eq!(work.overdue.iter().map(|d| d.household_id).collect::<Vec<_>>(), [b]);
    }
}
