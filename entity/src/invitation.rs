//! An invitation by e-mail to take a role; its token is stored as SHA-256 only.

use sea_orm::entity::prelude::*;

use crate::enums::{MembershipScope, Role};

/// A row of `invitations`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "invitations")]
pub struct Model {
    /// Primary key (UUIDv7).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Lower-cased address of the invitee.
    pub email_normalized: String,
    /// Organization, partner or donor.
    pub scope: MembershipScope,
    /// Which one.
    pub scope_id: Uuid,
    /// The role offered.
    pub role: Role,
    /// Hex SHA-256 of the token.
    #[sea_orm(unique)]
    pub token_hash: String,
    /// Who invited.
    pub invited_by: Option<Uuid>,
    /// When it stops working.
    pub expires_at: DateTimeUtc,
    /// When it was accepted.
    pub accepted_at: Option<DateTimeUtc>,
    /// Creation time (UTC).
    pub created_at: DateTimeUtc,
}

/// Relations of an invitation.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
