//! An organization's request for units of a program.

use sea_orm::entity::prelude::*;

use crate::{StringList, enums::DonationRequestStatus};

/// A row of `donation_requests`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "donation_requests")]
pub struct Model {
    /// Primary key (UUIDv7).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The program.
    pub program_id: Uuid,
    /// The requesting organization.
    pub organization_id: Uuid,
    /// The member who asked.
    pub requested_by: Option<Uuid>,
    /// Units asked for.
    pub quantity: i32,
    /// Where it stands.
    pub status: DonationRequestStatus,
    /// The client's idempotency key, unique per organization.
    pub idempotency_key: Option<String>,
    /// SHA-256 of the request's input, to tell a retry from another request under the same key.
    pub input_hash: String,
    /// The organization's note.
    pub note: Option<String>,
    /// Reason codes of a rejection.
    pub reasons: StringList,
    /// Fulfilment details (license keys, a shipment reference): the organization and the donor only.
    pub fulfilment: Option<String>,
    /// Who decided.
    pub decided_by: Option<Uuid>,
    /// When decided.
    pub decided_at: Option<DateTimeUtc>,
    /// When approved (the cap counts from here).
    pub approved_at: Option<DateTimeUtc>,
    /// When fulfilled (the impact report counts deliveries from here).
    pub fulfilled_at: Option<DateTimeUtc>,
    /// The partner that vetted the organization when it asked (its approval
    /// in force then), if any: the impact report's PARTNER.
    pub partner_id: Option<Uuid>,
    /// Optimistic-concurrency version.
    pub version: i32,
    /// When made.
    pub created_at: DateTimeUtc,
    /// When last changed.
    pub updated_at: DateTimeUtc,
}

/// Relations of a request.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The program.
    #[sea_orm(belongs_to = "super::program::Entity", from = "Column::ProgramId", to = "super::program::Column::Id")]
    Program,
}

impl ActiveModelBehavior for ActiveModel {}
