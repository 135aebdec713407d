//! An official identifier of an organization (national registry number, tax id, ...).

use sea_orm::entity::prelude::*;

use crate::enums::RegistrationKind;

/// A row of `organization_registrations`. (country_code, kind, number) is not
/// unique: organizations sharing one are possible duplicates for partner staff.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organization_registrations")]
pub struct Model {
    /// Primary key (UUIDv7).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The organization.
    pub organization_id: Uuid,
    /// Country of the register (the organization's country).
    pub country_code: String,
    /// Kind of identifier.
    pub kind: RegistrationKind,
    /// Normalized number (trimmed, upper case, inner spaces removed).
    pub number: String,
    /// Position in the organization's list.
    pub position: i32,
}

/// Relations of a registration.
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
