//! One lookup of an organization's validation status by a donor.

use sea_orm::entity::prelude::*;

/// A row of `validation_lookups`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "validation_lookups")]
pub struct Model {
    /// Primary key (UUIDv7).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The organization looked up.
    pub organization_id: Uuid,
    /// The donor on whose behalf.
    pub donor_id: Uuid,
    /// The donor's API key, when one was used.
    pub api_key_id: Option<Uuid>,
    /// The donor's staff member, when signed in.
    pub user_id: Option<Uuid>,
    /// When.
    pub looked_up_at: DateTimeUtc,
}

/// Relations of a lookup.
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
