//! Which countries a program is available in.

use sea_orm::entity::prelude::*;

/// A row of `program_countries`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "program_countries")]
pub struct Model {
    /// The program.
    #[sea_orm(primary_key, auto_increment = false)]
    pub program_id: Uuid,
    /// ISO 3166-1 alpha-2 code.
    #[sea_orm(primary_key, auto_increment = false)]
    pub country_code: String,
}

/// Relations of a program-country link.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The program.
    #[sea_orm(belongs_to = "super::program::Entity", from = "Column::ProgramId", to = "super::program::Column::Id", on_delete = "Cascade")]
    Program,
}

impl ActiveModelBehavior for ActiveModel {}
