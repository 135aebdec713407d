//! One event to deliver to one webhook endpoint, retried until it succeeds
//! or its retry window ends.

use sea_orm::entity::prelude::*;

/// A row of `webhook_deliveries`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_deliveries")]
pub struct Model {
    /// Primary key (UUIDv7).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The endpoint.
    pub endpoint_id: Uuid,
    /// The event delivered (its id is the `webhook-id`, for de-duplication).
    pub event_id: Uuid,
    /// Its type (wire name).
    pub event_type: String,
    /// `pending`, `succeeded` or `failed`.
    pub status: String,
    /// Attempts made (claims, counting one whose sender stopped mid-send).
    pub attempts: i32,
    /// When the next attempt is due (while pending).
    pub next_attempt_at: DateTimeUtc,
    /// After this, a failed attempt is the last one.
    pub retry_until: DateTimeUtc,
    /// The dispatcher holding it.
    pub locked_by: Option<String>,
    /// Until when it holds it.
    pub locked_until: Option<DateTimeUtc>,
    /// HTTP status of the last attempt, if an answer came.
    pub last_status_code: Option<i32>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// When it was written (with its event).
    pub created_at: DateTimeUtc,
    /// Last change.
    pub updated_at: DateTimeUtc,
    /// When an attempt succeeded.
    pub delivered_at: Option<DateTimeUtc>,
}

/// Relations of a delivery.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The endpoint.
    #[sea_orm(
        belongs_to = "super::webhook_endpoint::Entity",
        from = "Column::EndpointId",
        to = "super::webhook_endpoint::Column::Id",
        on_delete = "Cascade"
    )]
    Endpoint,
}

impl Related<super::webhook_endpoint::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Endpoint.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
