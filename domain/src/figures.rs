//! What visits add to the dashboard's kept figures: the rows a server keeps
//! so that a dashboard over a million visits reads a few thousand rows
//! (server/src/db/sqlite/aggregates.rs). [`fold`] gives, for a set of
//! visits, the rows they make on their own; storage merges each row into
//! the one it keeps by the row's own rule (sums add, bits are OR-ed, the
//! earliest and the latest win), so folding visits one batch at a time gives
//! the same figures as folding them all at once.

use crate::catalogue::BasicSkill;
use crate::time::local_day;
use crate::visit::due_on;
use crate::{FollowUp, HouseholdId, Outcome, PeopleGuided, SkillTaught, Visit, VisitId};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::Deserialize;
use std::collections::BTreeMap;

/// Day-bit columns a year's row has: two months to a column.
pub const DAY_COLUMNS: usize = 6;
/// Bits a month takes in its day column: one per day it can have.
pub const DAYS_PER_MONTH: u32 = 31;
/// The `scope_team` of rows that count the visits of every team of the commune.
pub const COMMUNE_WIDE: i64 = 0;

/// What the figures count of a visit: all of it but its note and revision.
/// Storage reads a fold's visits as JSON arrays of these fields in this
/// order (a note can be long, and no figure reads it).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CountedVisit {
    pub id: VisitId,
    pub household_id: HouseholdId,
    pub outcome: Outcome,
    pub come_back_on: Option<NaiveDate>,
    pub people: PeopleGuided,
    pub skills: Vec<SkillTaught>,
    pub visited_at: DateTime<Utc>,
    pub follow_up: Option<FollowUp>,
}

impl CountedVisit {
    /// When the household is due another visit ([`Visit::due_on`]).
    pub fn due_on(&self) -> Option<NaiveDate> {
        due_on(self.follow_up.as_ref(), self.come_back_on)
    }
}

impl From<&Visit> for CountedVisit {
    fn from(visit: &Visit) -> Self {
        CountedVisit {
            id: visit.id,
            household_id: visit.household_id,
            outcome: visit.outcome,
            come_back_on: visit.come_back_on,
            people: visit.people,
            skills: visit.skills.clone(),
            visited_at: visit.visited_at,
            follow_up: visit.follow_up.clone(),
        }
    }
}

/// A visit with what the figures file it under; storage reads it as a JSON
/// array of these fields in this order.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PlacedVisit {
    pub visit: CountedVisit,
    pub commune_id: i64,
    /// The author's team when the visit was stored; none for a volunteer of no team.
    pub team_id: Option<i64>,
    pub author_id: i64,
    /// The village of the visit's household.
    pub village_id: i64,
}

/// The visits of one Vietnam day, by commune, team (0: none), author and village.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DaySums {
    pub doors: i64,
    pub people: [i64; 5],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct DayKey {
    pub commune_id: i64,
    pub day: NaiveDate,
    pub team_id: i64,
    pub author_id: i64,
    pub village_id: i64,
}

/// The skills guided on one Vietnam day, by commune, team (0: none) and skill.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SkillDayKey {
    pub commune_id: i64,
    pub day: NaiveDate,
    pub team_id: i64,
    pub code: String,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SkillSums {
    pub guided: i64,
    pub completed: i64,
}

/// A household's visits in one year, for one team (or the whole commune):
/// the months and the days visited, and those where someone was guided, as bits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct YearBits {
    pub commune_id: i64,
    pub months: i64,
    pub guided_months: i64,
    pub days: [i64; DAY_COLUMNS],
    pub guided_days: [i64; DAY_COLUMNS],
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct HouseholdScope {
    pub household_id: String,
    /// The team whose visits are counted, or [`COMMUNE_WIDE`].
    pub scope_team: i64,
}

/// A household's progress for one team (or the whole commune).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    pub commune_id: i64,
    pub village_id: i64,
    pub first_visit_at: DateTime<Utc>,
    /// When each basic skill (by its place in [`BasicSkill::ALL`]) was first completed.
    pub basic_at: [Option<DateTime<Utc>>; 5],
    /// The latest visit: kept for the whole commune's row only.
    pub latest: Option<LatestVisit>,
}

impl Progress {
    /// When the household reached the national target: the last of the five basic skills.
    pub fn target_at(&self) -> Option<DateTime<Utc>> {
        if self.basic_at.iter().all(Option::is_some) {
            self.basic_at.iter().flatten().max().copied()
        } else {
            None
        }
    }
}

/// The latest visit to a household and the return it asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LatestVisit {
    pub visit_id: String,
    pub at: DateTime<Utc>,
    pub due_on: Option<NaiveDate>,
    pub reason: String,
    pub owner_id: i64,
    pub owner_team: Option<i64>,
}

impl LatestVisit {
    /// Whether it is later than `other`: by time, and between visits of the same instant by id.
    pub fn is_after(&self, other: &LatestVisit) -> bool {
        (self.at, &self.visit_id) > (other.at, &other.visit_id)
    }
}

/// The rows a set of visits makes on their own.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Folded {
    pub days: BTreeMap<DayKey, DaySums>,
    pub skills: BTreeMap<SkillDayKey, SkillSums>,
    pub years: BTreeMap<(HouseholdScope, i32), YearBits>,
    pub progress: BTreeMap<HouseholdScope, Progress>,
}

/// Folds `visits`; `basic_skill` says which basic skill a commune counts a skill code for.
pub fn fold(
    visits: impl IntoIterator<Item = PlacedVisit>,
    basic_skill: impl Fn(i64, &str) -> Option<BasicSkill>,
) -> Folded {
    let mut folded = Folded::default();
    for placed in visits {
        folded.add(placed, &basic_skill);
    }
    folded
}

impl Folded {
    fn add(&mut self, placed: PlacedVisit, basic_skill: &impl Fn(i64, &str) -> Option<BasicSkill>) {
        let PlacedVisit { visit, commune_id, team_id, author_id, village_id } = placed;
        let day = local_day(visit.visited_at);
        let team = team_id.unwrap_or(COMMUNE_WIDE);

        let sums = self.days.entry(DayKey { commune_id, day, team_id: team, author_id, village_id }).or_default();
        sums.doors += 1;
        for (sum, count) in sums.people.iter_mut().zip(people(&visit.people)) {
            *sum += i64::from(count);
        }
        for skill in &visit.skills {
            let key = SkillDayKey { commune_id, day, team_id: team, code: skill.code.as_str().to_owned() };
            let sums = self.skills.entry(key).or_default();
            sums.guided += 1;
            sums.completed += i64::from(skill.completed);
        }

        let guided = visit.outcome == Outcome::Guided;
        let mut completed = [false; 5];
        for skill in visit.skills.iter().filter(|skill| skill.completed) {
            if let Some(basic) = basic_skill(commune_id, skill.code.as_str()) {
                completed[basic.place()] = true;
            }
        }
        let latest = LatestVisit {
            visit_id: visit.id.to_string(),
            at: visit.visited_at,
            due_on: visit.due_on(),
            reason: visit.follow_up.as_ref().map(|f| f.reason.clone()).unwrap_or_default(),
            owner_id: author_id,
            owner_team: team_id,
        };
        // Every visit counts for the whole commune; a team's only for its team.
        let scopes = std::iter::once(COMMUNE_WIDE).chain(team_id);
        for scope_team in scopes {
            let scope = HouseholdScope { household_id: visit.household_id.to_string(), scope_team };
            let bits =
                self.years.entry((scope.clone(), day.year())).or_insert(YearBits { commune_id, ..Default::default() });
            bits.mark(day, guided);
            let progress = self.progress.entry(scope).or_insert_with(|| Progress {
                commune_id,
                village_id,
                first_visit_at: visit.visited_at,
                basic_at: [None; 5],
                latest: None,
            });
            progress.first_visit_at = progress.first_visit_at.min(visit.visited_at);
            for (at, done) in progress.basic_at.iter_mut().zip(completed) {
                if done {
                    *at = Some(at.map_or(visit.visited_at, |at| at.min(visit.visited_at)));
                }
            }
            if scope_team == COMMUNE_WIDE && progress.latest.as_ref().is_none_or(|kept| latest.is_after(kept)) {
                progress.latest = Some(latest.clone());
            }
        }
    }
}

impl YearBits {
    /// Marks `day` visited (and guided, if someone was).
    fn mark(&mut self, day: NaiveDate, guided: bool) {
        let (column, bit) = day_bit(day);
        let month = 1 << day.month0();
        self.months |= month;
        self.days[column] |= bit;
        if guided {
            self.guided_months |= month;
            self.guided_days[column] |= bit;
        }
    }
}

/// The column and the bit of a day in a year's day bits: a month's days
/// take 31 bits, two months to a column (January in the low half of column 0).
pub fn day_bit(day: NaiveDate) -> (usize, i64) {
    let shift = (day.month0() % 2) * DAYS_PER_MONTH + day.day0();
    (day.month0() as usize / 2, 1 << shift)
}

/// The people per target group, in the figures' order.
fn people(people: &PeopleGuided) -> [u32; 5] {
    [people.officials, people.pupils, people.adults, people.elderly, people.workers]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::starting_basic_skill;
    use crate::{Catalogue, FollowUp, HouseholdId, SkillTaught, VisitId};

    fn visit(household: &HouseholdId, at: &str, outcome: Outcome, skills: &[(&str, bool)]) -> Visit {
        Visit {
            id: VisitId::new(),
            household_id: *household,
            outcome,
            come_back_on: None,
            people: PeopleGuided { adults: 2, elderly: 1, ..Default::default() },
            skills: skills
                .iter()
                .map(|(code, completed)| SkillTaught {
                    code: Catalogue::starting().code(code).unwrap(),
                    completed: *completed,
                })
                .collect(),
            note: String::new(),
            visited_at: at.parse().unwrap(),
            follow_up: None,
            revision: 1,
            text_erased_revision: None,
        }
    }

    fn placed(visit: &Visit, team_id: Option<i64>) -> PlacedVisit {
        PlacedVisit { visit: visit.into(), commune_id: 1, team_id, author_id: 7, village_id: 3 }
    }

    fn basic(_commune: i64, code: &str) -> Option<BasicSkill> {
        starting_basic_skill(code)
    }

    const ALL_FIVE: [(&str, bool); 5] = [
        ("publicservice.submit", true),
        ("ecommerce.buy", true),
        ("payment.qr", true),
        ("safety.scam", true),
        ("local.platform", true),
    ];

    #[test]
    fn a_visit_counts_on_its_vietnam_day_for_its_team_and_the_commune() {
        let home = HouseholdId::new();
        // 23:30 on 2 March in Vietnam.
        let visit =
            visit(&home, "2026-03-02T16:30:00Z", Outcome::Guided, &[("payment.qr", true), ("vneid.level2", false)]);
        let folded = fold([placed(&visit, Some(4))], basic);
        let day = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
        let key = DayKey { commune_id: 1, day, team_id: 4, author_id: 7, village_id: 3 };
        assert_eq!(folded.days[&key], DaySums { doors: 1, people: [0, 0, 2, 1, 0] });
        let qr = SkillDayKey { commune_id: 1, day, team_id: 4, code: "payment.qr".into() };
        assert_eq!(folded.skills[&qr], SkillSums { guided: 1, completed: 1 });
        let scopes: Vec<i64> = folded.progress.keys().map(|scope| scope.scope_team).collect();
        assert_eq!(scopes, [COMMUNE_WIDE, 4]);
        let bits = folded.years[&(HouseholdScope { household_id: home.to_string(), scope_team: 4 }, 2026)];
        assert_eq!((bits.months, bits.guided_months), (1 << 2, 1 << 2), "March");
        assert_eq!(bits.days[1], 1 << 1, "2 March: column 1 (March and April), March's low half, bit 1");
    }

    #[test]
    fn a_volunteer_of_no_team_counts_for_the_commune_only() {
        let visit = visit(&HouseholdId::new(), "2026-03-02T03:00:00Z", Outcome::NobodyHome, &[]);
        let folded = fold([placed(&visit, None)], basic);
        assert_eq!(folded.progress.keys().map(|scope| scope.scope_team).collect::<Vec<_>>(), [COMMUNE_WIDE]);
        assert_eq!(folded.days.keys().next().unwrap().team_id, COMMUNE_WIDE);
        let bits = folded.years.values().next().unwrap();
        assert_eq!((bits.months, bits.guided_months), (1 << 2, 0), "visited, nobody guided");
    }

    #[test]
    fn the_target_is_reached_when_the_last_of_the_five_basic_skills_is_completed() {
        let home = HouseholdId::new();
        let four = visit(&home, "2026-03-02T03:00:00Z", Outcome::Guided, &ALL_FIVE[..4]);
        let fifth = visit(&home, "2026-04-02T03:00:00Z", Outcome::Guided, &ALL_FIVE[4..]);
        let again = visit(&home, "2026-05-02T03:00:00Z", Outcome::Guided, &ALL_FIVE);
        let folded = fold([placed(&again, Some(4)), placed(&four, Some(4)), placed(&fifth, Some(4))], basic);
        let progress = &folded.progress[&HouseholdScope { household_id: home.to_string(), scope_team: 4 }];
        assert_eq!(progress.target_at(), Some(fifth.visited_at));
        assert_eq!(progress.first_visit_at, four.visited_at);
        let only_four = fold([placed(&four, Some(4))], basic);
        assert_eq!(only_four.progress.values().next().unwrap().target_at(), None);
    }

    #[test]
    fn the_latest_visit_and_its_return_are_kept_for_the_whole_commune() {
        let home = HouseholdId::new();
        let mut later = visit(&home, "2026-03-05T03:00:00Z", Outcome::Guided, &[]);
        later.follow_up =
            Some(FollowUp { on: NaiveDate::from_ymd_opt(2026, 3, 12).unwrap(), reason: "Cài VNeID".into() });
        let earlier = visit(&home, "2026-03-02T03:00:00Z", Outcome::Guided, &[]);
        let folded = fold([placed(&later, Some(4)), placed(&earlier, Some(4))], basic);
        let commune = &folded.progress[&HouseholdScope { household_id: home.to_string(), scope_team: COMMUNE_WIDE }];
        let latest = commune.latest.as_ref().unwrap();
        assert_eq!(
            (latest.visit_id.clone(), latest.due_on, latest.reason.as_str()),
            (later.id.to_string(), later.due_on(), "Cài VNeID")
        );
        let team = &folded.progress[&HouseholdScope { household_id: home.to_string(), scope_team: 4 }];
        assert_eq!(team.latest, None);
    }

    #[test]
    fn folding_in_batches_is_folding_at_once_when_rows_merge_by_their_rules() {
        let (home, other) = (HouseholdId::new(), HouseholdId::new());
        let visits = [
            visit(&home, "2026-03-02T03:00:00Z", Outcome::Guided, &ALL_FIVE[..2]),
            visit(&other, "2026-03-02T05:00:00Z", Outcome::Declined, &[]),
            visit(&home, "2026-12-31T17:30:00Z", Outcome::Guided, &ALL_FIVE[2..]),
            visit(&home, "2026-02-01T03:00:00Z", Outcome::NobodyHome, &[]),
        ];
        let whole = fold(visits.iter().map(|v| placed(v, Some(4))), basic);
        let mut merged = Folded::default();
        for visit in &visits {
            merged.merge(fold([placed(visit, Some(4))], basic));
        }
        assert_eq!(merged, whole);
        assert!(whole.years.keys().any(|(_, year)| *year == 2027), "31 December 17:30 UTC is 1 January in Vietnam");
    }

    impl Folded {
        /// Merges `other` by the rules storage uses for each kind of row.
        fn merge(&mut self, other: Folded) {
            for (key, sums) in other.days {
                let kept = self.days.entry(key).or_default();
                kept.doors += sums.doors;
                kept.people.iter_mut().zip(sums.people).for_each(|(kept, added)| *kept += added);
            }
            for (key, sums) in other.skills {
                let kept = self.skills.entry(key).or_default();
                kept.guided += sums.guided;
                kept.completed += sums.completed;
            }
            for (key, bits) in other.years {
                let kept =
                    self.years.entry(key).or_insert(YearBits { commune_id: bits.commune_id, ..Default::default() });
                kept.months |= bits.months;
                kept.guided_months |= bits.guided_months;
                for c in 0..DAY_COLUMNS {
                    kept.days[c] |= bits.days[c];
                    kept.guided_days[c] |= bits.guided_days[c];
                }
            }
            for (key, progress) in other.progress {
                match self.progress.get_mut(&key) {
                    None => {
                        self.progress.insert(key, progress);
                    }
                    Some(kept) => {
                        kept.first_visit_at = kept.first_visit_at.min(progress.first_visit_at);
                        for (kept, added) in kept.basic_at.iter_mut().zip(progress.basic_at) {
                            *kept = match (*kept, added) {
                                (Some(a), Some(b)) => Some(a.min(b)),
                                (a, b) => a.or(b),
                            };
                        }
                        if let Some(latest) = progress.latest {
                            if kept.latest.as_ref().is_none_or(|kept| latest.is_after(kept)) {
                                kept.latest = Some(latest);
                            }
                        }
                    }
                }
            }
        }
    }
}
