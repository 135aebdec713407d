//! What a partner requires to vet organizations in one of its countries.

use sea_orm::entity::prelude::*;

use crate::StringList;

/// A row of `validation_criteria`: one per partner and country.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "validation_criteria")]
pub struct Model {
    /// Primary key (UUIDv7).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The partner that applies them.
    pub partner_id: Uuid,
    /// The country they apply in (ISO 3166-1 alpha-2).
    pub country_code: String,
    /// Organization types that may be validated (`OrganizationType` values).
    pub eligible_types: StringList,
    /// Evidence every registered organization attaches (`EvidenceKind` values).
    pub required_evidence: StringList,
    /// For unregistered groups: reference letters from validated organizations
    /// that stand in for registration evidence (0: unregistered groups are not eligible).
    pub references_for_unregistered: i32,
    /// How long an approval lasts, in months.
    pub validity_months: i32,
    /// An approval needs a second validator's approval.
    pub four_eyes: bool,
    /// Optimistic-concurrency version.
    pub version: i32,
    /// When created.
    pub created_at: DateTimeUtc,
    /// When last changed.
    pub updated_at: DateTimeUtc,
}

/// Relations of criteria.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The partner.
    #[sea_orm(belongs_to = "super::partner::Entity", from = "Column::PartnerId", to = "super::partner::Column::Id")]
    Partner,
}

impl ActiveModelBehavior for ActiveModel {}
