//! Rate limits: fixed one-minute windows counted in the shared store (Redis when
//! configured), so a limit holds across every instance. Keys: the user, or the
//! client address for anonymous callers.
//!
//! While the store fails, requests are counted in a per-instance map with the same
//! limits instead of being let through: an outage of Redis must neither take the
//! API down nor lift its limits (each instance then holds the limit on its own, so
//! a caller spread over N instances gets up to N times the limit). The outage is
//! logged as a warning at most once a minute, not once per request.

use std::{
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use crate::{
    clock::Clock,
    error::ApiError,
    store::{KeyValueStore, MemoryStore, StoreError},
};

/// Least time between two warnings that the store is failing.
const WARN_EVERY: Duration = Duration::from_secs(60);

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

/// One count in a fixed window.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Counted {
    /// The counter's key in the store (the given key and the window's index).
    pub key: String,
    /// The count, this one included.
    pub count: i64,
    /// Seconds until the window ends.
    pub reset_secs: u64,
}

/// Adds one to `key`'s counter in the current fixed window of length `window`
/// (by `clock`), atomically in `store`; a new window starts a new counter. The
/// one fixed-window primitive of the service: request limits, password and
/// e-mail throttles and daily quotas all count with it.
pub async fn count_in_window(store: &dyn KeyValueStore, clock: &Clock, key: &str, window: Duration) -> Result<Counted, StoreError> {
    let now = clock.unix_secs();
    let length = window.as_secs().max(1);
    let index = now / length;
    let key = format!("{key}:{index}");
    let count = store.incr(&key, 1, Duration::from_secs(length + 5)).await?;
    Ok(Counted { key, count, reset_secs: (index + 1) * length - now })
}

/// Counts requests per key and window.
#[derive(Clone)]
pub struct RateLimiter {
    store: Arc<dyn KeyValueStore>,
    /// Which window a request falls in.
    clock: Clock,
    /// Counts while `store` fails (this instance only).
    fallback: MemoryStore,
    warnings: Arc<Mutex<WarnThrottle>>,
    /// The limits.
    pub limits: Limits,
}

impl RateLimiter {
    /// A limiter over a store; windows follow `clock`.
    pub fn new(store: Arc<dyn KeyValueStore>, clock: Clock, limits: Limits) -> Self {
        Self { store, clock, fallback: MemoryStore::default(), warnings: Arc::default(), limits }
    }

    /// Counts a request of `key` against `limit`, in this instance's memory while
    /// the shared store fails (so the `Err` case no longer happens; the signature
    /// stays for callers that handle it).
    pub async fn check(&self, key: &str, limit: u64) -> Result<Decision, ApiError> {
        let counter = format!("ratelimit:{key}");
        let window = Duration::from_secs(WINDOW_SECS);
        let counted = match count_in_window(self.store.as_ref(), &self.clock, &counter, window).await {
            Ok(counted) => counted,
            Err(e) => {
                let first_in_a_while = self.warnings.lock().unwrap_or_else(std::sync::PoisonError::into_inner).ready(Instant::now());
                if first_in_a_while {
                    tracing::warn!(
                        error = %crate::error::cause_chain(&e),
                        "rate-limit store unavailable: counting in this instance's memory until it answers"
                    );
                }
                count_in_window(&self.fallback, &self.clock, &counter, window).await?
            }
        };
        let count = u64::try_from(counted.count).unwrap_or(u64::MAX);
        Ok(Decision { limit, remaining: limit.saturating_sub(count), reset_secs: counted.reset_secs, allowed: count <= limit })
    }
}

/// Lets one warning through per [`WARN_EVERY`].
#[derive(Debug, Default)]
struct WarnThrottle {
    last: Option<Instant>,
}

impl WarnThrottle {
    /// True (and remembered) when no warning was let through in the last period.
    fn ready(&mut self, now: Instant) -> bool {
        let ready = self.last.is_none_or(|last| now.saturating_duration_since(last) >= WARN_EVERY);
        if ready {
            self.last = Some(now);
        }
        ready
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::StoreError;

    /// A store whose every operation fails, like Redis while it is down.
    struct FailingStore;

    fn down() -> StoreError {
        StoreError(Box::new(std::io::Error::from(std::io::ErrorKind::ConnectionRefused)))
    }

    #[async_trait::async_trait]
    impl KeyValueStore for FailingStore {
        async fn get(&self, _: &str) -> Result<Option<String>, StoreError> {
            Err(down())
        }
        async fn set(&self, _: &str, _: &str, _: Option<Duration>) -> Result<(), StoreError> {
            Err(down())
        }
        async fn delete(&self, _: &str) -> Result<bool, StoreError> {
            Err(down())
        }
        async fn incr(&self, _: &str, _: i64, _: Duration) -> Result<i64, StoreError> {
            Err(down())
        }
        async fn compare_and_set(&self, _: &str, _: &str, _: &str, _: Duration) -> Result<bool, StoreError> {
            Err(down())
        }
        async fn set_add(&self, _: &str, _: &str, _: Duration) -> Result<(), StoreError> {
            Err(down())
        }
        async fn set_remove(&self, _: &str, _: &str) -> Result<(), StoreError> {
            Err(down())
        }
        async fn set_members(&self, _: &str) -> Result<Vec<String>, StoreError> {
            Err(down())
        }
        async fn ping(&self) -> Result<(), StoreError> {
            Err(down())
        }
    }

    #[tokio::test]
    async fn limits_still_hold_in_memory_while_the_store_fails() {
        let limiter = RateLimiter::new(Arc::new(FailingStore), Clock::system(), Limits { anonymous: 2, user: 5, api_key: 10 });
        let first = limiter.check("ip:1", 2).await.expect("the fallback answers");
        assert_eq!((first.allowed, first.remaining, first.limit), (true, 1, 2));
        assert!(limiter.check("ip:1", 2).await.expect("fallback").allowed);
        assert!(!limiter.check("ip:1", 2).await.expect("fallback").allowed, "the third request of the window is refused");
        assert!(limiter.check("ip:2", 2).await.expect("fallback").allowed, "keys stay independent");
        let clone = limiter.clone();
        assert!(!clone.check("ip:1", 2).await.expect("fallback").allowed, "clones (one per worker) share the fallback counts");
    }

    #[test]
    fn the_outage_warning_is_let_through_once_a_minute() {
        let mut throttle = WarnThrottle::default();
        let start = Instant::now();
        assert!(throttle.ready(start));
        assert!(!throttle.ready(start + Duration::from_secs(1)));
        assert!(!throttle.ready(start + Duration::from_secs(59)));
        assert!(throttle.ready(start + Duration::from_secs(60)));
        assert!(!throttle.ready(start + Duration::from_secs(61)));
    }

    #[tokio::test]
    async fn a_key_is_refused_past_its_limit_and_others_are_not() {
        let limiter = RateLimiter::new(Arc::new(MemoryStore::default()), Clock::system(), Limits { anonymous: 2, user: 5, api_key: 10 });
        let first = limiter.check("ip:1", 2).await.expect("store");
        assert_eq!((first.allowed, first.remaining, first.limit), (true, 1, 2));
        assert!(limiter.check("ip:1", 2).await.expect("store").allowed);
        let third = limiter.check("ip:1", 2).await.expect("store");
        assert!(!third.allowed && third.remaining == 0 && third.reset_secs <= WINDOW_SECS);
        assert!(limiter.check("ip:2", 2).await.expect("store").allowed, "keys are independent");
    }

    #[tokio::test]
    async fn a_new_window_starts_when_the_clock_reaches_it() {
        let start = chrono::DateTime::from_timestamp(1_800_000_000, 0).expect("time");
        let clock = Clock::manual(start);
        let limiter = RateLimiter::new(Arc::new(MemoryStore::default()), clock.clone(), Limits { anonymous: 1, user: 1, api_key: 1 });
        assert!(limiter.check("ip:1", 1).await.expect("store").allowed);
        let refused = limiter.check("ip:1", 1).await.expect("store");
        assert!(!refused.allowed);
        clock.advance(chrono::Duration::seconds(i64::try_from(refused.reset_secs).expect("small")));
        assert!(limiter.check("ip:1", 1).await.expect("store").allowed, "counted in the next window");
    }
}
