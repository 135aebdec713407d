//! Which countries a donor gives in.

use sea_orm::entity::prelude::*;

/// A row of `donor_countries`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "donor_countries")]
pub struct Model {
    /// The donor.
    #[sea_orm(primary_key, auto_increment = false)]
    pub donor_id: Uuid,
    /// ISO 3166-1 alpha-2 code of a country it gives in.
    #[sea_orm(primary_key, auto_increment = false)]
    pub country_code: String,
}

/// Relations of a donor-country link.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The donor.
    #[sea_orm(belongs_to = "super::donor::Entity", from = "Column::DonorId", to = "super::donor::Column::Id", on_delete = "Cascade")]
    Donor,
}

impl ActiveModelBehavior for ActiveModel {}
