//! A webhook endpoint of a donor or partner: where events of the types it
//! chose are delivered, signed with its secret.

use sea_orm::entity::prelude::*;

use crate::{StringList, enums::MembershipScope};

/// A row of `webhook_endpoints`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_endpoints")]
pub struct Model {
    /// Primary key (UUIDv7).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Partner or donor.
    pub owner_scope: MembershipScope,
    /// The owning partner or donor.
    pub owner_id: Uuid,
    /// Where deliveries are POSTed (`https`, or `http` in development).
    pub url: String,
    /// A note to recognise it by (may be empty).
    pub description: String,
    /// The signing secret (`whsec_` and base64), per Standard Webhooks.
    pub secret: String,
    /// The event types delivered (wire names, e.g. `donation_request.approved`).
    #[sea_orm(column_type = "Json")]
    pub event_types: StringList,
    /// False once disabled (by hand or after persistent failure).
    pub enabled: bool,
    /// Why it is disabled: `manual` or `failing`.
    pub disabled_reason: Option<String>,
    /// When it was disabled.
    pub disabled_at: Option<DateTimeUtc>,
    /// Since when its deliveries have failed without a success in between.
    pub failing_since: Option<DateTimeUtc>,
    /// The last successful delivery.
    pub last_success_at: Option<DateTimeUtc>,
    /// The user who registered it (none for an API key).
    pub created_by: Option<Uuid>,
    /// Creation time.
    pub created_at: DateTimeUtc,
    /// Last change.
    pub updated_at: DateTimeUtc,
}

/// Relations of an endpoint.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// Its deliveries.
    #[sea_orm(has_many = "super::webhook_delivery::Entity")]
    Deliveries,
}

impl Related<super::webhook_delivery::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Deliveries.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
