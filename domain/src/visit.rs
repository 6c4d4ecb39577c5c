//! A household visit: the record a volunteer logs after knocking on a door.
//!
//! [`VisitInput`] is what arrives from a form or over the wire, as typed;
//! [`Visit::parse`] turns it into a [`Visit`] or says every field that is
//! wrong. Inside the program only `Visit` exists.

use crate::catalogue::SkillCode;
use crate::target_group::PeopleGuided;
use crate::text::{char_len, normalize};
use crate::validation::{Field, FieldError, Problem};
use chrono::{DateTime, Duration, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use uuid::Uuid;

pub const MAX_HEAD_NAME_CHARS: usize = 100;
pub const MAX_ADDRESS_CHARS: usize = 200;
pub const MAX_NOTE_CHARS: usize = 1000;
pub const MAX_PEOPLE_PER_GROUP: u32 = 100;
/// Phones' clocks drift; a visit a few minutes "ahead" of the server is not in the future.
pub const CLOCK_SKEW_ALLOWANCE_MINUTES: i64 = 10;

/// A visit's id, generated on the phone (UUID v7, so ids sort by time) so
/// the same visit pushed twice is recognised as one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct VisitId(Uuid);

impl VisitId {
    pub fn new() -> Self {
        VisitId(Uuid::now_v7())
    }

    pub fn as_uuid(&self) -> Uuid {
        self.0
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Uuid::parse_str(raw).ok().filter(|id| !id.is_nil()).map(VisitId)
    }
}

impl Default for VisitId {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Display for VisitId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// The household as typed in the visit form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HouseholdInput {
    #[serde(default)]
    pub head_name: String,
    #[serde(default)]
    pub address: String,
}

/// A visit as it arrives, before any rule is checked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitInput {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub village_id: i64,
    #[serde(default)]
    pub household: HouseholdInput,
    #[serde(default)]
    pub people: PeopleGuided,
    #[serde(default)]
    pub skills: Vec<String>,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub visited_at: Option<DateTime<Utc>>,
}

/// The household visited, normalised (NFC, trimmed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Household {
    pub head_name: String,
    pub address: String,
}

/// A valid visit. Serialises to the same JSON shape as [`VisitInput`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Visit {
    pub id: VisitId,
    pub village_id: i64,
    pub household: Household,
    pub people: PeopleGuided,
    /// Sorted and without repeats, so equal visits serialise equally.
    pub skills: Vec<SkillCode>,
    pub note: String,
    pub visited_at: DateTime<Utc>,
}

impl Visit {
    /// Checks every rule against `now` and returns the visit, or every field
    /// that is wrong (not only the first, so a form can mark them all).
    pub fn parse(input: &VisitInput, now: DateTime<Utc>) -> Result<Visit, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut refuse = |field, problem| errors.push(FieldError::new(field, problem));

        let id = VisitId::parse(&input.id);
        if id.is_none() {
            refuse(Field::Id, Problem::Invalid);
        }
        if input.village_id <= 0 {
            refuse(Field::Village, Problem::Required);
        }

        let head_name = normalize(&input.household.head_name);
        check_text(&head_name, MAX_HEAD_NAME_CHARS, true, Field::HeadName, &mut refuse);
        let address = normalize(&input.household.address);
        check_text(&address, MAX_ADDRESS_CHARS, true, Field::Address, &mut refuse);
        let note = input.note.trim().to_owned();
        check_text(&normalize(&note), MAX_NOTE_CHARS, false, Field::Note, &mut refuse);

        let people = input.people;
        let counts = [people.officials, people.pupils, people.adults, people.elderly, people.workers];
        if counts.iter().any(|count| *count > MAX_PEOPLE_PER_GROUP) {
            refuse(Field::People, Problem::TooMany { max: MAX_PEOPLE_PER_GROUP });
        } else if people.total() == 0 {
            refuse(Field::People, Problem::NobodyGuided);
        } else if people.elderly > people.adults {
            refuse(Field::People, Problem::ElderlyExceedAdults);
        }

        let mut skills = Vec::with_capacity(input.skills.len());
        for raw in &input.skills {
            match SkillCode::parse(raw.trim()) {
                Some(code) => skills.push(code),
                None => refuse(Field::Skills, Problem::UnknownSkill { skill: raw.clone() }),
            }
        }
        skills.sort();
        skills.dedup();

        match input.visited_at {
            None => refuse(Field::VisitedAt, Problem::Required),
            Some(at) if at > now + Duration::minutes(CLOCK_SKEW_ALLOWANCE_MINUTES) => {
                refuse(Field::VisitedAt, Problem::InTheFuture)
            }
            Some(at) if at < movement_start() => refuse(Field::VisitedAt, Problem::TooOld),
            Some(_) => {}
        }

        match (id, input.visited_at) {
            (Some(id), Some(visited_at)) if errors.is_empty() => Ok(Visit {
                id,
                village_id: input.village_id,
                household: Household { head_name, address },
                people,
                skills,
                note: normalize_multiline(&note),
                visited_at,
            }),
            _ => Err(errors),
        }
    }

    /// The form of this visit that editing starts from.
    pub fn to_input(&self) -> VisitInput {
        VisitInput {
            id: self.id.to_string(),
            village_id: self.village_id,
            household: HouseholdInput {
                head_name: self.household.head_name.clone(),
                address: self.household.address.clone(),
            },
            people: self.people,
            skills: self.skills.iter().map(|code| code.as_str().to_owned()).collect(),
            note: self.note.clone(),
            visited_at: Some(self.visited_at),
        }
    }
}

/// Visits dated before the movement's first year are refused: on a phone
/// whose clock was reset they would land in 1970.
fn movement_start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).single().expect("a valid date")
}

fn check_text(text: &str, max: usize, required: bool, field: Field, refuse: &mut impl FnMut(Field, Problem)) {
    if required && text.is_empty() {
        refuse(field, Problem::Required);
    } else if char_len(text) > max {
        refuse(field, Problem::TooLong { max });
    }
}

/// Notes keep their line breaks, but each line is normalised like other text.
fn normalize_multiline(text: &str) -> String {
    text.lines().map(normalize).collect::<Vec<_>>().join("\n").trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        "2026-11-25T08:00:00Z".parse().unwrap()
    }

    fn valid_input() -> VisitInput {
        VisitInput {
            id: "0193a3c4-5d6e-7f80-9a1b-2c3d4e5f6a7b".into(),
            village_id: 1,
            household: HouseholdInput { head_name: "Nguyễn Văn An".into(), address: "Số 12, ngõ 3".into() },
            people: PeopleGuided { adults: 2, elderly: 1, ..Default::default() },
            skills: vec!["vneid.level2".into(), "payment.qr".into()],
            note: "Bà cụ đã tự quét mã QR.".into(),
            visited_at: Some("2026-11-25T07:30:00Z".parse().unwrap()),
        }
    }

    fn problems(input: &VisitInput) -> Vec<(Field, Problem)> {
        Visit::parse(input, now())
            .expect_err("the input should be refused")
            .into_iter()
            .map(|error| (error.field, error.problem))
            .collect()
    }

    #[test]
    fn a_complete_visit_parses() {
        let visit = Visit::parse(&valid_input(), now()).unwrap();
        assert_eq!(visit.household.head_name, "Nguyễn Văn An");
        assert_eq!(visit.people.total(), 2);
    }

    #[test]
    fn skills_are_sorted_and_repeats_dropped_so_equal_visits_serialise_equally() {
        let mut input = valid_input();
        input.skills = vec!["payment.qr".into(), "vneid.level2".into(), "payment.qr".into()];
        let visit = Visit::parse(&input, now()).unwrap();
        let codes: Vec<_> = visit.skills.iter().map(SkillCode::as_str).collect();
        assert_eq!(codes, ["payment.qr", "vneid.level2"]);
    }

    #[test]
    #[cfg(feature = "nfc")]
    fn names_are_normalised_to_nfc() {
        let mut input = valid_input();
        input.household.head_name = "  Nguye\u{0302}\u{0303}n  Va\u{0306}n An ".into();
        assert_eq!(Visit::parse(&input, now()).unwrap().household.head_name, "Nguyễn Văn An");
    }

    #[test]
    fn a_missing_head_name_and_address_are_both_reported() {
        let mut input = valid_input();
        input.household = HouseholdInput { head_name: "   ".into(), address: String::new() };
        assert_eq!(problems(&input), [(Field::HeadName, Problem::Required), (Field::Address, Problem::Required)]);
    }

    #[test]
    fn over_long_text_is_refused() {
        let mut input = valid_input();
        input.household.head_name = "Ễ".repeat(MAX_HEAD_NAME_CHARS + 1);
        input.note = "a".repeat(MAX_NOTE_CHARS + 1);
        assert_eq!(
            problems(&input),
            [
                (Field::HeadName, Problem::TooLong { max: MAX_HEAD_NAME_CHARS }),
                (Field::Note, Problem::TooLong { max: MAX_NOTE_CHARS })
            ]
        );
    }

    #[test]
    fn a_visit_that_guided_nobody_is_refused() {
        let mut input = valid_input();
        input.people = PeopleGuided::default();
        assert_eq!(problems(&input), [(Field::People, Problem::NobodyGuided)]);
    }

    #[test]
    fn more_elderly_than_adults_is_refused() {
        let mut input = valid_input();
        input.people = PeopleGuided { adults: 1, elderly: 2, ..Default::default() };
        assert_eq!(problems(&input), [(Field::People, Problem::ElderlyExceedAdults)]);
    }

    #[test]
    fn implausible_counts_are_refused() {
        let mut input = valid_input();
        input.people.pupils = MAX_PEOPLE_PER_GROUP + 1;
        assert_eq!(problems(&input), [(Field::People, Problem::TooMany { max: MAX_PEOPLE_PER_GROUP })]);
    }

    #[test]
    fn a_skill_outside_the_catalogue_is_refused() {
        let mut input = valid_input();
        input.skills.push("vneid.level9".into());
        assert_eq!(problems(&input), [(Field::Skills, Problem::UnknownSkill { skill: "vneid.level9".into() })]);
    }

    #[test]
    fn a_visit_in_the_future_is_refused_but_small_clock_drift_is_not() {
        let mut input = valid_input();
        input.visited_at = Some(now() + Duration::minutes(5));
        assert!(Visit::parse(&input, now()).is_ok());
        input.visited_at = Some(now() + Duration::hours(2));
        assert_eq!(problems(&input), [(Field::VisitedAt, Problem::InTheFuture)]);
    }

    #[test]
    fn a_visit_from_a_reset_clock_is_refused() {
        let mut input = valid_input();
        input.visited_at = Some("1970-01-01T00:00:00Z".parse().unwrap());
        assert_eq!(problems(&input), [(Field::VisitedAt, Problem::TooOld)]);
    }

    #[test]
    fn ids_must_be_uuids_and_villages_chosen() {
        let mut input = valid_input();
        input.id = "not-a-uuid".into();
        input.village_id = 0;
        assert_eq!(problems(&input), [(Field::Id, Problem::Invalid), (Field::Village, Problem::Required)]);
        input.id = Uuid::nil().to_string();
        input.village_id = 1;
        assert_eq!(problems(&input), [(Field::Id, Problem::Invalid)]);
    }

    #[test]
    fn a_visit_round_trips_through_its_input_form() {
        let visit = Visit::parse(&valid_input(), now()).unwrap();
        assert_eq!(Visit::parse(&visit.to_input(), now()).unwrap(), visit);
    }

    #[test]
    fn a_visit_serialises_in_the_shape_it_arrives_in() {
        let visit = Visit::parse(&valid_input(), now()).unwrap();
        let json = serde_json::to_string(&visit).unwrap();
        let input: VisitInput = serde_json::from_str(&json).unwrap();
        assert_eq!(Visit::parse(&input, now()).unwrap(), visit);
    }
}
