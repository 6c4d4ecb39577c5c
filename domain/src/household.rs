//! A household: the door a volunteer knocks on, known by its village, its
//! address and the head of household's name (domain.md). A phone number and
//! the number of members are optional: collect only what the work needs.

use crate::id::record_id;
use crate::search::fold;
use crate::text::{char_len, normalize};
use crate::validation::{Field, FieldError, Problem};
use serde::{Deserialize, Serialize};

pub const MAX_HEAD_NAME_CHARS: usize = 100;
pub const MAX_ADDRESS_CHARS: usize = 200;
pub const MAX_MEMBERS: u32 = 50;

record_id! {
    /// A household's id, generated on the phone that first recorded it.
    HouseholdId
}

/// A household as typed or pushed, before any rule is checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HouseholdInput {
    #[serde(default, deserialize_with = "crate::input::null_as_default")]
    pub id: String,
    #[serde(default, deserialize_with = "crate::input::null_as_default")]
    pub village_id: i64,
    #[serde(default, deserialize_with = "crate::input::null_as_default")]
    pub head_name: String,
    #[serde(default, deserialize_with = "crate::input::null_as_default")]
    pub address: String,
    /// Empty when not given.
    #[serde(default, deserialize_with = "crate::input::null_as_default")]
    pub phone: String,
    #[serde(default, deserialize_with = "crate::input::null_as_default")]
    pub members: Option<u32>,
    /// The household agreed to give its name, address and phone (see [`Household::consent`]).
    #[serde(default = "agreed", deserialize_with = "crate::input::null_as_agreed")]
    pub consent: bool,
    /// 1 when created, one more at each edit (see docs/sync-protocol.md).
    #[serde(default = "crate::visit::first_revision", deserialize_with = "crate::input::null_as_first_revision")]
    pub revision: u32,
}

/// Clients written before consent was recorded send none; they always collected with agreement.
fn agreed() -> bool {
    true
}

/// Empty, as a new form starts; a new record is at revision 1. Consent is
/// `true` as for a client that does not send it; the app asks and sets it.
impl Default for HouseholdInput {
    fn default() -> Self {
        HouseholdInput {
            id: String::new(),
            village_id: 0,
            head_name: String::new(),
            address: String::new(),
            phone: String::new(),
            members: None,
            consent: true,
            revision: 1,
        }
    }
}

/// A valid household. Serialises in the shape of [`HouseholdInput`] (`phone` may be null).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Household {
    pub id: HouseholdId,
    pub village_id: i64,
    pub head_name: String,
    pub address: String,
    pub phone: Option<String>,
    pub members: Option<u32>,
    /// Whether the household agreed, after the notice was read to it, that its
    /// name, address and phone be recorded. Without agreement they are empty:
    /// the household is known only by its village (and visits still count).
    /// Households stored before it was asked were recorded with agreement.
    #[serde(default = "agreed", deserialize_with = "crate::input::null_as_agreed")]
    pub consent: bool,
    pub revision: u32,
}

impl Household {
    /// Checks every rule and returns the household, or every field that is wrong.
    pub fn parse(input: &HouseholdInput) -> Result<Household, Vec<FieldError>> {
        let mut errors = Vec::new();
        let id = HouseholdId::parse(&input.id);
        if id.is_none() {
            errors.push(FieldError::new(Field::Id, Problem::Invalid));
        }
        if input.village_id <= 0 {
            errors.push(FieldError::new(Field::Village, Problem::Required));
        }
        let head_name = normalize(&input.head_name);
        let address = normalize(&input.address);
        if input.consent {
            check_required_text(&head_name, MAX_HEAD_NAME_CHARS, Field::HeadName, &mut errors);
            check_required_text(&address, MAX_ADDRESS_CHARS, Field::Address, &mut errors);
        } else {
            // Without the household's agreement none of its personal data may be kept.
            for (text, field) in
                [(&head_name, Field::HeadName), (&address, Field::Address), (&input.phone, Field::Phone)]
            {
                if !text.trim().is_empty() {
                    errors.push(FieldError::new(field, Problem::WithoutConsent));
                }
            }
        }
        let phone = match parse_phone(&input.phone) {
            Ok(phone) => phone,
            Err(_) if !input.consent => None,
            Err(problem) => {
                errors.push(FieldError::new(Field::Phone, problem));
                None
            }
        };
        if input.members.is_some_and(|members| members == 0 || members > MAX_MEMBERS) {
            errors.push(FieldError::new(Field::Members, Problem::OutOfRange { min: 1, max: MAX_MEMBERS }));
        }
        if input.revision == 0 {
            errors.push(FieldError::new(Field::Revision, Problem::Invalid));
        }
        match id {
            Some(id) if errors.is_empty() => Ok(Household {
                id,
                village_id: input.village_id,
                head_name,
                address,
                phone,
                members: input.members,
                consent: input.consent,
                revision: input.revision,
            }),
            _ => Err(errors),
        }
    }

    pub fn to_input(&self) -> HouseholdInput {
        HouseholdInput {
            id: self.id.to_string(),
            village_id: self.village_id,
            head_name: self.head_name.clone(),
            address: self.address.clone(),
            phone: self.phone.clone().unwrap_or_default(),
            members: self.members,
            consent: self.consent,
            revision: self.revision,
        }
    }

    /// Another record of the same door: same village, and the same head's
    /// name or the same address once case and diacritics are set aside.
    pub fn looks_like(&self, other: &Household) -> bool {
        self.id != other.id
            && self.consent
            && other.consent
            && self.village_id == other.village_id
            && (fold(&self.head_name) == fold(&other.head_name) || fold(&self.address) == fold(&other.address))
    }
}

fn check_required_text(text: &str, max: usize, field: Field, errors: &mut Vec<FieldError>) {
    if text.is_empty() {
        errors.push(FieldError::new(field, Problem::Required));
    } else if char_len(text) > max {
        errors.push(FieldError::new(field, Problem::TooLong { max }));
    }
}

/// A Vietnamese phone number, written as `0…` with digits only, or `None` if not given.
fn parse_phone(raw: &str) -> Result<Option<String>, Problem> {
    let compact: String = raw.chars().filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')')).collect();
    if compact.is_empty() {
        return Ok(None);
    }
    let national =
        match compact.strip_prefix("+84").or_else(|| compact.strip_prefix("84").filter(|_| compact.len() == 11)) {
            Some(rest) => format!("0{rest}"),
            None => compact,
        };
    let digits_only = national.bytes().all(|b| b.is_ascii_digit());
    if digits_only && national.starts_with('0') && (10..=11).contains(&national.len()) {
        Ok(Some(national))
    } else {
        Err(Problem::InvalidPhone)
    }
}

impl crate::sync::phone::SyncedRecord for Household {
    fn revision(&self) -> u32 {
        self.revision
    }

    fn set_revision(&mut self, revision: u32) {
        self.revision = revision;
    }

    /// A coordinator erased the household's name, address and phone at its request.
    fn erased_by(&self, newer: &Self) -> bool {
        self.consent && !newer.consent
    }

    /// Field by field: what this phone changed, and the other side's value
    /// where it did not. Without consent no personal field is kept, whichever
    /// side filled it.
    fn merged(base: &Self, mine: &Self, theirs: &Self) -> Self {
        use crate::sync::phone::field_kept as pick;
        let consent = pick(&base.consent, &mine.consent, &theirs.consent);
        let personal = |field: fn(&Household) -> &str| match consent {
            true => pick(&field(base), &field(mine), &field(theirs)).to_owned(),
            false => String::new(),
        };
        Household {
            id: mine.id,
            village_id: pick(&base.village_id, &mine.village_id, &theirs.village_id),
            head_name: personal(|h| &h.head_name),
            address: personal(|h| &h.address),
            phone: if consent { pick(&base.phone, &mine.phone, &theirs.phone) } else { None },
            members: pick(&base.members, &mine.members, &theirs.members),
            consent,
            revision: mine.revision,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> HouseholdInput {
        HouseholdInput {
            id: HouseholdId::new().to_string(),
            village_id: 1,
            head_name: "Nguyễn Văn An".into(),
            address: "Số 12, ngõ 3".into(),
            phone: String::new(),
            members: Some(4),
            consent: true,
            revision: 1,
        }
    }

    fn household(edit: impl FnOnce(&mut HouseholdInput)) -> Household {
        let mut typed = HouseholdInput { id: "0190f4a1-7c2d-7e2f-9a4b-1c2d3e4f5a6b".into(), ..input() };
        edit(&mut typed);
        Household::parse(&typed).unwrap()
    }

    #[test]
    fn two_edits_of_one_household_merge_field_by_field() {
        use crate::sync::phone::SyncedRecord;
        let base = household(|_| ());
        let mine = household(|h| h.phone = "0912345678".into());
        let theirs = household(|h| h.address = "Số 14, ngõ 3".into());
        let merged = Household::merged(&base, &mine, &theirs);
        assert_eq!((merged.address.as_str(), merged.phone.as_deref()), ("Số 14, ngõ 3", Some("0912345678")));
        // A field both changed keeps this phone's value.
        let both = household(|h| h.address = "Số 16, ngõ 3".into());
        assert_eq!(Household::merged(&base, &both, &theirs).address, "Số 16, ngõ 3");
        // Consent withdrawn on this phone: nothing personal the other side added is kept.
        let anonymous = household(|h| {
            h.consent = false;
            h.head_name.clear();
            h.address.clear();
        });
        let with_phone = household(|h| h.phone = "0912345678".into());
        let merged = Household::merged(&base, &anonymous, &with_phone);
        assert_eq!((merged.consent, merged.address.as_str(), merged.phone.as_deref()), (false, "", None));
        assert!(Household::parse(&merged.to_input()).is_ok(), "a merge is a valid household");
    }

    #[test]
    fn without_consent_no_name_address_or_phone_is_kept() {
        let anonymous = HouseholdInput { head_name: String::new(), address: " ".into(), consent: false, ..input() };
        let household = Household::parse(&anonymous).unwrap();
        assert!(!household.consent);
        assert_eq!(
            (household.head_name.as_str(), household.address.as_str(), household.phone.as_deref()),
            ("", "", None)
        );
        let leaking = HouseholdInput { phone: "0912 345 678".into(), consent: false, ..input() };
        assert_eq!(
            problems(&leaking),
            [
                (Field::HeadName, Problem::WithoutConsent),
                (Field::Address, Problem::WithoutConsent),
                (Field::Phone, Problem::WithoutConsent)
            ]
        );
        // Two anonymous households of a village are not twins.
        let other = Household::parse(&HouseholdInput { id: HouseholdId::new().to_string(), ..anonymous.clone() });
        assert!(!household.looks_like(&other.unwrap()));
    }

    #[test]
    fn a_client_that_sends_no_consent_collected_with_agreement() {
        let json = serde_json::json!({"id": HouseholdId::new().to_string(), "village_id": 1, "head_name": "An", "address": "Số 1"});
        let input: HouseholdInput = serde_json::from_value(json).unwrap();
        assert!(input.consent);
    }

    fn problems(input: &HouseholdInput) -> Vec<(Field, Problem)> {
        Household::parse(input).unwrap_err().into_iter().map(|e| (e.field, e.problem)).collect()
    }

    #[test]
    fn a_household_needs_a_village_a_head_and_an_address() {
        let household = Household::parse(&input()).unwrap();
        assert_eq!(household.phone, None);
        let empty = HouseholdInput { id: input().id, consent: true, ..Default::default() };
        assert_eq!(
            problems(&empty),
            [
                (Field::Village, Problem::Required),
                (Field::HeadName, Problem::Required),
                (Field::Address, Problem::Required)
            ]
        );
    }

    #[test]
    fn phones_are_written_the_same_way_whatever_was_typed() {
        for typed in ["0912 345 678", "+84 912.345.678", "84912345678", "091-234-5678"] {
            let household = Household::parse(&HouseholdInput { phone: typed.into(), ..input() }).unwrap();
            assert!(household.phone.as_deref().is_some_and(|p| p.starts_with('0') && p.len() == 10), "{typed}");
        }
        assert_eq!(household_phone("0912345678"), Some("0912345678".into()));
    }

    fn household_phone(typed: &str) -> Option<String> {
        Household::parse(&HouseholdInput { phone: typed.into(), ..input() }).unwrap().phone
    }

    #[test]
    fn a_phone_that_is_not_a_number_is_refused() {
        for typed in ["12345", "09123abc78", "+1 555 0100"] {
            assert_eq!(
                problems(&HouseholdInput { phone: typed.into(), ..input() }),
                [(Field::Phone, Problem::InvalidPhone)]
            );
        }
    }

    #[test]
    fn a_household_as_the_server_returns_it_can_be_pushed_back() {
        let household = Household::parse(&input()).unwrap();
        let json = serde_json::to_value(&household).unwrap();
        assert_eq!(json["phone"], serde_json::Value::Null);
        let back: HouseholdInput = serde_json::from_value(json).unwrap();
        assert_eq!(Household::parse(&back).unwrap(), household);
    }

    #[test]
    fn a_bad_household_id_names_the_id_field() {
        let bad = HouseholdInput { id: "x".into(), ..input() };
        assert_eq!(problems(&bad), [(Field::Id, Problem::Invalid)]);
    }

    #[test]
    fn members_must_be_plausible() {
        assert_eq!(
            problems(&HouseholdInput { members: Some(0), ..input() }),
            [(Field::Members, Problem::OutOfRange { min: 1, max: MAX_MEMBERS })]
        );
        assert!(Household::parse(&HouseholdInput { members: None, ..input() }).is_ok());
    }

    #[test]
    fn the_same_door_typed_twice_looks_alike() {
        let first = Household::parse(&input()).unwrap();
        let second = Household::parse(&HouseholdInput {
            id: HouseholdId::new().to_string(),
            head_name: "nguyen van an".into(),
            address: "Xóm Chùa".into(),
            ..input()
        })
        .unwrap();
        assert!(second.looks_like(&first));
        let elsewhere = Household { village_id: 2, ..second.clone() };
        assert!(!elsewhere.looks_like(&first), "another village is another door");
        assert!(!first.looks_like(&first), "a household is not its own twin");
    }
}
