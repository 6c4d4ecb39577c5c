//! Slows password guessing: after too many failed sign-ins for one account,
//! or from one address, within a window, sign-in answers 429 until the
//! window has passed, whether or not the next password is right. Unknown
//! usernames count like known ones, so the limit reveals nothing.
//!
//! An attempt counts as a failure from the moment it starts until it is
//! known to have succeeded: a password check takes a while (argon2id), and
//! guesses sent all at once would otherwise all be checked before the first
//! failure was counted.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How far back failures count.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);
/// Failed sign-ins allowed per account within the window.
pub const PER_ACCOUNT: usize = 5;
/// Failed sign-ins allowed per address within the window (a commune office may share one).
pub const PER_ADDRESS: usize = 30;

#[derive(Default)]
pub struct SignInLimiter {
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
}

fn keys(account: &str, address: Option<IpAddr>) -> Vec<(String, usize)> {
    let mut keys = vec![(format!("account:{account}"), PER_ACCOUNT)];
    if let Some(address) = address {
        keys.push((format!("address:{address}"), PER_ADDRESS));
    }
    keys
}

impl SignInLimiter {
    /// Starts a sign-in attempt, counted as failed until [`Self::succeeded`]
    /// says otherwise; `Err(wait)` when this account or address must wait
    /// before trying again (and the attempt is not counted).
    pub fn attempt(&self, account: &str, address: Option<IpAddr>, now: Instant) -> Result<(), Duration> {
        let mut failures = self.failures.lock().expect("the limiter's lock is never poisoned: nothing panics under it");
        let keys = keys(account, address);
        let mut wait = None;
        for (key, limit) in &keys {
            let Some(times) = failures.get_mut(key) else { continue };
            while times.front().is_some_and(|first| now.duration_since(*first) >= WINDOW) {
                times.pop_front();
            }
            if times.len() >= *limit {
                let until = times[times.len() - limit] + WINDOW;
                wait = wait.max(Some(until.saturating_duration_since(now)));
            }
        }
        if let Some(wait) = wait {
            return Err(wait);
        }
        for (key, _) in keys {
            failures.entry(key).or_default().push_back(now);
        }
        Ok(())
    }

    /// The attempt started at `started` succeeded: the account's failures
    /// are cleared, and the address no longer counts this attempt (its
    /// other failures stay).
    pub fn succeeded(&self, account: &str, address: Option<IpAddr>, started: Instant) {
        let mut failures = self.failures.lock().expect("the limiter's lock is never poisoned: nothing panics under it");
        failures.remove(&format!("account:{account}"));
        if let Some(address) = address {
            forget_attempt(&mut failures, &format!("address:{address}"), started);
        }
    }

    /// The attempt started at `started` turned out not to be a guess (a
    /// form with other mistakes): it no longer counts, the rest stays.
    pub fn withdraw(&self, account: &str, address: Option<IpAddr>, started: Instant) {
        let mut failures = self.failures.lock().expect("the limiter's lock is never poisoned: nothing panics under it");
        for (key, _) in keys(account, address) {
            forget_attempt(&mut failures, &key, started);
        }
    }
}

/// Takes the attempt started at `started` off `key`'s count.
fn forget_attempt(failures: &mut HashMap<String, VecDeque<Instant>>, key: &str, started: Instant) {
    if let Some(times) = failures.get_mut(key) {
        if let Some(at) = times.iter().position(|time| *time == started) {
            times.remove(at);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An attempt that failed: counted when it started, nothing more to say.
    fn fail(limiter: &SignInLimiter, account: &str, address: Option<IpAddr>, now: Instant) {
        limiter.attempt(account, address, now).expect("allowed");
    }

    #[test]
    fn an_account_waits_after_too_many_failures_until_the_window_passes() {
        let limiter = SignInLimiter::default();
        let start = Instant::now();
        for _ in 0..PER_ACCOUNT {
            fail(&limiter, "lan", None, start);
        }
        let wait = limiter.attempt("lan", None, start).unwrap_err();
        assert_eq!(wait, WINDOW);
        assert!(limiter.attempt("minh", None, start).is_ok(), "other accounts are not affected");
        assert!(limiter.attempt("lan", None, start + WINDOW).is_ok());
    }

    #[test]
    fn attempts_still_being_checked_count_so_a_burst_gets_no_more_guesses() {
        let limiter = SignInLimiter::default();
        let now = Instant::now();
        // Many attempts started at once, none answered yet: only the allowance goes through.
        let allowed = (0..40).filter(|_| limiter.attempt("lan", None, now).is_ok()).count();
        assert_eq!(allowed, PER_ACCOUNT);
    }

    #[test]
    fn an_address_is_limited_across_accounts() {
        let limiter = SignInLimiter::default();
        let (now, address) = (Instant::now(), Some("127.0.0.9".parse().unwrap()));
        for i in 0..PER_ADDRESS {
            fail(&limiter, &format!("user{i}"), address, now);
        }
        assert!(limiter.attempt("someone-new", address, now).is_err());
        assert!(limiter.attempt("someone-new", Some("127.0.0.10".parse().unwrap()), now).is_ok());
    }

    #[test]
    fn success_clears_the_account_and_is_not_counted_against_the_address() {
        let limiter = SignInLimiter::default();
        let (now, address) = (Instant::now(), Some("127.0.0.9".parse().unwrap()));
        for _ in 0..PER_ACCOUNT - 1 {
            fail(&limiter, "lan", address, now);
        }
        let signing_in = now + Duration::from_secs(1);
        limiter.attempt("lan", address, signing_in).unwrap();
        limiter.succeeded("lan", address, signing_in);
        for _ in 0..PER_ACCOUNT {
            fail(&limiter, "lan", None, now);
        }
        assert!(limiter.attempt("lan", None, now).is_err(), "counting starts again from nothing");
        // The address holds the four failures, not the success: 26 more are allowed.
        let more = (0..PER_ADDRESS).filter(|i| limiter.attempt(&format!("user{i}"), address, now).is_ok()).count();
        assert_eq!(more, PER_ADDRESS - (PER_ACCOUNT - 1));
    }
}
