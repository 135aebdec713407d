//! Throttles on guessing passwords and on e-mail that anyone can trigger,
//! counted in the shared store (Redis when configured) so they hold across
//! instances.
//!
//! Password checks (`logIn`, `changePassword`) are limited three ways:
//! - per account and client address, strictly: [`PAIR_MAX_ATTEMPTS`] attempts
//!   per window, cleared by a success;
//! - per client address, whatever the account: [`ADDRESS_MAX_FAILURES`]
//!   failures per window (credential stuffing);
//! - per account, progressively, but only for addresses that never logged in
//!   to it: after [`ACCOUNT_FREE_ATTEMPTS`] attempts from such addresses, each
//!   further one waits twice as long as the last (up to [`MAX_DELAY_SECS`]), one
//!   attempt per slot. An address the owner logged in from (for
//!   [`KNOWN_ADDRESS_TTL`]) is not slowed by what others do, so nobody can lock
//!   the owner out from elsewhere.
//!
//! Every counter is taken before the password is checked, atomically, so
//! concurrent attempts cannot slip past it. Windows and delays are counted from
//! the [`Clock`]; the store's key expiry is housekeeping in real time.

use std::time::Duration;

use crate::{auth::tokens::hash_token, clock::Clock, error::ApiError, ratelimit::count_in_window, store::KeyValueStore};

/// Window of the per-address counters.
pub const WINDOW: Duration = Duration::from_secs(15 * 60);
/// Attempts per account and address per window.
pub const PAIR_MAX_ATTEMPTS: i64 = 10;
/// Failed attempts per address per window, over all accounts.
pub const ADDRESS_MAX_FAILURES: i64 = 50;
/// Attempts on an account from unknown addresses before delays start.
pub const ACCOUNT_FREE_ATTEMPTS: i64 = 5;
/// How long the per-account count of attempts from unknown addresses lasts.
pub const ACCOUNT_WINDOW: Duration = Duration::from_secs(60 * 60);
/// Longest delay between attempts on an account from unknown addresses.
pub const MAX_DELAY_SECS: u64 = 15 * 60;
/// How long an address stays known after a successful log-in from it.
pub const KNOWN_ADDRESS_TTL: Duration = Duration::from_secs(90 * 24 * 60 * 60);
/// E-mails anyone can trigger (verification, reset) per recipient per hour.
pub const MAILS_PER_RECIPIENT_PER_HOUR: i64 = 3;

/// Counts one event under `key` in a fixed window of `window`; `Err(RATE_LIMITED)`
/// with the seconds to the window's end when more than `max` were counted.
pub async fn fixed_window(store: &dyn KeyValueStore, clock: &Clock, key: &str, max: i64, window: Duration) -> Result<(), ApiError> {
    let counted = count_in_window(store, clock, key, window).await?;
    if counted.count > max { Err(ApiError::RateLimited(counted.reset_secs)) } else { Ok(()) }
}

/// True when one more e-mail that anyone can trigger may go to `recipient_key`
/// (the address's lookup key) this hour. Counted whether or not an account has
/// the address, so the answer never tells.
pub async fn allow_mail(store: &dyn KeyValueStore, clock: &Clock, recipient_key: &str) -> Result<bool, ApiError> {
    let key = format!("mail:{}", hash_token(recipient_key));
    match fixed_window(store, clock, &key, MAILS_PER_RECIPIENT_PER_HOUR, Duration::from_secs(3600)).await {
        Ok(()) => Ok(true),
        Err(ApiError::RateLimited(_)) => Ok(false),
        Err(e) => Err(e),
    }
}

/// A password check allowed by [`before_password_check`]; pass it to
/// [`after_password_check`] with the outcome.
#[derive(Debug)]
pub struct Ticket {
    account: String,
    address: String,
    known: bool,
    pair_key: String,
    address_key: String,
}

fn account_of(account_key: &str) -> String {
    hash_token(account_key)
}

/// Counts a password check on the account with lookup key `account_key` (its
/// e-mail key, whether or not an account exists) from `address`, before the
/// password is checked; RATE_LIMITED (with the seconds to wait) when over a limit.
pub async fn before_password_check(
    store: &dyn KeyValueStore,
    clock: &Clock,
    account_key: &str,
    address: Option<&str>,
) -> Result<Ticket, ApiError> {
    let now = clock.unix_secs();
    let account = account_of(account_key);
    let address = address.unwrap_or("unknown").to_owned();
    let pair = count_in_window(store, clock, &format!("pw-pair:{account}:{address}"), WINDOW).await?;
    if pair.count > PAIR_MAX_ATTEMPTS {
        return Err(ApiError::RateLimited(pair.reset_secs));
    }
    let per_address = count_in_window(store, clock, &format!("pw-addr:{address}"), WINDOW).await?;
    if per_address.count > ADDRESS_MAX_FAILURES {
        return Err(ApiError::RateLimited(per_address.reset_secs));
    }
    let (pair_key, address_key) = (pair.key, per_address.key);
    let known = store.set_members(&format!("pw-known:{account}")).await?.contains(&address);
    if !known {
        let attempts_key = format!("pw-acct:{account}");
        let attempts = store.incr(&attempts_key, 1, ACCOUNT_WINDOW).await?;
        if attempts > ACCOUNT_FREE_ATTEMPTS {
            let next = store.get(&format!("pw-acct-next:{account}")).await?.and_then(|v| v.parse::<u64>().ok()).unwrap_or(0);
            let refused = if now < next {
                Some(next - now)
            } else {
                // One attempt per slot: concurrent requests cannot share it.
                let claimed = store.incr(&format!("pw-acct-slot:{account}:{next}"), 1, ACCOUNT_WINDOW).await?;
                (claimed > 1).then_some(1)
            };
            if let Some(wait) = refused {
                // A refused attempt checks no password: it does not lengthen the delay.
                store.incr(&attempts_key, -1, ACCOUNT_WINDOW).await?;
                return Err(ApiError::RateLimited(wait));
            }
        }
    }
    Ok(Ticket { account, address, known, pair_key, address_key })
}

/// Records the outcome of a check allowed by [`before_password_check`].
pub async fn after_password_check(store: &dyn KeyValueStore, clock: &Clock, ticket: Ticket, succeeded: bool) -> Result<(), ApiError> {
    if succeeded {
        store.delete(&ticket.pair_key).await?;
        store.incr(&ticket.address_key, -1, WINDOW).await?;
        store.set_add(&format!("pw-known:{}", ticket.account), &ticket.address, KNOWN_ADDRESS_TTL).await?;
        if !ticket.known {
            store.incr(&format!("pw-acct:{}", ticket.account), -1, ACCOUNT_WINDOW).await?;
        }
        return Ok(());
    }
    if !ticket.known {
        let attempts = store.get(&format!("pw-acct:{}", ticket.account)).await?.and_then(|v| v.parse::<i64>().ok()).unwrap_or(0);
        if attempts >= ACCOUNT_FREE_ATTEMPTS {
            let exponent = u32::try_from(attempts - ACCOUNT_FREE_ATTEMPTS).unwrap_or(u32::MAX).min(20);
            let delay = 2u64.saturating_pow(exponent).min(MAX_DELAY_SECS);
            let next = clock.unix_secs() + delay;
            store.set(&format!("pw-acct-next:{}", ticket.account), &next.to_string(), Some(ACCOUNT_WINDOW)).await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::MemoryStore;

    async fn attempt(store: &MemoryStore, address: &str, succeeds: bool) -> Result<(), ApiError> {
        let clock = Clock::system();
        let ticket = before_password_check(store, &clock, "kim@example.org", Some(address)).await?;
        after_password_check(store, &clock, ticket, succeeds).await
    }

    #[tokio::test]
    async fn an_address_is_refused_after_ten_attempts_on_one_account() {
        let store = MemoryStore::default();
        for _ in 0..PAIR_MAX_ATTEMPTS {
            // From the owner's known address, the account-wide delays never apply.
            store.set_add(&format!("pw-known:{}", account_of("kim@example.org")), "10.0.0.1", KNOWN_ADDRESS_TTL).await.expect("store");
            attempt(&store, "10.0.0.1", false).await.expect("allowed");
        }
        assert!(matches!(attempt(&store, "10.0.0.1", true).await, Err(ApiError::RateLimited(s)) if s > 0 && s <= WINDOW.as_secs()));
    }

    #[tokio::test]
    async fn failures_from_elsewhere_slow_unknown_addresses_but_not_the_owners_own() {
        let store = MemoryStore::default();
        attempt(&store, "192.0.2.1", true).await.expect("the owner logs in once from home");
        for i in 0..ACCOUNT_FREE_ATTEMPTS {
            attempt(&store, &format!("198.51.100.{i}"), false).await.expect("free attempts");
        }
        // The attacker moves on to a fresh address: now delayed.
        assert!(matches!(attempt(&store, "203.0.113.9", false).await, Err(ApiError::RateLimited(_))));
        // The owner, from home, is not.
        attempt(&store, "192.0.2.1", true).await.expect("the owner still gets in");
    }

    #[tokio::test]
    async fn per_recipient_mail_is_bounded() {
        let store = MemoryStore::default();
        let clock = Clock::manual(chrono::Utc::now());
        for _ in 0..MAILS_PER_RECIPIENT_PER_HOUR {
            assert!(allow_mail(&store, &clock, "kim@example.org").await.expect("store"));
        }
        assert!(!allow_mail(&store, &clock, "kim@example.org").await.expect("store"));
        assert!(allow_mail(&store, &clock, "amina@example.org").await.expect("store"), "recipients are independent");
        clock.advance(chrono::Duration::hours(1));
        assert!(allow_mail(&store, &clock, "kim@example.org").await.expect("store"), "the next hour by the clock");
    }
}
