//! A civil-society organization in the directory.

use sea_orm::entity::prelude::*;

use crate::{
    StringList,
    enums::{OrganizationType, StaffSize, Visibility},
};

/// A row of `organizations`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organizations")]
pub struct Model {
    /// Primary key (UUIDv7).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Name as registered (or as the group calls itself when unregistered).
    pub legal_name: String,
    /// Short name shown in lists.
    pub display_name: String,
    /// ISO 3166-1 alpha-2 code of the country it works in.
    pub country_code: String,
    /// Kind of organization.
    pub org_type: OrganizationType,
    /// Mission statement.
    pub mission: Option<String>,
    /// Web site.
    pub website: Option<String>,
    /// Year founded.
    pub founded_year: Option<i32>,
    /// Band of paid staff.
    pub staff_size: Option<StaffSize>,
    /// Annual budget in minor units of `budget_currency`.
    pub budget_amount: Option<i64>,
    /// ISO 4217 code of the budget.
    pub budget_currency: Option<String>,
    /// BCP 47 language codes it works in.
    #[sea_orm(column_type = "Json")]
    pub languages: StringList,
    /// Who may see it.
    pub visibility: Visibility,
    /// Contact e-mail (sensitive: members, its partner and admins only).
    pub contact_email: Option<String>,
    /// Contact phone (sensitive).
    pub contact_phone: Option<String>,
    /// Postal address (sensitive).
    pub contact_address: Option<String>,
    /// Names and mission folded for search (lower case, accents removed).
    #[sea_orm(column_type = "Text")]
    pub search_text: String,
    /// Creation time (UTC).
    pub created_at: DateTimeUtc,
    /// Last update time (UTC).
    pub updated_at: DateTimeUtc,
    /// When it was archived, if it was.
    pub archived_at: Option<DateTimeUtc>,
    /// Optimistic-concurrency version, bumped on every update.
    pub version: i32,
}

/// Relations of an organization.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// Its registration identifiers.
    #[sea_orm(has_many = "super::organization_registration::Entity")]
    Registration,
    /// Links to its focus areas.
    #[sea_orm(has_many = "super::organization_focus_area::Entity")]
    FocusArea,
}

impl Related<super::organization_registration::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Registration.def()
    }
}

impl Related<super::organization_focus_area::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::FocusArea.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
