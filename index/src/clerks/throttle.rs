//! Failed logins slow the next attempt down, per login and address: after a few failures each
//! further failure doubles the time before the next attempt is even checked. There is no hard
//! lock-out — any clerk could otherwise lock the supervisor out by typing wrong passwords — and a
//! supervisor can clear a delay. Kept in the desk's journal (`store::journal`), which an import
//! never holds, so a guesser is slowed down during an import too.

use crate::error::Result;
use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};

/// Failures allowed before the first delay (a clerk mistyping twice is not slowed).
const FREE_FAILURES: i64 = 3;
/// The longest delay between two attempts.
const MAX_DELAY_SECONDS: i64 = 15 * 60;

/// The key a login is kept under: a hash, so that whatever was typed does not stay on disk.
pub fn login_hash(login: &str) -> String {
    let digest = Sha256::digest(login.trim().to_lowercase().as_bytes());
    hex::encode(&digest[..16])
}

pub fn now_seconds() -> i64 {
    chrono::Utc::now().timestamp()
}

/// The delay after `failures` failures in a row.
pub fn delay_after(failures: i64) -> i64 {
    if failures <= FREE_FAILURES {
        return 0;
    }
    let doublings = (failures - FREE_FAILURES - 1).min(20) as u32;
    (1i64 << doublings).min(MAX_DELAY_SECONDS)
}

/// What an attempt to log in may do now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt {
    /// Slowed down: not checked; try again after this many seconds.
    Wait(i64),
    /// Checked, and already counted as a failure (a success clears it): the failures in a row
    /// it makes, and the delay before the next attempt should it fail.
    Counted { failures: i64, delay: i64 },
}

/// Takes an attempt for `login` from `address`, in one transaction: refused while a delay runs,
/// otherwise counted as a failure before the password is checked — so that attempts sent side by
/// side cannot all slip in before the first failure is counted.
pub fn attempt(journal: &mut Connection, login: &str, address: &str, now: i64) -> Result<Attempt> {
    let key = login_hash(login);
    let tx = journal.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let row: Option<(i64, Option<i64>)> = tx
        .query_row(
            "SELECT failures, blocked_until FROM login_failures WHERE login_hash = ?1 AND address = ?2",
            params![key, address],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (failures, until) = row.unwrap_or((0, None));
    if let Some(until) = until.filter(|u| *u > now) {
        return Ok(Attempt::Wait(until - now));
    }
    let failures = failures + 1;
    let delay = delay_after(failures);
    tx.execute(
        "INSERT INTO login_failures (login_hash, address, failures, last_failure, blocked_until)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(login_hash, address) DO UPDATE SET failures = excluded.failures,
             last_failure = excluded.last_failure, blocked_until = excluded.blocked_until",
        params![
            key,
            address,
            failures,
            now,
            (delay > 0).then_some(now + delay)
        ],
    )?;
    tx.commit()?;
    Ok(Attempt::Counted { failures, delay })
}

/// A login that succeeded starts counting afresh at that address.
pub fn succeeded(journal: &Connection, login: &str, address: &str) -> Result<()> {
    journal.execute(
        "DELETE FROM login_failures WHERE login_hash = ?1 AND address = ?2",
        params![login_hash(login), address],
    )?;
    Ok(())
}

/// A supervisor clears every delay of `login`; returns how many addresses were slowed.
pub fn clear(journal: &Connection, login: &str) -> Result<usize> {
    Ok(journal.execute(
        "DELETE FROM login_failures WHERE login_hash = ?1",
        params![login_hash(login)],
    )?)
}

/// Failures in a row and the latest time until which `login` is slowed, over all addresses.
pub fn state(journal: &Connection, login: &str, now: i64) -> Result<(i64, Option<i64>)> {
    Ok(journal.query_row(
        "SELECT COALESCE(MAX(failures), 0), MAX(blocked_until) FROM login_failures WHERE login_hash = ?1",
        params![login_hash(login)],
        |r| {
            let until: Option<i64> = r.get(1)?;
            Ok((r.get(0)?, until.filter(|u| *u > now)))
        },
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delay_grows_after_a_few_failures_and_stops_growing() {
        assert_eq!(delay_after(1), 0);
        assert_eq!(delay_after(3), 0);
        assert_eq!(delay_after(4), 1);
        assert_eq!(delay_after(5), 2);
        assert_eq!(delay_after(8), 16);
        assert_eq!(delay_after(100), MAX_DELAY_SECONDS);
    }
}
