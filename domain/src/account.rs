//! The rules for accounts and invite codes, shared by the join screen and the
//! server so both refuse the same input with the same words.

use crate::text::{char_len, normalize};
use crate::validation::{Field, FieldError, Problem};

pub const USERNAME_MIN: usize = 3;
pub const USERNAME_MAX: usize = 32;
pub const DISPLAY_NAME_MAX: usize = 100;
/// Long enough to resist guessing with sign-in rate limits; short enough to type on a phone.
pub const PASSWORD_MIN: usize = 8;
pub const PASSWORD_MAX: usize = 128;

/// Invite codes: unambiguous letters and digits (no I, O, 0, 1), read aloud or typed from paper.
pub const INVITE_ALPHABET: &[u8; 32] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
/// 10 characters of 32: 50 bits, far beyond guessing at the join rate limit.
pub const INVITE_CODE_LEN: usize = 10;

/// Usernames are matched without regard to case or surrounding spaces. Only
/// ASCII letters have a case that matters: a username is ASCII (below).
pub fn canonical_username(raw: &str) -> String {
    raw.trim().to_ascii_lowercase()
}

/// A new username: 3–32 of `a–z`, `0–9`, `.`, `_`, `-` (no accents: it is typed on every sign-in).
pub fn check_username(raw: &str) -> Result<String, FieldError> {
    let username = canonical_username(raw);
    let problem = if username.is_empty() {
        Some(Problem::Required)
    } else if username.len() < USERNAME_MIN {
        Some(Problem::TooShort { min: USERNAME_MIN })
    } else if username.len() > USERNAME_MAX {
        Some(Problem::TooLong { max: USERNAME_MAX })
    } else if !username.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b".-_".contains(&b)) {
        Some(Problem::Invalid)
    } else {
        None
    };
    match problem {
        Some(problem) => Err(FieldError::new(Field::Username, problem)),
        None => Ok(username),
    }
}

/// The name shown to teammates, as typed (normalised), 1–100 characters.
pub fn check_display_name(raw: &str) -> Result<String, FieldError> {
    let name = normalize(raw);
    if name.is_empty() {
        Err(FieldError::new(Field::DisplayName, Problem::Required))
    } else if char_len(&name) > DISPLAY_NAME_MAX {
        Err(FieldError::new(Field::DisplayName, Problem::TooLong { max: DISPLAY_NAME_MAX }))
    } else {
        Ok(name)
    }
}

/// Passwords are taken as typed (no trimming): 8–128 characters.
pub fn check_password(raw: &str) -> Result<(), FieldError> {
    let length = char_len(raw);
    if length < PASSWORD_MIN {
        Err(FieldError::new(Field::Password, Problem::TooShort { min: PASSWORD_MIN }))
    } else if length > PASSWORD_MAX {
        Err(FieldError::new(Field::Password, Problem::TooLong { max: PASSWORD_MAX }))
    } else {
        Ok(())
    }
}

/// An invite code as typed or scanned: case, spaces and dashes do not matter.
pub fn canonical_invite_code(raw: &str) -> String {
    raw.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_uppercase()).collect()
}

/// "ABCDE-FGHJK": easier to read aloud and copy.
pub fn display_invite_code(code: &str) -> String {
    let code = canonical_invite_code(code);
    let middle = code.len().div_ceil(2);
    format!("{}-{}", &code[..middle], &code[middle..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_canonical_and_plain() {
        assert_eq!(check_username("  TinhNguyen3 ").unwrap(), "tinhnguyen3");
        assert_eq!(check_username("ab").unwrap_err().problem, Problem::TooShort { min: 3 });
        assert_eq!(check_username("nguyễn").unwrap_err().problem, Problem::Invalid);
        assert_eq!(check_username("an toàn").unwrap_err().problem, Problem::Invalid);
        assert_eq!(check_username("").unwrap_err().problem, Problem::Required);
    }

    #[test]
    fn passwords_need_eight_characters_counted_as_people_count() {
        assert!(check_password("mật khẩu").is_ok());
        assert_eq!(check_password("ngắn").unwrap_err().problem, Problem::TooShort { min: 8 });
    }

    #[test]
    fn invite_codes_survive_how_people_type_them() {
        assert_eq!(canonical_invite_code(" abcde-fghjk "), "ABCDEFGHJK");
        assert_eq!(display_invite_code("abcdefghjk"), "ABCDE-FGHJK");
    }

    #[test]
    fn display_names_are_normalised() {
        assert_eq!(check_display_name("  Phạm   Thu Trang ").unwrap(), "Phạm Thu Trang");
        assert_eq!(check_display_name(" ").unwrap_err().problem, Problem::Required);
    }
}
