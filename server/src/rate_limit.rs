//! Slows password guessing: after too many failed sign-ins for one account,
//! or from one address, within a window, sign-in answers 429 until the
//! window has passed, whether or not the next password is right. Unknown
//! usernames count like known ones, so the limit reveals nothing.

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
    /// `Err(wait)` when this account or address must wait before trying again.
    pub fn check(&self, account: &str, address: Option<IpAddr>, now: Instant) -> Result<(), Duration> {
        let mut failures = self.failures.lock().expect("the limiter's lock is never poisoned: nothing panics under it");
        let mut wait = None;
        for (key, limit) in keys(account, address) {
            let Some(times) = failures.get_mut(&key) else { continue };
            while times.front().is_some_and(|first| now.duration_since(*first) >= WINDOW) {
                times.pop_front();
            }
            if times.len() >= limit {
                let until = times[times.len() - limit] + WINDOW;
                wait = wait.max(Some(until.saturating_duration_since(now)));
            }
        }
        wait.map_or(Ok(()), Err)
    }

    pub fn record_failure(&self, account: &str, address: Option<IpAddr>, now: Instant) {
        let mut failures = self.failures.lock().expect("the limiter's lock is never poisoned: nothing panics under it");
        for (key, _) in keys(account, address) {
            failures.entry(key).or_default().push_back(now);
        }
    }

    /// A successful sign-in clears the account's failures (not the address's).
    pub fn record_success(&self, account: &str) {
        let mut failures = self.failures.lock().expect("the limiter's lock is never poisoned: nothing panics under it");
        failures.remove(&format!("account:{account}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_waits_after_too_many_failures_until_the_window_passes() {
        let limiter = SignInLimiter::default();
        let start = Instant::now();
        for _ in 0..PER_ACCOUNT {
            assert!(limiter.check("lan", None, start).is_ok());
            limiter.record_failure("lan", None, start);
        }
        let wait = limiter.check("lan", None, start).unwrap_err();
        assert_eq!(wait, WINDOW);
        assert!(limiter.check("minh", None, start).is_ok(), "other accounts are not affected");
        assert!(limiter.check("lan", None, start + WINDOW).is_ok());
    }

    #[test]
    fn an_address_is_limited_across_accounts() {
        let limiter = SignInLimiter::default();
        let (now, address) = (Instant::now(), Some("127.0.0.9".parse().unwrap()));
        for i in 0..PER_ADDRESS {
            limiter.record_failure(&format!("user{i}"), address, now);
        }
        assert!(limiter.check("someone-new", address, now).is_err());
        assert!(limiter.check("someone-new", Some("127.0.0.10".parse().unwrap()), now).is_ok());
    }

    #[test]
    fn success_clears_the_account() {
        let limiter = SignInLimiter::default();
        let now = Instant::now();
        for _ in 0..PER_ACCOUNT {
            limiter.record_failure("lan", None, now);
        }
        limiter.record_success("lan");
        assert!(limiter.check("lan", None, now).is_ok());
    }
}
