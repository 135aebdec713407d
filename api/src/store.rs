//! Shared short-lived state (sessions, rate limits, one-time tokens) behind a
//! small trait: Redis when `REDIS_URL` is set, an in-process map otherwise.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use redis::{AsyncCommands, aio::ConnectionManager};

/// A failure of the store.
#[derive(Debug, thiserror::Error)]
#[error("key-value store unavailable")]
pub struct StoreError(#[source] pub Box<dyn std::error::Error + Send + Sync>);

impl From<redis::RedisError> for StoreError {
    fn from(err: redis::RedisError) -> Self {
        Self(Box::new(err))
    }
}

impl From<StoreError> for crate::error::ApiError {
    fn from(err: StoreError) -> Self {
        Self::Unavailable(Box::new(err))
    }
}

/// Key-value operations the service needs, with expiry.
#[async_trait::async_trait]
pub trait KeyValueStore: Send + Sync {
    /// Reads a key.
    async fn get(&self, key: &str) -> Result<Option<String>, StoreError>;
    /// Writes a key, expiring after `ttl` when given.
    async fn set(&self, key: &str, value: &str, ttl: Option<Duration>) -> Result<(), StoreError>;
    /// Deletes a key; true when it existed.
    async fn delete(&self, key: &str) -> Result<bool, StoreError>;
    /// Adds `by` to a counter, creating it with expiry `ttl`; returns the new value.
    async fn incr(&self, key: &str, by: i64, ttl: Duration) -> Result<i64, StoreError>;
    /// Replaces the value at `key` by `new` (expiring after `ttl`) only if it is
    /// still `expected`; false when another writer changed it first. Atomic.
    async fn compare_and_set(&self, key: &str, expected: &str, new: &str, ttl: Duration) -> Result<bool, StoreError>;
    /// Adds `member` to the set at `key`, which expires after `ttl` (renewed on each add).
    async fn set_add(&self, key: &str, member: &str, ttl: Duration) -> Result<(), StoreError>;
    /// Removes `member` from the set at `key`.
    async fn set_remove(&self, key: &str, member: &str) -> Result<(), StoreError>;
    /// Members of the set at `key` (empty when absent).
    async fn set_members(&self, key: &str) -> Result<Vec<String>, StoreError>;
    /// Checks the store answers.
    async fn ping(&self) -> Result<(), StoreError>;
}

fn decode_set(value: Option<&(String, Option<Instant>)>) -> Vec<String> {
    value.and_then(|(v, _)| serde_json::from_str(v).ok()).unwrap_or_default()
}

/// Values with their expiry.
type Entries = HashMap<String, (String, Option<Instant>)>;

/// The in-process store (one instance only).
#[derive(Default, Clone)]
pub struct MemoryStore {
    entries: Arc<Mutex<Entries>>,
}

impl MemoryStore {
    fn with_live<T>(&self, key: &str, f: impl FnOnce(&mut Entries) -> T) -> T {
        let mut map = self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if map.get(key).is_some_and(|(_, exp)| exp.is_some_and(|e| e <= Instant::now())) {
            map.remove(key);
        }
        if map.len() > 100_000 {
            let now = Instant::now();
            map.retain(|_, (_, exp)| exp.is_none_or(|e| e > now));
        }
        f(&mut map)
    }
}

#[async_trait::async_trait]
impl KeyValueStore for MemoryStore {
    async fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self.with_live(key, |m| m.get(key).map(|(v, _)| v.clone())))
    }

    async fn set(&self, key: &str, value: &str, ttl: Option<Duration>) -> Result<(), StoreError> {
        let expires = ttl.map(|t| Instant::now() + t);
        self.with_live(key, |m| m.insert(key.to_owned(), (value.to_owned(), expires)));
        Ok(())
    }

    async fn delete(&self, key: &str) -> Result<bool, StoreError> {
        Ok(self.with_live(key, |m| m.remove(key).is_some()))
    }

    async fn incr(&self, key: &str, by: i64, ttl: Duration) -> Result<i64, StoreError> {
        Ok(self.with_live(key, |m| {
            let entry = m.entry(key.to_owned()).or_insert_with(|| ("0".to_owned(), Some(Instant::now() + ttl)));
            let value = entry.0.parse::<i64>().unwrap_or(0).saturating_add(by);
            entry.0 = value.to_string();
            value
        }))
    }

    async fn compare_and_set(&self, key: &str, expected: &str, new: &str, ttl: Duration) -> Result<bool, StoreError> {
        Ok(self.with_live(key, |m| match m.get(key) {
            Some((current, _)) if current == expected => {
                m.insert(key.to_owned(), (new.to_owned(), Some(Instant::now() + ttl)));
                true
            }
            _ => false,
        }))
    }

    async fn set_add(&self, key: &str, member: &str, ttl: Duration) -> Result<(), StoreError> {
        self.with_live(key, |m| {
            let mut members = decode_set(m.get(key));
            if !members.iter().any(|x| x == member) {
                members.push(member.to_owned());
            }
            m.insert(key.to_owned(), (serde_json::to_string(&members).unwrap_or_default(), Some(Instant::now() + ttl)));
        });
        Ok(())
    }

    async fn set_remove(&self, key: &str, member: &str) -> Result<(), StoreError> {
        self.with_live(key, |m| {
            let mut members = decode_set(m.get(key));
            members.retain(|x| x != member);
            if let Some(entry) = m.get_mut(key) {
                entry.0 = serde_json::to_string(&members).unwrap_or_default();
            }
        });
        Ok(())
    }

    async fn set_members(&self, key: &str) -> Result<Vec<String>, StoreError> {
        Ok(self.with_live(key, |m| decode_set(m.get(key))))
    }

    async fn ping(&self) -> Result<(), StoreError> {
        Ok(())
    }
}

/// The Redis store: every key is prefixed with `REDIS_KEY_PREFIX`.
#[derive(Clone)]
pub struct RedisStore {
    conn: ConnectionManager,
    prefix: String,
}

impl RedisStore {
    /// Wraps a connection manager.
    pub fn new(conn: ConnectionManager, prefix: impl Into<String>) -> Self {
        Self { conn, prefix: prefix.into() }
    }

    fn key(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }
}

fn ttl_ms(ttl: Duration) -> u64 {
    u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX).max(1)
}

#[async_trait::async_trait]
impl KeyValueStore for RedisStore {
    async fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self.conn.clone().get(self.key(key)).await?)
    }

    async fn set(&self, key: &str, value: &str, ttl: Option<Duration>) -> Result<(), StoreError> {
        let mut conn = self.conn.clone();
        match ttl {
            Some(ttl) => redis::cmd("SET").arg(self.key(key)).arg(value).arg("PX").arg(ttl_ms(ttl)).query_async::<()>(&mut conn).await?,
            None => conn.set::<_, _, ()>(self.key(key), value).await?,
        }
        Ok(())
    }

    async fn delete(&self, key: &str) -> Result<bool, StoreError> {
        let removed: i64 = self.conn.clone().del(self.key(key)).await?;
        Ok(removed > 0)
    }

    async fn incr(&self, key: &str, by: i64, ttl: Duration) -> Result<i64, StoreError> {
        // INCRBY and PEXPIRE NX in one round trip, atomically.
        let (value,): (i64,) = redis::pipe()
            .atomic()
            .incr(self.key(key), by)
            .cmd("PEXPIRE")
            .arg(self.key(key))
            .arg(ttl_ms(ttl))
            .arg("NX")
            .ignore()
            .query_async(&mut self.conn.clone())
            .await?;
        Ok(value)
    }

    async fn compare_and_set(&self, key: &str, expected: &str, new: &str, ttl: Duration) -> Result<bool, StoreError> {
        let script = redis::Script::new(
            "if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) return 1 else return 0 end",
        );
        let swapped: i64 = script.key(self.key(key)).arg(expected).arg(new).arg(ttl_ms(ttl)).invoke_async(&mut self.conn.clone()).await?;
        Ok(swapped == 1)
    }

    async fn set_add(&self, key: &str, member: &str, ttl: Duration) -> Result<(), StoreError> {
        redis::pipe()
            .atomic()
            .sadd(self.key(key), member)
            .ignore()
            .cmd("PEXPIRE")
            .arg(self.key(key))
            .arg(ttl_ms(ttl))
            .ignore()
            .query_async::<()>(&mut self.conn.clone())
            .await?;
        Ok(())
    }

    async fn set_remove(&self, key: &str, member: &str) -> Result<(), StoreError> {
        let _: i64 = self.conn.clone().srem(self.key(key), member).await?;
        Ok(())
    }

    async fn set_members(&self, key: &str) -> Result<Vec<String>, StoreError> {
        Ok(self.conn.clone().smembers(self.key(key)).await?)
    }

    async fn ping(&self) -> Result<(), StoreError> {
        let _: String = redis::cmd("PING").query_async(&mut self.conn.clone()).await?;
        Ok(())
    }
}

/// Connects to Redis with bounded timeouts (a dead Redis must not hang requests).
pub async fn connect_redis(url: &str) -> Result<(redis::Client, ConnectionManager), redis::RedisError> {
    let client = redis::Client::open(url)?;
    let config = redis::aio::ConnectionManagerConfig::new()
        .set_connection_timeout(Some(Duration::from_secs(3)))
        .set_response_timeout(Some(Duration::from_secs(3)))
        .set_number_of_retries(2);
    let manager = client.get_connection_manager_with_config(config).await?;
    Ok((client, manager))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Runs the same checks on any store.
    pub(crate) async fn exercise(store: &dyn KeyValueStore) {
        store.ping().await.expect("ping");
        assert_eq!(store.get("missing").await.expect("get"), None);
        store.set("a", "1", None).await.expect("set");
        assert_eq!(store.get("a").await.expect("get").as_deref(), Some("1"));
        assert!(store.delete("a").await.expect("delete"));
        assert!(!store.delete("a").await.expect("delete"));
        store.set("short", "x", Some(Duration::from_millis(50))).await.expect("set");
        tokio::time::sleep(Duration::from_millis(120)).await;
        assert_eq!(store.get("short").await.expect("get"), None, "expired");
        assert_eq!(store.incr("n", 2, Duration::from_secs(60)).await.expect("incr"), 2);
        assert_eq!(store.incr("n", 3, Duration::from_secs(60)).await.expect("incr"), 5);
        assert_eq!(store.incr("gone", 1, Duration::from_millis(50)).await.expect("incr"), 1);
        tokio::time::sleep(Duration::from_millis(120)).await;
        assert_eq!(store.incr("gone", 1, Duration::from_millis(50)).await.expect("incr"), 1, "counter expired");
        store.set("cas", "v1", None).await.expect("set");
        assert!(store.compare_and_set("cas", "v1", "v2", Duration::from_secs(60)).await.expect("cas"));
        assert!(!store.compare_and_set("cas", "v1", "v3", Duration::from_secs(60)).await.expect("cas"), "v1 is gone");
        assert_eq!(store.get("cas").await.expect("get").as_deref(), Some("v2"));
        assert!(!store.compare_and_set("absent", "x", "y", Duration::from_secs(60)).await.expect("cas"));
        store.set_add("s", "a", Duration::from_secs(60)).await.expect("sadd");
        store.set_add("s", "b", Duration::from_secs(60)).await.expect("sadd");
        store.set_add("s", "a", Duration::from_secs(60)).await.expect("sadd");
        let mut members = store.set_members("s").await.expect("members");
        members.sort();
        assert_eq!(members, ["a", "b"]);
        store.set_remove("s", "a").await.expect("srem");
        assert_eq!(store.set_members("s").await.expect("members"), ["b"]);
        assert!(store.set_members("nothing").await.expect("members").is_empty());
    }

    #[tokio::test]
    async fn the_memory_store_keeps_and_expires_values() {
        exercise(&MemoryStore::default()).await;
    }

    #[tokio::test]
    async fn the_redis_store_keeps_and_expires_values_when_redis_is_configured() {
        let Ok(url) = std::env::var("TEST_REDIS_URL") else { return };
        let (_, conn) = connect_redis(&url).await.expect("TEST_REDIS_URL reachable");
        let store = RedisStore::new(conn, format!("test:{}:", uuid::Uuid::new_v4()));
        exercise(&store).await;
    }
}
