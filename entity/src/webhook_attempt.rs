//! One attempt to deliver a webhook: what the endpoint answered, and how fast.

use sea_orm::entity::prelude::*;

/// A row of `webhook_attempts`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_attempts")]
pub struct Model {
    /// Primary key (UUIDv7).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The delivery.
    pub delivery_id: Uuid,
    /// Its endpoint.
    pub endpoint_id: Uuid,
    /// The endpoint answered 2xx.
    pub succeeded: bool,
    /// The HTTP status, if an answer came.
    pub status_code: Option<i32>,
    /// From sending to the end of the answer, in milliseconds.
    pub duration_ms: i32,
    /// The start of the answer's body (at most 1 KiB).
    pub response_excerpt: Option<String>,
    /// Why it failed without an answer (timeout, refused address, ...).
    pub error: Option<String>,
    /// When it was made.
    pub attempted_at: DateTimeUtc,
}

/// Relations of an attempt.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The delivery.
    #[sea_orm(
        belongs_to = "super::webhook_delivery::Entity",
        from = "Column::DeliveryId",
        to = "super::webhook_delivery::Column::Id",
        on_delete = "Cascade"
    )]
    Delivery,
}

impl ActiveModelBehavior for ActiveModel {}
