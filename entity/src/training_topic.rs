//! The training-topic taxonomy (reference data written by a migration).

use sea_orm::entity::prelude::*;

/// A row of `training_topics`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "training_topics")]
pub struct Model {
    /// Primary key (UUIDv5 of the slug, stable across databases).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Stable handle, e.g. `digital-security`.
    #[sea_orm(unique)]
    pub slug: String,
    /// English name.
    pub name: String,
}

/// Relations of a topic.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
