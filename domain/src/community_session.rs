//! A community learning session ("buổi học cộng đồng"): one place, one
//! date, many attendees — the plan's monthly sessions and the "Ngày hội
//! toàn dân học tập số" on 10 October.
//!
//! It is counted apart from household visits: its attendees are people
//! guided, never households reached. Like a visit it is made on a phone,
//! kept offline, and synced with the same revision rules; its organising
//! team is its author's.

use crate::catalogue::{Catalogue, SkillCode};
use crate::id::record_id;
use crate::target_group::PeopleGuided;
use crate::text::{char_len, normalize, normalize_multiline};
use crate::time::{local_day, movement_start};
use crate::validation::{Field, FieldError, Problem};
use crate::visit::{first_revision, CLOCK_SKEW_ALLOWANCE_MINUTES, MAX_NOTE_CHARS};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

pub const MAX_PLACE_CHARS: usize = 200;
/// A commune's festival day can gather hundreds in one group; more than this is a typing slip.
pub const MAX_ATTENDEES_PER_GROUP: u32 = 5000;

record_id! {
    /// A community session's id, generated on the phone that logged it.
    CommunitySessionId
}

/// A community session as it arrives, before any rule is checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommunitySessionInput {
    #[serde(default, deserialize_with = "crate::input::null_as_default")]
    pub id: String,
    #[serde(default, deserialize_with = "crate::input::null_as_default")]
    pub village_id: i64,
    #[serde(default, deserialize_with = "crate::input::null_as_default")]
    pub place: String,
    #[serde(default, deserialize_with = "crate::input::null_as_default")]
    pub held_on: Option<NaiveDate>,
    /// Codes of the skills taught (the session's topic).
    #[serde(default, deserialize_with = "crate::input::null_as_default")]
    pub skills: Vec<String>,
    #[serde(default, deserialize_with = "crate::input::object_or_default")]
    pub attendees: PeopleGuided,
    #[serde(default, deserialize_with = "crate::input::null_as_default")]
    pub note: String,
    #[serde(default = "first_revision", deserialize_with = "crate::input::null_as_first_revision")]
    pub revision: u32,
}

impl Default for CommunitySessionInput {
    fn default() -> Self {
        CommunitySessionInput {
            id: String::new(),
            village_id: 0,
            place: String::new(),
            held_on: None,
            skills: Vec::new(),
            attendees: PeopleGuided::default(),
            note: String::new(),
            revision: 1,
        }
    }
}

/// A valid community session. Serialises in the shape of [`CommunitySessionInput`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CommunitySession {
    pub id: CommunitySessionId,
    pub village_id: i64,
    pub place: String,
    pub held_on: NaiveDate,
    /// Sorted and without repeats, so equal sessions serialise equally.
    pub skills: Vec<SkillCode>,
    /// Attendees per target group; the elderly are counted inside `adults` and again on their own.
    pub attendees: PeopleGuided,
    pub note: String,
    pub revision: u32,
}

impl CommunitySession {
    /// Checks every rule against `now` and the commune's `catalogue` (the
    /// village is checked by the server, which knows the commune's villages),
    /// and returns the session or every field that is wrong.
    pub fn parse(
        input: &CommunitySessionInput,
        now: DateTime<Utc>,
        catalogue: &Catalogue,
    ) -> Result<CommunitySession, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut refuse = |field, problem| errors.push(FieldError::new(field, problem));

        let id = CommunitySessionId::parse(&input.id);
        if id.is_none() {
            refuse(Field::Id, Problem::Invalid);
        }
        if input.village_id <= 0 {
            refuse(Field::Village, Problem::Required);
        }
        let place = normalize(&input.place);
        if place.is_empty() {
            refuse(Field::Place, Problem::Required);
        } else if char_len(&place) > MAX_PLACE_CHARS {
            refuse(Field::Place, Problem::TooLong { max: MAX_PLACE_CHARS });
        }

        let latest_day = local_day(now + Duration::minutes(CLOCK_SKEW_ALLOWANCE_MINUTES));
        match input.held_on {
            None => refuse(Field::HeldOn, Problem::Required),
            Some(day) if day > latest_day => refuse(Field::HeldOn, Problem::InTheFuture),
            Some(day) if day < local_day(movement_start()) => refuse(Field::HeldOn, Problem::TooOld),
            Some(_) => {}
        }

        let mut skills = Vec::with_capacity(input.skills.len());
        for raw in &input.skills {
            match catalogue.code(raw.trim()) {
                Some(code) => skills.push(code),
                None => refuse(Field::Skills, Problem::UnknownSkill { skill: raw.clone() }),
            }
        }
        if input.skills.is_empty() {
            refuse(Field::Skills, Problem::Required);
        }
        skills.sort();
        skills.dedup();

        let attendees = input.attendees;
        let counts = [attendees.officials, attendees.pupils, attendees.adults, attendees.elderly, attendees.workers];
        if counts.iter().any(|count| *count > MAX_ATTENDEES_PER_GROUP) {
            refuse(Field::Attendees, Problem::TooMany { max: MAX_ATTENDEES_PER_GROUP });
        } else if attendees.total() == 0 {
            refuse(Field::Attendees, Problem::NobodyGuided);
        } else if attendees.elderly > attendees.adults {
            refuse(Field::Attendees, Problem::ElderlyExceedAdults);
        }

        let note = normalize_multiline(&input.note);
        if char_len(&note) > MAX_NOTE_CHARS {
            refuse(Field::Note, Problem::TooLong { max: MAX_NOTE_CHARS });
        }
        if input.revision == 0 {
            refuse(Field::Revision, Problem::Invalid);
        }

        match (id, input.held_on) {
            (Some(id), Some(held_on)) if errors.is_empty() => Ok(CommunitySession {
                id,
                village_id: input.village_id,
                place,
                held_on,
                skills,
                attendees,
                note,
                revision: input.revision,
            }),
            _ => Err(errors),
        }
    }

    /// The form of this session that editing starts from.
    pub fn to_input(&self) -> CommunitySessionInput {
        CommunitySessionInput {
            id: self.id.to_string(),
            village_id: self.village_id,
            place: self.place.clone(),
            held_on: Some(self.held_on),
            skills: self.skills.iter().map(|code| code.as_str().to_owned()).collect(),
            attendees: self.attendees,
            note: self.note.clone(),
            revision: self.revision,
        }
    }
}

impl crate::sync::phone::SyncedRecord for CommunitySession {
    fn revision(&self) -> u32 {
        self.revision
    }

    fn set_revision(&mut self, revision: u32) {
        self.revision = revision;
    }

    /// Two edits of one session (its author's, on two phones) merge field by
    /// field; the village and the place in it are one field (a place named
    /// for one village never lands in another).
    fn merged(base: &Self, mine: &Self, theirs: &Self) -> Self {
        use crate::sync::phone::field_kept as pick;
        let whereabouts = |session: &Self| (session.village_id, session.place.clone());
        let (village_id, place) = pick(&whereabouts(base), &whereabouts(mine), &whereabouts(theirs));
        CommunitySession {
            village_id,
            place,
            held_on: pick(&base.held_on, &mine.held_on, &theirs.held_on),
            skills: pick(&base.skills, &mine.skills, &theirs.skills),
            attendees: pick(&base.attendees, &mine.attendees, &theirs.attendees),
            note: pick(&base.note, &mine.note, &theirs.note),
            ..mine.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        // 25 November 2026, 22:00 in Vietnam.
        "2026-11-25T15:00:00Z".parse().unwrap()
    }

    fn festival() -> CommunitySessionInput {
        CommunitySessionInput {
            id: CommunitySessionId::new().to_string(),
            village_id: 2,
            place: "  Nhà văn hóa   thôn Đông ".into(),
            held_on: Some("2026-10-10".parse().unwrap()),
            skills: vec!["vneid.level2".into(), "payment.qr".into(), "vneid.level2".into()],
            attendees: PeopleGuided { pupils: 40, adults: 120, elderly: 35, ..Default::default() },
            note: String::new(),
            revision: 1,
        }
    }

    fn problems(input: &CommunitySessionInput) -> Vec<(Field, Problem)> {
        CommunitySession::parse(input, now(), &Catalogue::starting())
            .expect_err("the input should be refused")
            .into_iter()
            .map(|error| (error.field, error.problem))
            .collect()
    }

    #[test]
    fn two_edits_of_a_session_merge_field_by_field() {
        use crate::sync::phone::SyncedRecord;
        let base = CommunitySession::parse(&festival(), now(), &Catalogue::starting()).unwrap();
        let mine = CommunitySession { place: "Nhà văn hoá thôn Đông".into(), revision: 2, ..base.clone() };
        let theirs = CommunitySession { note: "Mang thêm máy chiếu.".into(), revision: 2, ..base.clone() };
        let merged = CommunitySession::merged(&base, &mine, &theirs);
        assert_eq!((merged.place.as_str(), merged.note.as_str()), ("Nhà văn hoá thôn Đông", "Mang thêm máy chiếu."));
        assert_eq!(CommunitySession::merged(&base, &mine, &base), mine, "nothing changed on the other side");
    }

    #[test]
    fn a_festival_day_parses_with_its_place_tidied_and_skills_once_each() {
        let session = CommunitySession::parse(&festival(), now(), &Catalogue::starting()).unwrap();
        assert_eq!(session.place, "Nhà văn hóa thôn Đông");
        let codes: Vec<_> = session.skills.iter().map(SkillCode::as_str).collect();
        assert_eq!(codes, ["payment.qr", "vneid.level2"]);
        assert_eq!(session.attendees.total(), 160);
        let again = CommunitySession::parse(&session.to_input(), now(), &Catalogue::starting()).unwrap();
        assert_eq!(again, session, "a session survives the round trip through its form");
    }

    #[test]
    fn today_in_vietnam_is_allowed_and_tomorrow_is_not() {
        let today = CommunitySessionInput { held_on: Some("2026-11-25".parse().unwrap()), ..festival() };
        assert!(CommunitySession::parse(&today, now(), &Catalogue::starting()).is_ok());
        let tomorrow = CommunitySessionInput { held_on: Some("2026-11-26".parse().unwrap()), ..festival() };
        assert_eq!(problems(&tomorrow), [(Field::HeldOn, Problem::InTheFuture)]);
    }

    #[test]
    fn every_missing_field_is_named_at_once() {
        let empty = CommunitySessionInput { id: CommunitySessionId::new().to_string(), ..Default::default() };
        assert_eq!(
            problems(&empty),
            [
                (Field::Village, Problem::Required),
                (Field::Place, Problem::Required),
                (Field::HeldOn, Problem::Required),
                (Field::Skills, Problem::Required),
                (Field::Attendees, Problem::NobodyGuided),
            ]
        );
    }

    #[test]
    fn attendees_are_checked_like_people_guided() {
        let elderly = CommunitySessionInput {
            attendees: PeopleGuided { adults: 3, elderly: 4, ..Default::default() },
            ..festival()
        };
        assert_eq!(problems(&elderly), [(Field::Attendees, Problem::ElderlyExceedAdults)]);
        let crowd = CommunitySessionInput {
            attendees: PeopleGuided { adults: MAX_ATTENDEES_PER_GROUP + 1, ..Default::default() },
            ..festival()
        };
        assert_eq!(problems(&crowd), [(Field::Attendees, Problem::TooMany { max: MAX_ATTENDEES_PER_GROUP })]);
    }

    #[test]
    fn an_unknown_skill_is_named() {
        let input = CommunitySessionInput { skills: vec!["khong.co".into()], ..festival() };
        assert_eq!(problems(&input), [(Field::Skills, Problem::UnknownSkill { skill: "khong.co".into() })]);
    }
}
