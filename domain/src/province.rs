//! The province's view: each commune's progress side by side, as the
//! Department of Science and Technology reads it — figures only, never a
//! household. The rules of what stands out (a commune gone quiet, a report
//! missing) live here, for the server that answers and the phone that shows.

use crate::api::{Commune, Province};
use crate::report::{Programme, ProgrammeFigures, QuarterlyReport};
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
    /// "Quý IV/2026".
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
    /// Households visited at least once, from the start up to the quarter's end (as logged so far).
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

/// `GET /api/v1/province/report`: a quarter's reports of the province's
/// communes, a row each, as they were submitted and as they stand now, and
/// the province's totals of both.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConsolidatedReport {
    pub province: Province,
    /// `2026-Q4`.
    pub quarter: String,
    pub label: String,
    pub due: NaiveDate,
    pub generated_at: DateTime<Utc>,
    /// By name.
    pub communes: Vec<ConsolidatedRow>,
    /// The sum of the reports submitted.
    pub submitted_total: ReportLine,
    /// The sum of every commune's figures as they stand now.
    pub live_total: ReportLine,
    /// Communes whose report has not been submitted (not yet due, or missing), by name.
    pub not_submitted: Vec<String>,
}

/// One commune in the consolidated report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConsolidatedRow {
    pub commune: Commune,
    pub report: ReportStanding,
    /// The figures as the coordinator submitted them; `null` when nothing was.
    pub submitted: Option<ReportLine>,
    /// The same figures as they stand now.
    pub live: ReportLine,
}

/// A commune's quarter as its report counts it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportLine {
    pub doors: u32,
    pub households_reached: u32,
    pub households_guided: u32,
    /// Households of the commune at the national five-skill target, by the quarter's end.
    pub households_at_target: u32,
    /// People guided at home, per target group (the elderly inside adults, and again on their own).
    pub people: PeopleGuided,
    /// Per programme of the plan, in the plan's order: skills guided and completed.
    pub programmes: Vec<ProgrammeFigures>,
    pub community_sessions: u32,
    /// People at community sessions, per target group (counted apart from households).
    pub attendees: PeopleGuided,
}

impl ReportLine {
    /// What `report` says, in the consolidated report's terms.
    pub fn of(report: &QuarterlyReport) -> ReportLine {
        ReportLine {
            doors: report.totals.doors,
            households_reached: report.totals.households_reached,
            households_guided: report.totals.households_guided,
            households_at_target: report.villages.iter().map(|village| village.households_at_target).sum(),
            people: report.totals.people,
            programmes: Programme::ALL.iter().map(|programme| programme_of(&report.programmes, *programme)).collect(),
            community_sessions: report.community_sessions.sessions,
            attendees: report.community_sessions.attendees,
        }
    }

    /// The sum of `lines`, programme by programme.
    pub fn total<'a>(lines: impl IntoIterator<Item = &'a ReportLine>) -> ReportLine {
        let mut total = ReportLine {
            programmes: Programme::ALL.iter().map(|programme| programme_of(&[], *programme)).collect(),
            ..ReportLine::default()
        };
        for line in lines {
            total.doors += line.doors;
            total.households_reached += line.households_reached;
            total.households_guided += line.households_guided;
            total.households_at_target += line.households_at_target;
            total.people = total.people.plus(&line.people);
            total.community_sessions += line.community_sessions;
            total.attendees = total.attendees.plus(&line.attendees);
            for summed in &mut total.programmes {
                let counted = programme_of(&line.programmes, summed.programme);
                summed.guided += counted.guided;
                summed.completed += counted.completed;
            }
        }
        total
    }
}

/// `programme`'s figures among `figures`; none counted when it is not there.
fn programme_of(figures: &[ProgrammeFigures], programme: Programme) -> ProgrammeFigures {
    figures.iter().find(|figures| figures.programme == programme).cloned().unwrap_or_else(|| ProgrammeFigures {
        programme,
        label: programme.label_vi().to_owned(),
        guided: 0,
        completed: 0,
    })
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

    fn line(doors: u32, programmes: &[(Programme, u32)]) -> ReportLine {
        ReportLine {
            doors,
            people: PeopleGuided { adults: doors, elderly: 1, ..PeopleGuided::default() },
            programmes: programmes
                .iter()
                .map(|(programme, guided)| ProgrammeFigures {
                    programme: *programme,
                    label: programme.label_vi().into(),
                    guided: *guided,
                    completed: 1,
                })
                .collect(),
            ..ReportLine::default()
        }
    }

    #[test]
    fn a_province_total_adds_lines_programme_by_programme_in_the_plans_order() {
        let a = line(10, &[(Programme::CashlessPayments, 4), (Programme::DigitalIdentity, 2)]);
        let b = line(5, &[(Programme::DigitalIdentity, 3)]);
        let total = ReportLine::total([&a, &b]);
        assert_eq!((total.doors, total.people.adults, total.people.elderly), (15, 15, 2));
        assert_eq!(total.programmes.len(), Programme::ALL.len());
        let identity = &total.programmes[0];
        assert_eq!((identity.programme, identity.guided, identity.completed), (Programme::DigitalIdentity, 5, 2));
        let payments = total.programmes.iter().find(|p| p.programme == Programme::CashlessPayments).unwrap();
        assert_eq!((payments.guided, payments.completed), (4, 1));
        assert_eq!(ReportLine::total([]).programmes.iter().map(|p| p.guided).sum::<u32>(), 0);
    }

    #[test]
    fn the_quiet_window_is_thirty_days_ending_today() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
        assert_eq!(quiet_window_start(today), NaiveDate::from_ymd_opt(2026, 11, 7).unwrap());
    }
}
