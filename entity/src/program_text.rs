//! A program's name and description in one language.

use sea_orm::entity::prelude::*;

/// A row of `program_texts`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "program_texts")]
pub struct Model {
    /// The program.
    #[sea_orm(primary_key, auto_increment = false)]
    pub program_id: Uuid,
    /// BCP 47 language tag, e.g. `en`, `es`, `pt-BR`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub language: String,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// Name and description folded for search (`domain::text::search_key`).
    pub search_text: String,
}

/// Relations of a program text.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The program.
    #[sea_orm(belongs_to = "super::program::Entity", from = "Column::ProgramId", to = "super::program::Column::Id", on_delete = "Cascade")]
    Program,
}

impl ActiveModelBehavior for ActiveModel {}
