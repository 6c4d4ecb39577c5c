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

/// [`hash`] on a blocking thread (see [`off_thread`]).
pub async fn hash_off_thread(password: String) -> Result<String, crate::error::ApiError> {
    off_thread(move || hash(&password)).await
}

/// Runs password work on a blocking thread — argon2id is deliberately slow
/// and must not hold an async worker — no more of it at once than there are
/// cores. More would not finish sooner (it is all computation), and each
/// check's 19 MiB tends to stay with the thread that ran it: 1,000 phones
/// signing in, 20 at a time, once took the server to 4.5 GiB (docs/benchmarks.md).
pub async fn off_thread<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, crate::error::ApiError> {
    static SLOTS: LazyLock<std::sync::Arc<tokio::sync::Semaphore>> = LazyLock::new(|| {
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
        std::sync::Arc::new(tokio::sync::Semaphore::new(cores))
    });
    let internal = |error: &dyn std::fmt::Display| crate::error::ApiError::Internal(error.to_string());
    let slot = SLOTS.clone().acquire_owned().await.map_err(|error| internal(&error))?;
    // The slot goes with the work: a request given up on still holds it until the work ends.
    tokio::task::spawn_blocking(move || {
        let answer = work();
        drop(slot);
        answer
    })
    .await
    .map_err(|error| internal(&error))
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
