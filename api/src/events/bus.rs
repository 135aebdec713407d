//! The event bus trait and its two implementations.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use futures_util::{StreamExt, stream::BoxStream};
use tokio::sync::broadcast;

use crate::store::StoreError;

/// Publish/subscribe on named topics; payloads are JSON text.
#[async_trait::async_trait]
pub trait EventBus: Send + Sync {
    /// Publishes to every current subscriber of `topic`, on every instance.
    async fn publish(&self, topic: &str, payload: &str) -> Result<(), StoreError>;
    /// Subscribes to `topic`; the stream ends when the bus goes away.
    async fn subscribe(&self, topic: &str) -> Result<BoxStream<'static, String>, StoreError>;
}

/// In-process bus: one broadcast channel per topic.
#[derive(Default, Clone)]
pub struct InProcessBus {
    topics: Arc<Mutex<HashMap<String, broadcast::Sender<String>>>>,
}

impl InProcessBus {
    fn sender(&self, topic: &str) -> broadcast::Sender<String> {
        let mut topics = self.topics.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        topics.retain(|_, tx| tx.receiver_count() > 0);
        topics.entry(topic.to_owned()).or_insert_with(|| broadcast::channel(1024).0).clone()
    }
}

#[async_trait::async_trait]
impl EventBus for InProcessBus {
    async fn publish(&self, topic: &str, payload: &str) -> Result<(), StoreError> {
        // No subscriber is not an error: the event simply has no audience.
        let _ = self.sender(topic).send(payload.to_owned());
        Ok(())
    }

    /// A subscriber that falls more than 1,024 messages behind sees its
    /// stream end (never a silent gap): it subscribes again and catches up
    /// from the outbox, as after a Redis restart (`events::hub`).
    async fn subscribe(&self, topic: &str) -> Result<BoxStream<'static, String>, StoreError> {
        let rx = self.sender(topic).subscribe();
        let stream = futures_util::stream::unfold(rx, |mut rx| async move {
            match rx.recv().await {
                Ok(msg) => Some((msg, rx)),
                Err(broadcast::error::RecvError::Lagged(n)) => {
                    tracing::warn!(skipped = n, "a bus subscriber fell behind: its subscription ends");
                    None
                }
                Err(broadcast::error::RecvError::Closed) => None,
            }
        });
        Ok(stream.boxed())
    }
}

/// Redis pub/sub bus; channels carry the `REDIS_KEY_PREFIX`.
#[derive(Clone)]
pub struct RedisBus {
    client: redis::Client,
    publisher: redis::aio::ConnectionManager,
    prefix: String,
}

impl RedisBus {
    /// Uses `client` for subscriptions (one connection each) and `publisher` to publish.
    pub fn new(client: redis::Client, publisher: redis::aio::ConnectionManager, prefix: impl Into<String>) -> Self {
        Self { client, publisher, prefix: prefix.into() }
    }
}

#[async_trait::async_trait]
impl EventBus for RedisBus {
    async fn publish(&self, topic: &str, payload: &str) -> Result<(), StoreError> {
        let _: i64 =
            redis::cmd("PUBLISH").arg(format!("{}{topic}", self.prefix)).arg(payload).query_async(&mut self.publisher.clone()).await?;
        Ok(())
    }

    async fn subscribe(&self, topic: &str) -> Result<BoxStream<'static, String>, StoreError> {
        let mut pubsub = self.client.get_async_pubsub().await?;
        pubsub.subscribe(format!("{}{topic}", self.prefix)).await?;
        Ok(pubsub.into_on_message().filter_map(|msg| async move { msg.get_payload::<String>().ok() }).boxed())
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    async fn exercise(bus: &dyn EventBus) {
        let mut a = bus.subscribe("t").await.expect("subscribe");
        let mut b = bus.subscribe("t").await.expect("subscribe");
        let mut other = bus.subscribe("other").await.expect("subscribe");
        bus.publish("t", "{\"n\":1}").await.expect("publish");
        let wait = Duration::from_secs(5);
        assert_eq!(tokio::time::timeout(wait, a.next()).await.expect("in time").as_deref(), Some("{\"n\":1}"));
        assert_eq!(tokio::time::timeout(wait, b.next()).await.expect("in time").as_deref(), Some("{\"n\":1}"));
        assert!(tokio::time::timeout(Duration::from_millis(200), other.next()).await.is_err(), "other topics stay quiet");
    }

    #[tokio::test]
    async fn the_in_process_bus_fans_out_to_every_subscriber_of_a_topic() {
        exercise(&InProcessBus::default()).await;
    }

    #[tokio::test]
    async fn an_in_process_subscriber_that_falls_behind_sees_its_stream_end_not_a_gap() {
        let bus = InProcessBus::default();
        let mut slow = bus.subscribe("t").await.expect("subscribe");
        for n in 0..1100 {
            bus.publish("t", &n.to_string()).await.expect("publish");
        }
        let wait = Duration::from_secs(5);
        assert_eq!(tokio::time::timeout(wait, slow.next()).await.expect("in time"), None, "ended, not skipped");
    }

    #[tokio::test]
    async fn the_redis_bus_fans_out_to_every_subscriber_of_a_topic_when_redis_is_configured() {
        let Ok(url) = std::env::var("TEST_REDIS_URL") else { return };
        let (client, conn) = crate::store::connect_redis(&url).await.expect("TEST_REDIS_URL reachable");
        exercise(&RedisBus::new(client, conn, format!("test:{}:", uuid::Uuid::new_v4()))).await;
    }
}
