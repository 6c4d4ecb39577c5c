//! The rules for what a coordinator sets up: villages (with the number of
//! households the coverage figures divide by), teams, and skills.

use crate::catalogue::{CatalogueEntry, SkillGroup};
use crate::text::{char_len, normalize};
use crate::validation::{Field, FieldError, Problem};

pub const PLACE_NAME_MAX: usize = 100;
/// A commune's largest village is a few thousand households; this catches a typo of extra zeros.
pub const VILLAGE_HOUSEHOLDS_MAX: u32 = 20_000;
pub const SKILL_CODE_MAX: usize = 50;
pub const SKILL_LABEL_MAX: usize = 200;

/// A village or team name: required, at most 100 characters.
pub fn check_name(raw: &str) -> Result<String, FieldError> {
    let name = normalize(raw);
    if name.is_empty() {
        Err(FieldError::new(Field::Name, Problem::Required))
    } else if char_len(&name) > PLACE_NAME_MAX {
        Err(FieldError::new(Field::Name, Problem::TooLong { max: PLACE_NAME_MAX }))
    } else {
        Ok(name)
    }
}

/// The number of households of a village, as the commune counts them.
pub fn check_household_count(count: u32) -> Result<u32, FieldError> {
    if count > VILLAGE_HOUSEHOLDS_MAX {
        Err(FieldError::new(Field::HouseholdCount, Problem::OutOfRange { min: 0, max: VILLAGE_HOUSEHOLDS_MAX }))
    } else {
        Ok(count)
    }
}

/// A new skill: a code of `a–z`, `0–9`, `.`, `_`, `-` (stable forever: visits refer to it) and a label;
/// it counts for the basic skill the starting mapping gives its code.
pub fn new_skill(code: &str, group: SkillGroup, label: &str) -> Result<CatalogueEntry, Vec<FieldError>> {
    let mut errors = Vec::new();
    // ASCII only: a code with any other letter is refused below anyway.
    let code = code.trim().to_ascii_lowercase();
    if code.is_empty() {
        errors.push(FieldError::new(Field::Code, Problem::Required));
    } else if code.len() > SKILL_CODE_MAX {
        errors.push(FieldError::new(Field::Code, Problem::TooLong { max: SKILL_CODE_MAX }));
    } else if !code.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b".-_".contains(&b)) {
        errors.push(FieldError::new(Field::Code, Problem::Invalid));
    }
    let label = match check_skill_label(label) {
        Ok(label) => label,
        Err(error) => {
            errors.push(error);
            String::new()
        }
    };
    if errors.is_empty() {
        let basic_skill = crate::catalogue::starting_basic_skill(&code);
        Ok(CatalogueEntry { code, group, label, retired: false, basic_skill })
    } else {
        Err(errors)
    }
}

pub fn check_skill_label(raw: &str) -> Result<String, FieldError> {
    let label = normalize(raw);
    if label.is_empty() {
        Err(FieldError::new(Field::Label, Problem::Required))
    } else if char_len(&label) > SKILL_LABEL_MAX {
        Err(FieldError::new(Field::Label, Problem::TooLong { max: SKILL_LABEL_MAX }))
    } else {
        Ok(label)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_counts_are_checked() {
        assert_eq!(check_name("  Thôn   Đông ").unwrap(), "Thôn Đông");
        assert_eq!(check_name("").unwrap_err().problem, Problem::Required);
        assert!(check_household_count(120).is_ok());
        assert_eq!(check_household_count(1_200_000).unwrap_err().field, Field::HouseholdCount);
    }

    #[test]
    fn a_skill_code_is_a_plain_word() {
        let entry = new_skill(" Health.Booking ", SkillGroup::DigitalHealth, "Đặt lịch khám trực tuyến").unwrap();
        assert_eq!(entry.code, "health.booking");
        let errors = new_skill("đặt lịch", SkillGroup::DigitalHealth, "").unwrap_err();
        let fields: Vec<Field> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, [Field::Code, Field::Label]);
    }
}
