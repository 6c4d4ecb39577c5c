//! Slows password guessing: after too many failed sign-ins for one account,
//! or from one address, within a window, sign-in answers 429 until the
//! window has passed, whether or not the next password is right. Unknown
//! usernames count like known ones, so the limit reveals nothing.
//!
//! An attempt counts as a failure from the moment it starts until it is
//! known to have succeeded: a password check takes a while (argon2id), and
//! guesses sent all at once would otherwise all be checked before the first
//! failure was counted. Attempts are kept in the database, so every server
//! process on it counts the same guesses (storage: [`SignInAttempts`]).

use crate::db::{AttemptCounter, AttemptStart, Database, DbResult};
use chrono::{DateTime, Duration, Utc};
use std::net::IpAddr;

/// How far back failures count.
pub const WINDOW: Duration = Duration::minutes(15);
/// Failed sign-ins allowed per account within the window.
pub const PER_ACCOUNT: usize = 5;
/// Failed sign-ins allowed per address within the window (a commune office may share one).
pub const PER_ADDRESS: usize = 30;

/// A sign-in attempt under way, counted as failed until it is known otherwise.
pub struct Attempt {
    id: String,
    account: String,
    address: Option<String>,
}

impl Attempt {
    fn counters(&self) -> Vec<String> {
        std::iter::once(self.account.clone()).chain(self.address.clone()).collect()
    }
}

/// Starts a sign-in attempt for `account` (a username, or `invite:<code>`)
/// from `address`, counted as failed until [`succeeded`] or [`withdraw`]
/// says otherwise; `Err(wait)` when this account or address must wait before
/// trying again (and the attempt is not counted).
pub async fn attempt(
    db: &Database,
    account: &str,
    address: Option<IpAddr>,
    now: DateTime<Utc>,
) -> DbResult<Result<Attempt, std::time::Duration>> {
    let attempt = Attempt {
        id: crate::token::generate(),
        account: format!("account:{account}"),
        address: address.map(|address| format!("address:{address}")),
    };
    let mut counters = vec![AttemptCounter { key: attempt.account.clone(), limit: PER_ACCOUNT }];
    counters.extend(attempt.address.clone().map(|key| AttemptCounter { key, limit: PER_ADDRESS }));
    Ok(match db.start_attempt(&attempt.id, &counters, now - WINDOW, now).await? {
        AttemptStart::Started => Ok(attempt),
        AttemptStart::Refused(full) => Err(wait(&full, now)),
    })
}

/// How long until every counter at its limit has room again: until its
/// `limit`-th newest attempt leaves the window. In whole seconds, rounded
/// up: a client that waits as long as told (`Retry-After`) finds room, and
/// a backend that keeps instants to the microsecond answers as one that
/// keeps nanoseconds.
fn wait(full: &[(AttemptCounter, Vec<DateTime<Utc>>)], now: DateTime<Utc>) -> std::time::Duration {
    let wait = full
        .iter()
        .filter_map(|(counter, held)| held.len().checked_sub(counter.limit).map(|oldest| held[oldest] + WINDOW - now))
        .max()
        .and_then(|wait| wait.to_std().ok())
        .unwrap_or_default();
    std::time::Duration::from_secs(wait.as_secs() + u64::from(wait.subsec_nanos() > 0))
}

/// The attempt succeeded: the account's failures are cleared, and the
/// address no longer counts this attempt (its other failures stay).
pub async fn succeeded(db: &Database, attempt: &Attempt) -> DbResult<()> {
    db.forget_attempt(&attempt.id, &attempt.counters(), Some(&attempt.account)).await
}

/// The attempt turned out not to be a guess (a form with other mistakes):
/// it no longer counts, the rest stays.
pub async fn withdraw(db: &Database, attempt: &Attempt) -> DbResult<()> {
    db.forget_attempt(&attempt.id, &attempt.counters(), None).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_lasts_until_the_oldest_attempt_that_fills_the_limit_leaves_the_window() {
        let now: DateTime<Utc> = "2026-12-06T08:00:00Z".parse().unwrap();
        let minutes = |m| now - Duration::minutes(m);
        let account = AttemptCounter { key: "account:lan".into(), limit: 2 };
        // Three held, two allowed: room again once the second oldest (10 minutes ago) leaves.
        let held = vec![minutes(12), minutes(10), minutes(1)];
        assert_eq!(wait(&[(account.clone(), held)], now), std::time::Duration::from_secs(5 * 60));
        let address = AttemptCounter { key: "address:127.0.0.9".into(), limit: 1 };
        let both = [(account, vec![minutes(14), minutes(13)]), (address, vec![minutes(3)])];
        assert_eq!(wait(&both, now), std::time::Duration::from_secs(12 * 60), "the longer wait of the two");
    }
}
