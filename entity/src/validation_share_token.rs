//! A token an organization gives a donor so that the donor's validation
//! lookups see it even when HIDDEN (consent-based sharing).

use sea_orm::entity::prelude::*;

/// A row of `validation_share_tokens`. Only the token's hash is stored.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "validation_share_tokens")]
pub struct Model {
    /// Primary key (UUIDv7).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The organization sharing itself.
    pub organization_id: Uuid,
    /// Hex SHA-256 of the token.
    pub token_hash: String,
    /// A note for the organization's owners and admins (to whom it was given).
    pub note: Option<String>,
    /// The user who issued it.
    pub created_by: Option<Uuid>,
    /// When it was issued.
    pub created_at: DateTimeUtc,
    /// When it stops working (redeemed or not).
    pub expires_at: DateTimeUtc,
    /// When it was revoked.
    pub revoked_at: Option<DateTimeUtc>,
    /// The donor that redeemed it.
    pub redeemed_donor_id: Option<Uuid>,
    /// When it was redeemed.
    pub redeemed_at: Option<DateTimeUtc>,
}

/// Relations of a share token.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The organization.
    #[sea_orm(
        belongs_to = "super::organization::Entity",
        from = "Column::OrganizationId",
        to = "super::organization::Column::Id",
        on_delete = "Cascade"
    )]
    Organization,
}

impl ActiveModelBehavior for ActiveModel {}
