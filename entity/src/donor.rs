//! A donor company offering programs to the network.

use sea_orm::entity::prelude::*;

/// A row of `donors`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "donors")]
pub struct Model {
    /// Primary key (UUIDv7).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// URL-safe unique handle.
    #[sea_orm(unique)]
    pub slug: String,
    /// Name.
    pub name: String,
    /// Web site.
    pub website: Option<String>,
    /// What it gives and why (shown to organizations).
    pub description: Option<String>,
    /// URL of its logo.
    pub logo_url: Option<String>,
    /// Creation time (UTC).
    pub created_at: DateTimeUtc,
}

/// Relations of a donor.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
