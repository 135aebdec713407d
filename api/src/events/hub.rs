//! The instance's one subscription to the bus, fanned out in-process.
//!
//! Each instance holds a single upstream subscription to [`TOPIC`] (Redis
//! pub/sub, or the in-process bus) however many WebSocket clients it serves,
//! and hands every event to a broadcast channel each client's subscription
//! reads. When the upstream subscription ends (Redis restarted), the hub
//! resubscribes with exponential backoff and then reads the events it may
//! have missed meanwhile from the outbox (the `events` table), skipping
//! those it has already passed on: a client sees no gap. A client that
//! falls more than [`CAPACITY`] events behind is told so and its
//! subscription ends (never a silent gap): it resubscribes and reloads.

use std::{
    collections::{HashSet, VecDeque},
    sync::Arc,
    time::Duration,
};

use chrono::{DateTime, Utc};
use entity::event;
use futures_util::StreamExt;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::Value;
use tokio::sync::broadcast;
use uuid::Uuid;

use super::{EventBus, TOPIC, outbox::to_json};

/// Events a client may fall behind before its subscription ends.
pub const CAPACITY: usize = 4096;
/// Ids remembered to skip duplicates when catching up after a reconnection.
const REMEMBERED: usize = 8192;
/// How far before the last event seen the catch-up reads (clocks of
/// instances differ a little; duplicates are skipped by id).
const CATCH_UP_MARGIN: chrono::Duration = chrono::Duration::seconds(5);
/// Most events read back after one reconnection.
const CATCH_UP_LIMIT: u64 = 10_000;
/// Longest wait between two attempts to resubscribe.
const MAX_BACKOFF: Duration = Duration::from_secs(30);

/// An event as clients' subscriptions see it: the published JSON, parsed once.
#[derive(Debug)]
pub struct HubEvent {
    /// Its id (for de-duplication).
    pub id: Uuid,
    /// Its type, e.g. `training_registration.created`.
    pub event_type: String,
    /// Its payload (the typed event's fields, camelCase).
    pub payload: Value,
    /// The whole published JSON.
    pub json: Value,
}

impl HubEvent {
    /// Parses a published event; `None` for what is not one.
    pub fn parse(text: &str) -> Option<Self> {
        let json: Value = serde_json::from_str(text).ok()?;
        let id = json.get("id")?.as_str().and_then(|s| Uuid::parse_str(s).ok())?;
        let event_type = json.get("type")?.as_str()?.to_owned();
        let payload = json.get("payload").cloned().unwrap_or(Value::Null);
        Some(Self { id, event_type, payload, json })
    }

    /// A UUID field of the payload, e.g. `session`.
    pub fn uuid(&self, field: &str) -> Option<Uuid> {
        self.payload.get(field).and_then(Value::as_str).and_then(|s| Uuid::parse_str(s).ok())
    }

    fn occurred_at(&self) -> Option<DateTime<Utc>> {
        self.json
            .get("occurredAt")
            .and_then(Value::as_str)
            .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
            .map(|t| t.with_timezone(&Utc))
    }
}

/// The fan-out: cheap to clone, one per instance.
#[derive(Clone)]
pub struct Hub {
    tx: broadcast::Sender<Arc<HubEvent>>,
    _task: Arc<AbortOnDrop>,
}

/// Stops the upstream task when the last handle on the hub goes (the
/// service stops; each test's server).
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl std::fmt::Debug for Hub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hub").field("receivers", &self.tx.receiver_count()).finish()
    }
}

impl Hub {
    /// Starts the upstream subscription on the current Tokio runtime.
    pub fn start(bus: Arc<dyn EventBus>, db: DatabaseConnection) -> Self {
        let (tx, _) = broadcast::channel(CAPACITY);
        let task = tokio::spawn(upstream(bus, db, tx.clone()));
        Self { tx, _task: Arc::new(AbortOnDrop(task)) }
    }

    /// A receiver of every event from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<HubEvent>> {
        self.tx.subscribe()
    }

    /// Clients' subscriptions currently reading (for metrics and the benchmark).
    pub fn receivers(&self) -> usize {
        self.tx.receiver_count()
    }
}

/// What the hub has passed on: the ids (to skip duplicates) and the time of
/// the latest (where a catch-up starts).
#[derive(Default)]
struct Seen {
    ids: HashSet<Uuid>,
    order: VecDeque<Uuid>,
    latest: Option<DateTime<Utc>>,
}

impl Seen {
    /// Records an event; false when it was passed on already.
    fn first_time(&mut self, event: &HubEvent) -> bool {
        if !self.ids.insert(event.id) {
            return false;
        }
        self.order.push_back(event.id);
        if self.order.len() > REMEMBERED
            && let Some(old) = self.order.pop_front()
        {
            self.ids.remove(&old);
        }
        if let Some(at) = event.occurred_at() {
            self.latest = Some(self.latest.map_or(at, |l| l.max(at)));
        }
        true
    }
}

async fn upstream(bus: Arc<dyn EventBus>, db: DatabaseConnection, tx: broadcast::Sender<Arc<HubEvent>>) {
    let mut seen = Seen::default();
    let mut backoff = Duration::from_millis(100);
    let mut reconnecting = false;
    loop {
        match bus.subscribe(TOPIC).await {
            Ok(mut stream) => {
                if reconnecting {
                    tracing::info!("event bus subscription restored; catching up from the outbox");
                    catch_up(&db, &tx, &mut seen).await;
                }
                backoff = Duration::from_millis(100);
                while let Some(text) = stream.next().await {
                    let Some(event) = HubEvent::parse(&text) else {
                        tracing::warn!("an unreadable message on the event bus was skipped");
                        continue;
                    };
                    if seen.first_time(&event) {
                        // No receiver is not an error: nobody listens right now.
                        let _ = tx.send(Arc::new(event));
                    }
                }
                tracing::warn!("the event bus subscription ended; resubscribing");
            }
            Err(error) => {
                tracing::warn!(error = %crate::error::cause_chain(&error), retry_in_ms = backoff.as_millis() as u64, "could not subscribe to the event bus");
            }
        }
        reconnecting = true;
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(MAX_BACKOFF);
    }
}

/// Passes on the events recorded since shortly before the last one seen
/// that were not seen (published while the subscription was down).
async fn catch_up(db: &DatabaseConnection, tx: &broadcast::Sender<Arc<HubEvent>>, seen: &mut Seen) {
    let Some(latest) = seen.latest else { return };
    let rows = event::Entity::find()
        .filter(event::Column::OccurredAt.gte(latest - CATCH_UP_MARGIN))
        .order_by_asc(event::Column::OccurredAt)
        .order_by_asc(event::Column::Id)
        .limit(CATCH_UP_LIMIT)
        .all(db)
        .await;
    match rows {
        Ok(rows) => {
            let mut missed = 0;
            for row in rows {
                let Some(event) = HubEvent::parse(&to_json(&row)) else { continue };
                if seen.first_time(&event) {
                    missed += 1;
                    let _ = tx.send(Arc::new(event));
                }
            }
            tracing::info!(missed, "caught up with the outbox");
        }
        Err(error) => tracing::error!(error = %error, "could not read the outbox to catch up: events may have been missed"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(id: Uuid, at: &str) -> HubEvent {
        HubEvent::parse(&serde_json::json!({ "id": id, "type": "t.x", "payload": { "session": id }, "occurredAt": at }).to_string())
            .expect("an event")
    }

    #[test]
    fn an_event_is_passed_on_once_and_the_latest_time_kept() {
        let mut seen = Seen::default();
        let a = Uuid::now_v7();
        assert!(seen.first_time(&event(a, "2027-01-01T00:00:02Z")));
        assert!(!seen.first_time(&event(a, "2027-01-01T00:00:02Z")));
        assert!(seen.first_time(&event(Uuid::now_v7(), "2027-01-01T00:00:01Z")));
        assert_eq!(seen.latest.map(|t| t.to_rfc3339()), Some("2027-01-01T00:00:02+00:00".to_owned()));
        assert_eq!(event(a, "2027-01-01T00:00:02Z").uuid("session"), Some(a));
    }

    #[test]
    fn what_is_not_an_event_is_not_parsed() {
        assert!(HubEvent::parse("not json").is_none());
        assert!(HubEvent::parse("{\"id\":\"x\",\"type\":\"t\"}").is_none());
    }
}
