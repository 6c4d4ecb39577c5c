//! Password hashing with argon2id (RFC 9106), in PHC string form so the
//! parameters travel with each hash and can be raised later.
//!
//! Parameters: the argon2 crate's defaults for argon2id — 19 MiB memory,
//! 2 iterations, 1 lane (OWASP's minimum recommendation).

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use std::sync::LazyLock;

/// Hashes a new password.
pub fn hash(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2id with default parameters accepts any password")
        .to_string()
}

/// [`hash`] on a blocking thread: argon2id is deliberately slow and must not hold an async worker.
pub async fn hash_off_thread(password: String) -> Result<String, crate::error::ApiError> {
    tokio::task::spawn_blocking(move || hash(&password))
        .await
        .map_err(|error| crate::error::ApiError::Internal(error.to_string()))
}

/// Checks a password against a stored hash; a malformed hash never matches.
pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
        .unwrap_or(false)
}

/// Burns the same time as a real check, so an unknown username cannot be
/// told apart from a wrong password by how long sign-in takes.
pub fn verify_against_nothing(password: &str) {
    static DUMMY: LazyLock<String> = LazyLock::new(|| hash("gõ cửa: không có người dùng này"));
    let _ = verify(password, &DUMMY);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_is_argon2id_and_verifies_only_its_password() {
        let stored = hash("mật khẩu đúng");
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify("mật khẩu đúng", &stored));
        assert!(!verify("mật khẩu sai", &stored));
        assert!(!verify("mật khẩu đúng", "not a hash"));
    }
}
