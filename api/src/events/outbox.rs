//! Recording events in the `events` table (the outbox) inside a write's
//! transaction, and publishing them on the bus once that transaction has
//! committed — never from inside it, so a rolled-back write publishes nothing.
//!
//! Every event goes to one topic, [`TOPIC`], as the JSON of its stored row
//! ([`to_json`]); subscribers filter by `type`. One topic keeps the order of
//! events and lets a reader of the outbox and a bus subscriber see one format.

use entity::event;
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
use serde_json::{Value, json};
use uuid::Uuid;

use super::{Actor, DomainEvent, EventBus};
use crate::{clock::Clock, error::ApiError, user_errors::WriteError};

/// The bus topic every event is published on.
pub const TOPIC: &str = "events";

/// What a write returns: its result and the events it recorded, to publish
/// after the outermost transaction commits ([`Written::publish`]). A caller
/// that joined the write to its own transaction publishes after its own commit.
#[derive(Debug)]
#[must_use = "publish the recorded events after the commit"]
pub struct Written<T> {
    /// The write's result.
    pub value: T,
    /// The events recorded in its transaction.
    pub events: Vec<event::Model>,
}

impl<T> Written<T> {
    /// A result with its recorded events.
    pub fn new(value: T, events: Vec<event::Model>) -> Self {
        Self { value, events }
    }

    /// Publishes the events (the transaction has committed) and hands back the result.
    pub async fn publish(self, bus: &dyn EventBus) -> T {
        publish(bus, &self.events).await;
        self.value
    }
}

/// Publishes a write's events when it succeeded (its transaction committed);
/// a refused or failed write published nothing and has nothing to publish.
pub async fn published<T>(bus: &dyn EventBus, result: Result<Written<T>, WriteError>) -> Result<T, WriteError> {
    match result {
        Ok(written) => Ok(written.publish(bus).await),
        Err(err) => Err(err),
    }
}

/// Records `event`, done by `actor` now (by `clock`), in the transaction `db`.
/// The notifications and webhook deliveries the event gives rise to are
/// written in the same transaction (`notifications::service::write_for`,
/// `webhooks::service::enqueue_for`).
pub async fn record(db: &impl ConnectionTrait, clock: &Clock, actor: &Actor, event: &DomainEvent) -> Result<event::Model, ApiError> {
    let stored = row(Uuid::now_v7(), clock.now(), actor, event).insert(db).await?;
    crate::notifications::service::write_for(db, &stored, event).await?;
    crate::webhooks::service::enqueue_for(db, &stored, event).await?;
    Ok(stored)
}

/// The stored row of `event` (id and time given): what [`record`] inserts, and
/// what bulk loaders (the benchmark seed) write in batches.
pub fn row(id: Uuid, at: chrono::DateTime<chrono::Utc>, actor: &Actor, event: &DomainEvent) -> event::ActiveModel {
    event::ActiveModel {
        id: Set(id),
        event_type: Set(event.type_name().to_owned()),
        subject: Set(event.subject()),
        organization_id: Set(event.organization_id()),
        country_code: Set(event.country_code().map(str::to_owned)),
        payload: Set(event.payload_json()),
        actor_kind: Set(actor.kind().to_owned()),
        actor_id: Set(actor.id()),
        actor_name: Set(actor.name().map(str::to_owned)),
        occurred_at: Set(at),
    }
}

/// Publishes committed events on [`TOPIC`]. A bus failure is logged, not
/// returned: the change and its event are committed, and the outbox keeps it
/// for readers that catch up.
pub async fn publish(bus: &dyn EventBus, events: &[event::Model]) {
    for stored in events {
        if let Err(err) = bus.publish(TOPIC, &to_json(stored)).await {
            tracing::warn!(event_id = %stored.id, error = %crate::error::cause_chain(&err), "could not publish an event");
        }
    }
}

/// The published form of a stored event.
pub fn to_json(stored: &event::Model) -> String {
    json!({
        "id": stored.id,
        "type": stored.event_type,
        "subject": stored.subject,
        "organizationId": stored.organization_id,
        "countryCode": stored.country_code,
        "payload": serde_json::from_str::<Value>(&stored.payload).unwrap_or(Value::Null),
        "actor": { "kind": stored.actor_kind, "id": stored.actor_id, "name": stored.actor_name },
        "occurredAt": stored.occurred_at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
    })
    .to_string()
}
