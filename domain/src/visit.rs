//! A visit: one knock on a household's door, whatever came of it.
//!
//! [`VisitInput`] is what arrives from a form or over the wire, as typed;
//! [`Visit::parse`] turns it into a [`Visit`] or says every field that is
//! wrong. Every outcome counts as a door knocked; only a "guided" visit
//! carries people and skills.

use crate::catalogue::{Catalogue, SkillCode};
use crate::household::HouseholdId;
use crate::id::record_id;
use crate::order::sort_stable_by;
use crate::sync::phone::field_kept;
use crate::target_group::PeopleGuided;
use crate::text::{char_len, normalize, normalize_multiline};
use crate::time::{local_day, movement_start, to_microseconds};
use crate::validation::{Field, FieldError, Problem};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

pub const MAX_NOTE_CHARS: usize = 1000;
pub const MAX_FOLLOW_UP_REASON_CHARS: usize = 200;
pub const MAX_PEOPLE_PER_GROUP: u32 = 100;
/// Phones' clocks drift; a visit a few minutes "ahead" of the server is not in the future.
pub const CLOCK_SKEW_ALLOWANCE_MINUTES: i64 = 10;
/// How far after a visit its return or follow-up may be set: a year.
pub const MAX_DAYS_TO_COME_BACK: u32 = 366;

record_id! {
    /// A visit's id, generated on the phone so the same visit pushed twice is recognised as one.
    VisitId
}

/// What came of knocking on the door.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Someone was guided: the visit carries people and skills.
    Guided,
    /// Nobody opened.
    NobodyHome,
    /// The household did not want guidance.
    Declined,
    /// Asked to come back, on `come_back_on`.
    ComeBack,
}

impl Outcome {
    pub const ALL: [Outcome; 4] = [Outcome::Guided, Outcome::NobodyHome, Outcome::Declined, Outcome::ComeBack];

    pub fn label_vi(self) -> &'static str {
        match self {
            Outcome::Guided => "Đã hướng dẫn",
            Outcome::NobodyHome => "Không có ai ở nhà",
            Outcome::Declined => "Từ chối",
            Outcome::ComeBack => "Hẹn quay lại",
        }
    }
}

/// A skill guided in a visit, and whether the person completed the step
/// (for example, "Kích hoạt định danh điện tử mức 2" actually activated).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SkillTaught {
    pub code: SkillCode,
    pub completed: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkillTaughtInput {
    #[serde(default, deserialize_with = "crate::input::null_as_default")]
    pub code: String,
    #[serde(default, deserialize_with = "crate::input::null_as_default")]
    pub completed: bool,
}

/// Something to do at this household later, by a date.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FollowUp {
    pub on: NaiveDate,
    pub reason: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUpInput {
    #[serde(default, deserialize_with = "crate::input::null_as_default")]
    pub on: Option<NaiveDate>,
    #[serde(default, deserialize_with = "crate::input::null_as_default")]
    pub reason: String,
}

/// A visit as it arrives, before any rule is checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitInput {
    #[serde(default, deserialize_with = "crate::input::null_as_default")]
    pub id: String,
    #[serde(default, deserialize_with = "crate::input::null_as_default")]
    pub household_id: String,
    #[serde(default, deserialize_with = "crate::input::null_as_default")]
    pub outcome: Option<Outcome>,
    #[serde(default, deserialize_with = "crate::input::null_as_default")]
    pub come_back_on: Option<NaiveDate>,
    #[serde(default, deserialize_with = "crate::input::object_or_default")]
    pub people: PeopleGuided,
    #[serde(default, deserialize_with = "crate::input::objects")]
    pub skills: Vec<SkillTaughtInput>,
    #[serde(default, deserialize_with = "crate::input::null_as_default")]
    pub note: String,
    #[serde(default, deserialize_with = "crate::input::null_as_default")]
    pub visited_at: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "crate::input::optional_object")]
    pub follow_up: Option<FollowUpInput>,
    /// 1 when created, one more at each edit (see docs/sync-protocol.md).
    #[serde(default = "first_revision", deserialize_with = "crate::input::null_as_first_revision")]
    pub revision: u32,
}

/// Empty, as a new form starts; a new record is at revision 1.
impl Default for VisitInput {
    fn default() -> Self {
        VisitInput {
            id: String::new(),
            household_id: String::new(),
            outcome: None,
            come_back_on: None,
            people: PeopleGuided::default(),
            skills: Vec::new(),
            note: String::new(),
            visited_at: None,
            follow_up: None,
            revision: 1,
        }
    }
}

/// The date a household expects someone back, if any: the follow-up, or the agreed return.
pub(crate) fn due_on(follow_up: Option<&FollowUp>, come_back_on: Option<NaiveDate>) -> Option<NaiveDate> {
    follow_up.map(|f| f.on).or(come_back_on)
}

pub(crate) fn first_revision() -> u32 {
    1
}

/// A valid visit. Serialises in the shape of [`VisitInput`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Visit {
    pub id: VisitId,
    pub household_id: HouseholdId,
    pub outcome: Outcome,
    /// Set exactly when the outcome is `come_back`.
    pub come_back_on: Option<NaiveDate>,
    pub people: PeopleGuided,
    /// Sorted by code and without repeats, so equal visits serialise equally.
    pub skills: Vec<SkillTaught>,
    pub note: String,
    pub visited_at: DateTime<Utc>,
    pub follow_up: Option<FollowUp>,
    pub revision: u32,
    /// The revision at which a coordinator's erasure of the household's data
    /// blanked this visit's note and follow-up reason; only the server sets
    /// it. An edit of an earlier version brings no text back; text written in
    /// an edit of this one or a later one is new, and stays.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text_erased_revision: Option<u32>,
}

impl Visit {
    /// Checks every rule against `now` and the commune's `catalogue`, and
    /// returns the visit, or every field that is wrong (not only the first,
    /// so a form can mark them all).
    pub fn parse(input: &VisitInput, now: DateTime<Utc>, catalogue: &Catalogue) -> Result<Visit, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut refuse = |field, problem| errors.push(FieldError::new(field, problem));

        let id = VisitId::parse(&input.id);
        if id.is_none() {
            refuse(Field::Id, Problem::Invalid);
        }
        let household_id = HouseholdId::parse(&input.household_id);
        if household_id.is_none() {
            let problem = if input.household_id.trim().is_empty() { Problem::Required } else { Problem::Invalid };
            refuse(Field::HouseholdId, problem);
        }

        let visited_at = match input.visited_at {
            None => {
                refuse(Field::VisitedAt, Problem::Required);
                None
            }
            Some(at) if at > now + Duration::minutes(CLOCK_SKEW_ALLOWANCE_MINUTES) => {
                refuse(Field::VisitedAt, Problem::InTheFuture);
                None
            }
            Some(at) if at < movement_start() => {
                refuse(Field::VisitedAt, Problem::TooOld);
                None
            }
            Some(at) => Some(to_microseconds(at)),
        };
        // Dates that belong to the visit may not come before its local day,
        // nor more than a year after it (a mistyped year).
        let visit_day = visited_at.map(local_day);
        let misplaced = |date: NaiveDate| {
            let day = visit_day?;
            if date < day {
                Some(Problem::BeforeVisit)
            } else if (date - day).num_days() > i64::from(MAX_DAYS_TO_COME_BACK) {
                Some(Problem::TooFarAfterVisit { max: MAX_DAYS_TO_COME_BACK })
            } else {
                None
            }
        };

        let outcome = input.outcome;
        let mut come_back_on = None;
        match outcome {
            None => refuse(Field::Outcome, Problem::Required),
            Some(Outcome::ComeBack) => match input.come_back_on {
                None => refuse(Field::ComeBackOn, Problem::Required),
                Some(date) => match misplaced(date) {
                    Some(problem) => refuse(Field::ComeBackOn, problem),
                    None => come_back_on = Some(date),
                },
            },
            Some(_) => {}
        }

        let people = input.people;
        let mut skills = Vec::with_capacity(input.skills.len());
        if outcome == Some(Outcome::Guided) {
            let counts = [people.officials, people.pupils, people.adults, people.elderly, people.workers];
            if counts.iter().any(|count| *count > MAX_PEOPLE_PER_GROUP) {
                refuse(Field::People, Problem::TooMany { max: MAX_PEOPLE_PER_GROUP });
            } else if people.total() == 0 {
                refuse(Field::People, Problem::NobodyGuided);
            } else if people.elderly > people.adults {
                refuse(Field::People, Problem::ElderlyExceedAdults);
            }
            for taught in &input.skills {
                match catalogue.code(taught.code.trim()) {
                    Some(code) => skills.push(SkillTaught { code, completed: taught.completed }),
                    None => refuse(Field::Skills, Problem::UnknownSkill { skill: taught.code.clone() }),
                }
            }
        } else if outcome.is_some() {
            if people != PeopleGuided::default() {
                refuse(Field::People, Problem::OnlyWhenGuided);
            }
            if !input.skills.is_empty() {
                refuse(Field::Skills, Problem::OnlyWhenGuided);
            }
        }
        // One entry per skill; "completed" wins over "guided" if both were sent.
        sort_stable_by(&mut skills, |a, b| a.code.cmp(&b.code).then(b.completed.cmp(&a.completed)));
        skills.dedup_by(|later, earlier| later.code == earlier.code);

        let note = normalize_multiline(&input.note);
        if char_len(&note) > MAX_NOTE_CHARS {
            refuse(Field::Note, Problem::TooLong { max: MAX_NOTE_CHARS });
        }

        let follow_up = match &input.follow_up {
            None => None,
            Some(FollowUpInput { on: None, reason }) if reason.trim().is_empty() => None,
            Some(FollowUpInput { on, reason }) => {
                let reason = normalize(reason);
                if char_len(&reason) > MAX_FOLLOW_UP_REASON_CHARS {
                    refuse(Field::FollowUpReason, Problem::TooLong { max: MAX_FOLLOW_UP_REASON_CHARS });
                }
                match on {
                    None => {
                        refuse(Field::FollowUpOn, Problem::Required);
                        None
                    }
                    Some(date) => match misplaced(*date) {
                        Some(problem) => {
                            refuse(Field::FollowUpOn, problem);
                            None
                        }
                        None => Some(FollowUp { on: *date, reason }),
                    },
                }
            }
        };

        if input.revision == 0 {
            refuse(Field::Revision, Problem::Invalid);
        }

        match (id, household_id, outcome, visited_at) {
            (Some(id), Some(household_id), Some(outcome), Some(visited_at)) if errors.is_empty() => Ok(Visit {
                id,
                household_id,
                outcome,
                come_back_on,
                people: if outcome == Outcome::Guided { people } else { PeopleGuided::default() },
                skills,
                note,
                visited_at,
                follow_up,
                revision: input.revision,
                text_erased_revision: None,
            }),
            _ => Err(errors),
        }
    }

    /// The form of this visit that editing starts from.
    pub fn to_input(&self) -> VisitInput {
        VisitInput {
            id: self.id.to_string(),
            household_id: self.household_id.to_string(),
            outcome: Some(self.outcome),
            come_back_on: self.come_back_on,
            people: self.people,
            skills: self
                .skills
                .iter()
                .map(|taught| SkillTaughtInput { code: taught.code.as_str().to_owned(), completed: taught.completed })
                .collect(),
            note: self.note.clone(),
            visited_at: Some(self.visited_at),
            follow_up: self.follow_up.as_ref().map(|f| FollowUpInput { on: Some(f.on), reason: f.reason.clone() }),
            revision: self.revision,
        }
    }

    /// Every visit is a door knocked; this counts the people it guided.
    pub fn people_guided(&self) -> u64 {
        self.people.total()
    }

    /// The date the household expects someone back, if any: the follow-up, or the agreed return.
    pub fn due_on(&self) -> Option<NaiveDate> {
        due_on(self.follow_up.as_ref(), self.come_back_on)
    }

    /// It holds text a volunteer wrote, which may name the household's people.
    pub fn has_text(&self) -> bool {
        !self.note.is_empty() || self.follow_up.as_ref().is_some_and(|follow_up| !follow_up.reason.is_empty())
    }

    /// The note and the follow-up's reason blanked (the follow-up's date stays).
    fn without_text(mut self) -> Visit {
        self.note.clear();
        if let Some(follow_up) = &mut self.follow_up {
            follow_up.reason.clear();
        }
        self
    }
}

impl crate::sync::phone::SyncedRecord for Visit {
    fn revision(&self) -> u32 {
        self.revision
    }

    fn set_revision(&mut self, revision: u32) {
        self.revision = revision;
    }

    /// A coordinator's erasure blanked the text (again) since this version.
    fn erased_by(&self, newer: &Self) -> bool {
        newer.text_erased_revision > self.text_erased_revision
    }

    /// Two edits of one visit (its author's, on two phones) merge in the
    /// parts no rule ties together: the household, the note, and what
    /// happened at the door — outcome, return date, people, skills, time and
    /// follow-up, which the rules check against one another, so the door's
    /// part comes whole from one side and the merge is as valid as both.
    fn merged(base: &Self, mine: &Self, theirs: &Self) -> Self {
        let door = |visit: &Visit| {
            let Visit { outcome, come_back_on, people, skills, visited_at, follow_up, .. } = visit;
            (*outcome, *come_back_on, *people, skills.clone(), *visited_at, follow_up.clone())
        };
        let (outcome, come_back_on, people, skills, visited_at, follow_up) =
            field_kept(&door(base), &door(mine), &door(theirs));
        Visit {
            household_id: field_kept(&base.household_id, &mine.household_id, &theirs.household_id),
            note: field_kept(&base.note, &mine.note, &theirs.note),
            outcome,
            come_back_on,
            people,
            skills,
            visited_at,
            follow_up,
            ..mine.clone()
        }
    }

    /// The phone's edit goes on without its text (whatever it says, the
    /// household asked for what was written about it to go), if the erasure
    /// is all that changed the version it was made from: another edit with it
    /// is someone's, for the volunteer to choose against ([`Self::stripped_by_erasure`]).
    fn kept_over_erasure(base: Option<&Self>, mine: &Self, erasing: &Self) -> Option<Self> {
        let untouched = base?.clone().without_text().same_content(&erasing.clone().without_text());
        untouched.then(|| mine.stripped_by_erasure(erasing)).flatten()
    }

    fn stripped_by_erasure(&self, erasing: &Self) -> Option<Self> {
        let mut stripped = self.clone().without_text();
        stripped.text_erased_revision = erasing.text_erased_revision;
        Some(stripped)
    }

    fn carry_server_fields(&mut self, from: &Self) {
        self.text_erased_revision = self.text_erased_revision.max(from.text_erased_revision);
    }

    /// The same visit whatever the revisions and the erasure's mark say (a
    /// pushed visit never carries the mark: only the server sets it).
    fn same_content(&self, other: &Self) -> bool {
        let mut this = self.clone();
        this.revision = other.revision;
        this.text_erased_revision = other.text_erased_revision;
        this == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::household::HouseholdId;

    fn now() -> DateTime<Utc> {
        "2026-11-25T08:00:00Z".parse().unwrap()
    }

    fn catalogue() -> Catalogue {
        Catalogue::starting()
    }

    fn guided() -> VisitInput {
        VisitInput {
            id: VisitId::new().to_string(),
            household_id: HouseholdId::new().to_string(),
            outcome: Some(Outcome::Guided),
            come_back_on: None,
            people: PeopleGuided { adults: 2, elderly: 1, ..Default::default() },
            skills: vec![
                SkillTaughtInput { code: "vneid.level2".into(), completed: true },
                SkillTaughtInput { code: "payment.qr".into(), completed: false },
            ],
            note: "Bà cụ đã tự quét mã QR.".into(),
            visited_at: Some("2026-11-25T07:30:00Z".parse().unwrap()),
            follow_up: None,
            revision: 1,
        }
    }

    fn problems(input: &VisitInput) -> Vec<(Field, Problem)> {
        Visit::parse(input, now(), &catalogue())
            .expect_err("the input should be refused")
            .into_iter()
            .map(|error| (error.field, error.problem))
            .collect()
    }

    fn date(raw: &str) -> NaiveDate {
        raw.parse().unwrap()
    }

    #[test]
    fn a_guided_visit_parses_with_its_skills_sorted() {
        let visit = Visit::parse(&guided(), now(), &catalogue()).unwrap();
        assert_eq!(visit.people_guided(), 2);
        let codes: Vec<_> = visit.skills.iter().map(|s| (s.code.as_str(), s.completed)).collect();
        assert_eq!(codes, [("payment.qr", false), ("vneid.level2", true)]);
    }

    #[test]
    fn a_skill_sent_twice_is_kept_once_and_completed_wins() {
        let mut input = guided();
        input.skills.push(SkillTaughtInput { code: "payment.qr".into(), completed: true });
        let visit = Visit::parse(&input, now(), &catalogue()).unwrap();
        assert_eq!(visit.skills.len(), 2);
        assert!(visit.skills.iter().all(|s| s.completed));
    }

    #[test]
    fn nobody_home_counts_as_a_door_without_people_or_skills() {
        let input = VisitInput {
            outcome: Some(Outcome::NobodyHome),
            people: PeopleGuided::default(),
            skills: Vec::new(),
            ..guided()
        };
        let visit = Visit::parse(&input, now(), &catalogue()).unwrap();
        assert_eq!(visit.outcome, Outcome::NobodyHome);
        assert_eq!(visit.people_guided(), 0);
    }

    #[test]
    fn people_and_skills_are_refused_when_nobody_was_guided() {
        let input = VisitInput { outcome: Some(Outcome::Declined), ..guided() };
        assert_eq!(
            problems(&input),
            [(Field::People, Problem::OnlyWhenGuided), (Field::Skills, Problem::OnlyWhenGuided)]
        );
    }

    #[test]
    fn an_outcome_is_required() {
        let input = VisitInput { outcome: None, ..guided() };
        assert_eq!(problems(&input), [(Field::Outcome, Problem::Required)]);
    }

    #[test]
    fn come_back_needs_a_date_not_before_the_visit() {
        let empty = PeopleGuided::default();
        let input = VisitInput { outcome: Some(Outcome::ComeBack), people: empty, skills: vec![], ..guided() };
        assert_eq!(problems(&input), [(Field::ComeBackOn, Problem::Required)]);
        let input = VisitInput { come_back_on: Some(date("2026-11-24")), ..input };
        assert_eq!(problems(&input), [(Field::ComeBackOn, Problem::BeforeVisit)]);
        let input = VisitInput { come_back_on: Some(date("2026-11-28")), ..input };
        assert_eq!(Visit::parse(&input, now(), &catalogue()).unwrap().due_on(), Some(date("2026-11-28")));
    }

    #[test]
    fn a_return_more_than_a_year_after_the_visit_is_a_mistyped_year() {
        // The visit is on 25 November 2026; a date field takes a five-digit year.
        let empty = PeopleGuided::default();
        let come_back = VisitInput { outcome: Some(Outcome::ComeBack), people: empty, skills: vec![], ..guided() };
        let too_far = Problem::TooFarAfterVisit { max: MAX_DAYS_TO_COME_BACK };
        let input = VisitInput { come_back_on: Some(date("+20261-11-28")), ..come_back.clone() };
        assert_eq!(problems(&input), [(Field::ComeBackOn, too_far.clone())]);
        let input = VisitInput { come_back_on: Some(date("2027-11-26")), ..come_back.clone() };
        assert!(Visit::parse(&input, now(), &catalogue()).is_ok(), "366 days after is still allowed");
        let input = VisitInput { come_back_on: Some(date("2027-11-27")), ..come_back };
        assert_eq!(problems(&input), [(Field::ComeBackOn, too_far.clone())]);
        let follow_up = FollowUpInput { on: Some(date("2036-01-01")), reason: "Kích hoạt VNeID".into() };
        let input = VisitInput { follow_up: Some(follow_up), ..guided() };
        assert_eq!(problems(&input), [(Field::FollowUpOn, too_far)]);
    }

    #[test]
    fn a_come_back_date_is_dropped_from_other_outcomes() {
        let input = VisitInput { come_back_on: Some(date("2026-11-28")), ..guided() };
        assert_eq!(Visit::parse(&input, now(), &catalogue()).unwrap().come_back_on, None);
    }

    #[test]
    fn a_guided_visit_with_nobody_guided_is_refused() {
        let input = VisitInput { people: PeopleGuided::default(), ..guided() };
        assert_eq!(problems(&input), [(Field::People, Problem::NobodyGuided)]);
    }

    #[test]
    fn more_elderly_than_adults_is_refused() {
        let input = VisitInput { people: PeopleGuided { adults: 1, elderly: 2, ..Default::default() }, ..guided() };
        assert_eq!(problems(&input), [(Field::People, Problem::ElderlyExceedAdults)]);
    }

    #[test]
    fn implausible_counts_are_refused() {
        let input =
            VisitInput { people: PeopleGuided { pupils: MAX_PEOPLE_PER_GROUP + 1, ..Default::default() }, ..guided() };
        assert_eq!(problems(&input), [(Field::People, Problem::TooMany { max: MAX_PEOPLE_PER_GROUP })]);
    }

    #[test]
    fn a_skill_outside_the_catalogue_is_refused() {
        let mut input = guided();
        input.skills.push(SkillTaughtInput { code: "vneid.level9".into(), completed: false });
        assert_eq!(problems(&input), [(Field::Skills, Problem::UnknownSkill { skill: "vneid.level9".into() })]);
    }

    #[test]
    fn a_follow_up_needs_a_date_not_before_the_visit_and_a_short_reason() {
        let input = VisitInput { follow_up: Some(FollowUpInput { on: None, reason: "Mang CCCD".into() }), ..guided() };
        assert_eq!(problems(&input), [(Field::FollowUpOn, Problem::Required)]);
        let input = VisitInput {
            follow_up: Some(FollowUpInput {
                on: Some(date("2026-11-20")),
                reason: "x".repeat(MAX_FOLLOW_UP_REASON_CHARS + 1),
            }),
            ..guided()
        };
        assert_eq!(
            problems(&input),
            [
                (Field::FollowUpReason, Problem::TooLong { max: MAX_FOLLOW_UP_REASON_CHARS }),
                (Field::FollowUpOn, Problem::BeforeVisit)
            ]
        );
    }

    #[test]
    fn a_follow_up_on_the_day_of_a_late_evening_visit_is_not_before_it() {
        // 23:30 in Vietnam on 25 November is 16:30 UTC: the follow-up "today" is the 25th.
        let input = VisitInput {
            visited_at: Some("2026-11-25T16:30:00Z".parse().unwrap()),
            follow_up: Some(FollowUpInput { on: Some(date("2026-11-25")), reason: "Kích hoạt VNeID".into() }),
            ..guided()
        };
        let now = "2026-11-25T17:00:00Z".parse().unwrap();
        assert!(Visit::parse(&input, now, &catalogue()).is_ok());
    }

    #[test]
    fn an_empty_follow_up_is_no_follow_up() {
        let input = VisitInput { follow_up: Some(FollowUpInput::default()), ..guided() };
        assert_eq!(Visit::parse(&input, now(), &catalogue()).unwrap().follow_up, None);
    }

    #[test]
    fn over_long_notes_are_refused() {
        let input = VisitInput { note: "a".repeat(MAX_NOTE_CHARS + 1), ..guided() };
        assert_eq!(problems(&input), [(Field::Note, Problem::TooLong { max: MAX_NOTE_CHARS })]);
    }

    #[test]
    fn a_visit_in_the_future_is_refused_but_small_clock_drift_is_not() {
        let mut input = guided();
        input.visited_at = Some(now() + Duration::minutes(5));
        assert!(Visit::parse(&input, now(), &catalogue()).is_ok());
        input.visited_at = Some(now() + Duration::hours(2));
        assert_eq!(problems(&input), [(Field::VisitedAt, Problem::InTheFuture)]);
    }

    #[test]
    fn a_visit_from_a_reset_clock_is_refused() {
        let input = VisitInput { visited_at: Some("1970-01-01T00:00:00Z".parse().unwrap()), ..guided() };
        assert_eq!(problems(&input), [(Field::VisitedAt, Problem::TooOld)]);
    }

    #[test]
    fn ids_must_be_uuids_and_the_household_given() {
        let input = VisitInput { id: "not-a-uuid".into(), household_id: String::new(), ..guided() };
        assert_eq!(problems(&input), [(Field::Id, Problem::Invalid), (Field::HouseholdId, Problem::Required)]);
        let input = VisitInput { id: uuid::Uuid::nil().to_string(), ..guided() };
        assert_eq!(problems(&input), [(Field::Id, Problem::Invalid)]);
    }

    #[test]
    fn a_malformed_household_id_is_invalid_not_missing() {
        let input = VisitInput { household_id: "nhà số 5".into(), ..guided() };
        assert_eq!(problems(&input), [(Field::HouseholdId, Problem::Invalid)]);
    }

    #[test]
    fn null_optional_fields_read_as_left_out() {
        let json = serde_json::json!({
            "id": VisitId::new().to_string(), "household_id": HouseholdId::new().to_string(),
            "outcome": "nobody_home", "people": null, "skills": null, "note": null, "follow_up": null,
            "come_back_on": null, "visited_at": "2026-11-25T07:30:00Z"
        });
        let input: VisitInput = serde_json::from_value(json).unwrap();
        assert_eq!(input.revision, 1);
        assert!(Visit::parse(&input, now(), &catalogue()).is_ok());
    }

    #[test]
    fn a_visit_round_trips_through_its_input_form_and_json() {
        let input = VisitInput {
            follow_up: Some(FollowUpInput { on: Some(date("2026-12-01")), reason: "Hướng dẫn con".into() }),
            ..guided()
        };
        let visit = Visit::parse(&input, now(), &catalogue()).unwrap();
        assert_eq!(Visit::parse(&visit.to_input(), now(), &catalogue()).unwrap(), visit);
        let json = serde_json::to_string(&visit).unwrap();
        let back: VisitInput = serde_json::from_str(&json).unwrap();
        assert_eq!(Visit::parse(&back, now(), &catalogue()).unwrap(), visit);
    }

    /// A visit synced on two phones of its author: B edits `mine` offline,
    /// A's edit `theirs` reaches the server first, B's push is answered
    /// `conflict` and the pull brings A's version beside B's.
    fn in_conflict(synced: &Visit, mine: Visit, theirs: Visit) -> crate::sync::phone::RecordCopy<Visit> {
        use crate::sync::phone::{edit, merge_pulled, RecordCopy, SyncState};
        let mut copy = RecordCopy::synced(synced.clone(), now());
        edit(&mut copy, mine);
        copy.sync = SyncState::Conflict { message: "đã được sửa ở máy khác".into() };
        merge_pulled(&mut copy, Visit { revision: 2, ..theirs }, now());
        copy
    }

    /// … and B saves the visit again from its form, as the form shows it.
    fn saved_again_over(synced: &Visit, mine: Visit, theirs: Visit) -> Visit {
        use crate::sync::phone::{edit_from_form, merged_for_form};
        let mut copy = in_conflict(synced, mine, theirs);
        let shown = merged_for_form(&copy).expect("in conflict, with the server's version");
        edit_from_form(&mut copy, &shown, shown.clone());
        assert_eq!(copy.base_revision, Some(2), "an edit of the server's version");
        assert_eq!(copy.record, Visit { revision: copy.record.revision, ..shown }, "what the form showed");
        copy.record
    }

    #[test]
    fn a_field_set_back_in_the_merged_form_stays_set_back() {
        use crate::sync::phone::{edit_from_form, merged_for_form};
        // Before both edits the visit had no note; the other phone wrote one, this one changed the outcome.
        let mut plain = guided();
        plain.note = String::new();
        let synced = Visit::parse(&plain, now(), &catalogue()).unwrap();
        let mine =
            Visit { outcome: Outcome::Declined, people: PeopleGuided::default(), skills: Vec::new(), ..synced.clone() };
        let theirs = Visit { note: "Con trai sẽ về cài giúp.".into(), ..synced.clone() };
        let mut copy = in_conflict(&synced, mine, theirs);
        let shown = merged_for_form(&copy).unwrap();
        assert_eq!((shown.outcome, shown.note.as_str()), (Outcome::Declined, "Con trai sẽ về cài giúp."));
        // She clears the note in the form: saved without it, not merged back to the other phone's.
        edit_from_form(&mut copy, &shown, Visit { note: String::new(), ..shown.clone() });
        assert_eq!((copy.record.outcome, copy.record.note.as_str()), (Outcome::Declined, ""));
    }

    #[test]
    fn saving_a_visit_in_conflict_keeps_the_other_phones_change_where_this_one_made_none() {
        let synced = Visit::parse(&guided(), now(), &catalogue()).unwrap();
        let mut declined = guided();
        declined.outcome = Some(Outcome::Declined);
        (declined.skills, declined.people) = (Vec::new(), PeopleGuided::default());
        let mine = Visit::parse(&declined, now(), &catalogue()).unwrap();
        let theirs = Visit { note: "Con trai sẽ về cài giúp.".into(), ..synced.clone() };

        let saved = saved_again_over(&synced, mine, theirs);
        assert_eq!(saved.outcome, Outcome::Declined, "this phone's change");
        assert_eq!(saved.note, "Con trai sẽ về cài giúp.", "the other phone's, not overwritten");
    }

    #[test]
    fn what_happened_at_the_door_comes_whole_from_one_side() {
        // One phone adds a skill; the other says the household declined
        // (which takes the skills and people away) and rewrites the note.
        let synced = Visit::parse(&guided(), now(), &catalogue()).unwrap();
        let mut more = guided();
        more.skills.push(SkillTaughtInput { code: "safety.scam".into(), completed: true });
        let mine = Visit::parse(&more, now(), &catalogue()).unwrap();
        let mut declined = guided();
        declined.outcome = Some(Outcome::Declined);
        (declined.skills, declined.people) = (Vec::new(), PeopleGuided::default());
        declined.note = "Không muốn học.".into();
        let theirs = Visit::parse(&declined, now(), &catalogue()).unwrap();

        let saved = saved_again_over(&synced, mine.clone(), theirs);
        assert_eq!((saved.outcome, &saved.skills, saved.people), (Outcome::Guided, &mine.skills, mine.people));
        assert_eq!(saved.note, "Không muốn học.", "the note is apart from the door");
        let input = saved.to_input();
        assert!(Visit::parse(&input, now(), &catalogue()).is_ok(), "as valid as each side");
    }

    #[test]
    fn a_pending_edit_goes_on_without_the_text_an_erasure_blanked() {
        use crate::sync::phone::{edit, merge_pulled, RecordCopy, SyncState, SyncedRecord};

        let mut input = guided();
        input.follow_up = Some(FollowUpInput { on: Some(date("2026-12-01")), reason: "Gọi bà Lan".into() });
        let synced = Visit::parse(&input, now(), &catalogue()).unwrap();
        let mut copy = RecordCopy::synced(synced.clone(), now());
        // Offline, the volunteer adds a skill and names the person in the note.
        input.skills.push(SkillTaughtInput { code: "safety.scam".into(), completed: true });
        input.note = "Bà Nguyễn Thị Lan, con gái ở Hà Nội.".into();
        let edited = Visit::parse(&input, now(), &catalogue()).unwrap();
        edit(&mut copy, edited.clone());
        // Meanwhile the household asked for its data to go: the server blanked the text.
        let erasing = Visit { revision: 2, text_erased_revision: Some(2), ..synced.clone().without_text() };
        merge_pulled(&mut copy, erasing.clone(), now());
        assert_eq!(
            (copy.record.note.as_str(), copy.record.follow_up.as_ref().map(|f| f.reason.as_str())),
            ("", Some(""))
        );
        assert_eq!(copy.record.skills, edited.skills, "what is not personal stays");
        assert_eq!(
            (copy.sync.clone(), copy.base_revision, copy.record.text_erased_revision),
            (SyncState::Pending, Some(2), Some(2))
        );
        assert!(!copy.record.same_content(&erasing) && copy.theirs.is_none());

        // New text written since is kept, and carries the mark: the same erasure never blanks it.
        input.note = "Hẹn tuần sau.".into();
        edit(&mut copy, Visit::parse(&input, now(), &catalogue()).unwrap());
        assert_eq!((copy.record.text_erased_revision, copy.record.note.as_str()), (Some(2), "Hẹn tuần sau."));
        let newer = Visit { revision: 3, ..erasing.clone() };
        merge_pulled(&mut copy, newer, now());
        assert_eq!(copy.record.note, "Hẹn tuần sau.", "an ordinary newer version is held beside it");
        // Erased again: blanked again.
        let again = Visit { revision: 4, text_erased_revision: Some(4), ..erasing };
        merge_pulled(&mut copy, again, now());
        assert_eq!((copy.record.note.as_str(), copy.base_revision), ("", Some(4)));
    }

    #[test]
    fn an_erasure_with_someone_elses_edit_or_over_a_deletion_stays_a_choice_without_the_text() {
        use crate::sync::phone::{edit, merge_pulled, RecordCopy, SyncState};

        let synced = Visit::parse(&guided(), now(), &catalogue()).unwrap();
        let offline = |copy: &mut RecordCopy<Visit>| {
            let mut input = guided();
            input.id = synced.id.to_string();
            input.household_id = synced.household_id.to_string();
            input.note = "Bà Nguyễn Thị Lan, số nhà 4.".into();
            edit(copy, Visit::parse(&input, now(), &catalogue()).unwrap());
        };
        // Another phone of hers changed the people before the erasure: not hers to overwrite unasked.
        let mut copy = RecordCopy::synced(synced.clone(), now());
        offline(&mut copy);
        let people = PeopleGuided { adults: 3, ..synced.people };
        let erasing = Visit { people, revision: 3, text_erased_revision: Some(3), ..synced.clone().without_text() };
        merge_pulled(&mut copy, erasing.clone(), now());
        assert_eq!(
            (copy.sync.clone(), copy.base_revision),
            (SyncState::Pending, Some(1)),
            "still an edit of revision 1"
        );
        assert_eq!(copy.theirs.as_ref(), Some(&erasing), "held beside it, to choose against");
        assert_eq!(copy.record.note, "", "without the erased text");
        assert_eq!(copy.base.as_ref().map(|base| base.note.as_str()), Some(""), "nowhere on the phone");

        // A deletion waiting stays one: only its push settles it.
        let mut copy = RecordCopy::synced(synced.clone(), now());
        offline(&mut copy);
        copy.deleted = true;
        let erasing = Visit { revision: 2, text_erased_revision: Some(2), ..synced.clone().without_text() };
        merge_pulled(&mut copy, erasing, now());
        assert!(copy.deleted && copy.sync == SyncState::Pending, "{copy:?}");
        assert_eq!(copy.record.note, "");
    }

    #[test]
    fn only_the_server_writes_the_mark_of_an_erasure() {
        use crate::sync::phone::SyncedRecord;
        let visit = Visit { text_erased_revision: Some(3), ..Visit::parse(&guided(), now(), &catalogue()).unwrap() };
        let json = serde_json::to_value(&visit).unwrap();
        assert_eq!(json["text_erased_revision"], 3);
        let pushed: VisitInput = serde_json::from_value(json).unwrap();
        let parsed = Visit::parse(&pushed, now(), &catalogue()).unwrap();
        assert_eq!(parsed.text_erased_revision, None, "a push cannot set it");
        assert!(parsed.same_content(&visit), "nor does it make a visit differ");
        let never = serde_json::to_value(&parsed).unwrap();
        assert!(never.get("text_erased_revision").is_none(), "left out when never erased: {never}");
    }
}
