//! The focus-area taxonomy (reference data written by a migration).

use sea_orm::entity::prelude::*;

/// A row of `focus_areas`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "focus_areas")]
pub struct Model {
    /// Primary key (UUIDv5 of the slug, stable across databases).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Stable handle, e.g. `digital-literacy`.
    #[sea_orm(unique)]
    pub slug: String,
    /// English name.
    pub name: String,
    /// Grouping of the taxonomy, e.g. `Rights & justice`.
    pub category: String,
    /// One-line description.
    pub description: String,
}

/// Relations of a focus area.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
