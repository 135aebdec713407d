//! A network partner: the organization that vets and serves organizations in its countries.

use sea_orm::entity::prelude::*;

use crate::{StringList, enums::PartnerStatus};

/// A row of `partners`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "partners")]
pub struct Model {
    /// Primary key (UUIDv7).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// URL-safe unique handle.
    #[sea_orm(unique)]
    pub slug: String,
    /// Display name.
    pub name: String,
    /// Public web site.
    pub website: Option<String>,
    /// BCP 47 language codes the partner works in.
    #[sea_orm(column_type = "Json")]
    pub languages: StringList,
    /// Lifecycle status.
    pub status: PartnerStatus,
    /// When the partner joined the network.
    pub joined_on: Date,
    /// Contact e-mail address.
    pub contact_email: Option<String>,
    /// Contact phone number.
    pub contact_phone: Option<String>,
    /// Postal address.
    pub contact_address: Option<String>,
    /// Name and slug folded for search (lower case, accents removed).
    #[sea_orm(column_type = "Text")]
    pub search_text: String,
    /// Creation time (UTC).
    pub created_at: DateTimeUtc,
    /// Last update time (UTC).
    pub updated_at: DateTimeUtc,
    /// When the partner was archived, if it was.
    pub archived_at: Option<DateTimeUtc>,
    /// Optimistic-concurrency version, bumped on every update.
    pub version: i32,
}

/// Relations of a partner.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The countries it serves.
    #[sea_orm(has_many = "super::partner_country::Entity")]
    PartnerCountry,
}

impl Related<super::partner_country::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::PartnerCountry.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
