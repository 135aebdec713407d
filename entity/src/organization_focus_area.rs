//! Which focus areas an organization works on.

use sea_orm::entity::prelude::*;

/// A row of `organization_focus_areas`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organization_focus_areas")]
pub struct Model {
    /// The organization.
    #[sea_orm(primary_key, auto_increment = false)]
    pub organization_id: Uuid,
    /// The focus area.
    #[sea_orm(primary_key, auto_increment = false)]
    pub focus_area_id: Uuid,
}

/// Relations of an organization-focus-area link.
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
    /// The focus area.
    #[sea_orm(
        belongs_to = "super::focus_area::Entity",
        from = "Column::FocusAreaId",
        to = "super::focus_area::Column::Id",
        on_delete = "Restrict"
    )]
    FocusArea,
}

impl Related<super::organization::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Organization.def()
    }
}

impl Related<super::focus_area::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::FocusArea.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
