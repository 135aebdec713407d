//! A challenge an organization faces, in its ranked list (the needs map).

use sea_orm::entity::prelude::*;

use crate::enums::{NeedCategory, TechnologyLevel};

/// A row of `organization_challenges`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organization_challenges")]
pub struct Model {
    /// Primary key (UUIDv7).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The organization.
    pub organization_id: Uuid,
    /// Rank in the organization's list, from 1 (its first concern).
    pub position: i32,
    /// In a few words.
    pub title: String,
    /// What kind of need it is.
    pub category: NeedCategory,
    /// How urgent, from 1 (can wait) to 5 (now).
    pub urgency: i32,
    /// The level of technology it takes.
    pub technology_level: TechnologyLevel,
    /// When the list holding it was saved.
    pub created_at: DateTimeUtc,
}

/// Relations of a challenge.
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

impl Related<super::organization::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organization.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
