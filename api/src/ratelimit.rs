//! Rate limits: fixed one-minute windows counted in the shared store (Redis when
//! configured), so a limit holds across every instance. Keys: the user, or the
//! client address for anonymous callers.

use std::{
    sync::Arc,
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use crate::{error::ApiError, store::KeyValueStore};

/// Length of a window.
pub const WINDOW_SECS: u64 = 60;

/// Requests per window, by kind of caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Anonymous callers, per client address.
    pub anonymous: u64,
    /// Signed-in users, per user.
    pub user: u64,
    /// Integrations, per API key.
    pub api_key: u64,
}

/// The outcome of counting one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Decision {
    /// Requests allowed in the window.
    pub limit: u64,
    /// Requests left in the window.
    pub remaining: u64,
    /// Seconds until the window resets.
    pub reset_secs: u64,
    /// False when the request is over the limit.
    pub allowed: bool,
}

/// Counts requests per key and window.
#[derive(Clone)]
pub struct RateLimiter {
    store: Arc<dyn KeyValueStore>,
    /// The limits.
    pub limits: Limits,
}

impl RateLimiter {
    /// A limiter over a store.
    pub fn new(store: Arc<dyn KeyValueStore>, limits: Limits) -> Self {
        Self { store, limits }
    }

    /// Counts a request of `key` against `limit`.
    pub async fn check(&self, key: &str, limit: u64) -> Result<Decision, ApiError> {
        let now = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
        let window = now / WINDOW_SECS * WINDOW_SECS;
        let reset_secs = window + WINDOW_SECS - now;
        let count = self.store.incr(&format!("ratelimit:{key}:{window}"), 1, Duration::from_secs(WINDOW_SECS + 5)).await?;
        let count = u64::try_from(count).unwrap_or(u64::MAX);
        Ok(Decision { limit, remaining: limit.saturating_sub(count), reset_secs, allowed: count <= limit })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::MemoryStore;

    #[tokio::test]
    async fn a_key_is_refused_past_its_limit_and_others_are_not() {
        let limiter = RateLimiter::new(Arc::new(MemoryStore::default()), Limits { anonymous: 2, user: 5, api_key: 10 });
        let first = limiter.check("ip:1", 2).await.expect("store");
        assert_eq!((first.allowed, first.remaining, first.limit), (true, 1, 2));
        assert!(limiter.check("ip:1", 2).await.expect("store").allowed);
        let third = limiter.check("ip:1", 2).await.expect("store");
        assert!(!third.allowed && third.remaining == 0 && third.reset_secs <= WINDOW_SECS);
        assert!(limiter.check("ip:2", 2).await.expect("store").allowed, "keys are independent");
    }
}
