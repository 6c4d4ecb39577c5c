//! The province's view: each commune's progress side by side, as the
//! Department of Science and Technology reads it — figures only, never a
//! household. The rules of what stands out (a commune gone quiet, a report
//! missing) live here, for the server that answers and the phone that shows.

use crate::api::{Commune, Province};
use crate::submission::Standing;
use crate::target_group::PeopleGuided;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// A commune with nothing logged for this many days stands out.
pub const QUIET_DAYS: i64 = 30;

/// The first day of the [`QUIET_DAYS`] ending `today`.
pub fn quiet_window_start(today: NaiveDate) -> NaiveDate {
    today - chrono::Duration::days(QUIET_DAYS - 1)
}

/// `GET /api/v1/province`: a quarter's progress, commune by commune.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProvinceView {
    pub province: Province,
    /// `2026-Q4`.
    pub quarter: String,
    /// "Quý IV năm 2026".
    pub label: String,
    /// The day communes' reports of the quarter are due.
    pub due: NaiveDate,
    /// Vietnam's day the figures were counted on: the 30 days of activity end on it.
    pub today: NaiveDate,
    /// When the server computed it: the app shows it when offline.
    pub generated_at: DateTime<Utc>,
    /// By name.
    pub communes: Vec<CommuneProgress>,
    pub totals: ProvinceTotals,
}

/// One commune's progress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommuneProgress {
    pub commune: Commune,
    /// Households in its villages, as its coordinator set them: what coverage divides by.
    pub households: u32,
    /// Households visited at least once, from the start up to the quarter's end (or today).
    pub households_reached: u32,
    /// Households whose visits show each of the five basic digital skills: the national target.
    pub households_at_target: u32,
    /// People guided in the quarter, per target group (the elderly inside adults, and again on their own).
    pub people: PeopleGuided,
    /// Community sessions held in the quarter.
    pub community_sessions: u32,
    /// Volunteers who logged a visit in the last [`QUIET_DAYS`] days.
    pub active_volunteers: u32,
    /// Nothing logged — no visit, no community session — in the last [`QUIET_DAYS`] days.
    pub quiet: bool,
    pub report: ReportStanding,
}

/// Where a commune's report of the quarter stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportStanding {
    pub standing: Standing,
    pub submitted_at: Option<DateTime<Utc>>,
}

/// The province's sums, and how many communes stand where.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProvinceTotals {
    pub communes: u32,
    pub households: u32,
    pub households_reached: u32,
    pub households_at_target: u32,
    pub people: PeopleGuided,
    pub community_sessions: u32,
    pub active_volunteers: u32,
    pub quiet_communes: u32,
    /// Reports submitted by the due date, after it, not yet (before it), and missing (after it).
    pub reports_on_time: u32,
    pub reports_late: u32,
    pub reports_due: u32,
    pub reports_missing: u32,
}

impl CommuneProgress {
    /// Households reached as a whole percentage of its households; `None` when it has set none.
    pub fn coverage_percent(&self) -> Option<u32> {
        percent(self.households_reached, self.households)
    }

    /// Households at the national target, as a percentage of its households.
    pub fn at_target_percent(&self) -> Option<u32> {
        percent(self.households_at_target, self.households)
    }
}

impl ProvinceTotals {
    /// The sums of `communes`.
    pub fn of(communes: &[CommuneProgress]) -> ProvinceTotals {
        let mut totals = ProvinceTotals { communes: communes.len() as u32, ..ProvinceTotals::default() };
        for commune in communes {
            totals.households += commune.households;
            totals.households_reached += commune.households_reached;
            totals.households_at_target += commune.households_at_target;
            totals.people = totals.people.plus(&commune.people);
            totals.community_sessions += commune.community_sessions;
            totals.active_volunteers += commune.active_volunteers;
            totals.quiet_communes += u32::from(commune.quiet);
            match commune.report.standing {
                Standing::OnTime => totals.reports_on_time += 1,
                Standing::Late => totals.reports_late += 1,
                Standing::Due => totals.reports_due += 1,
                Standing::Missing => totals.reports_missing += 1,
            }
        }
        totals
    }

    pub fn coverage_percent(&self) -> Option<u32> {
        percent(self.households_reached, self.households)
    }
}

/// `part` of `whole`, in whole percent rounded down (so 100 means all); `None` of nothing.
fn percent(part: u32, whole: u32) -> Option<u32> {
    (whole > 0).then(|| (u64::from(part) * 100 / u64::from(whole)) as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commune(name: &str, households: u32, reached: u32, standing: Standing, quiet: bool) -> CommuneProgress {
        CommuneProgress {
            commune: Commune { id: 1, name: name.into() },
            households,
            households_reached: reached,
            households_at_target: reached / 2,
            people: PeopleGuided { adults: 3, elderly: 1, ..PeopleGuided::default() },
            community_sessions: 1,
            active_volunteers: 2,
            quiet,
            report: ReportStanding { standing, submitted_at: None },
        }
    }

    #[test]
    fn coverage_is_rounded_down_and_absent_without_households() {
        assert_eq!(commune("A", 300, 199, Standing::Due, false).coverage_percent(), Some(66));
        assert_eq!(commune("A", 10, 10, Standing::Due, false).coverage_percent(), Some(100));
        assert_eq!(commune("A", 0, 5, Standing::Due, false).coverage_percent(), None);
    }

    #[test]
    fn totals_add_the_communes_and_count_where_each_stands() {
        let communes = [
            commune("A", 100, 50, Standing::OnTime, false),
            commune("B", 200, 20, Standing::Missing, true),
            commune("C", 0, 0, Standing::Missing, true),
        ];
        let totals = ProvinceTotals::of(&communes);
        assert_eq!((totals.communes, totals.households, totals.households_reached), (3, 300, 70));
        assert_eq!(totals.people.adults, 9);
        assert_eq!(totals.people.elderly, 3);
        assert_eq!((totals.reports_on_time, totals.reports_missing, totals.quiet_communes), (1, 2, 2));
        assert_eq!(totals.coverage_percent(), Some(23));
    }

    #[test]
    fn the_quiet_window_is_thirty_days_ending_today() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
        assert_eq!(quiet_window_start(today), NaiveDate::from_ymd_opt(2026, 11, 7).unwrap());
    }
}
