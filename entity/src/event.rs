//! A domain event: what changed, about which object, done by whom, and when.
//! Written in the transaction of the change; the outbox of everything that
//! reacts to changes.

use sea_orm::entity::prelude::*;

/// A row of `events`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "events")]
pub struct Model {
    /// Primary key (UUIDv7).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// What happened, e.g. `organization.created`.
    #[sea_orm(column_name = "type")]
    pub event_type: String,
    /// Relay global ID of the object it happened to.
    pub subject: String,
    /// The organization it concerns, if any (for policy filtering).
    pub organization_id: Option<Uuid>,
    /// The country it concerns, if any (for policy filtering).
    pub country_code: Option<String>,
    /// The event's payload, JSON text.
    pub payload: String,
    /// `user`, `api_key` or `system`.
    pub actor_kind: String,
    /// The user or API key that acted.
    pub actor_id: Option<Uuid>,
    /// For the system: the job or command that acted.
    pub actor_name: Option<String>,
    /// When (UTC, from the application's clock).
    pub occurred_at: DateTimeUtc,
}

/// Relations of an event.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
