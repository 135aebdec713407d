//! The languages of a training, one row each, for the indexed language
//! filter (`trainings.languages` keeps them as given, in order).

use sea_orm::entity::prelude::*;

/// A row of `training_languages`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "training_languages")]
pub struct Model {
    /// The training.
    #[sea_orm(primary_key, auto_increment = false)]
    pub training_id: Uuid,
    /// BCP 47 tag in lower case.
    #[sea_orm(primary_key, auto_increment = false)]
    pub language: String,
}

/// Relations of a training-language row.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The training.
    #[sea_orm(
        belongs_to = "super::training::Entity",
        from = "Column::TrainingId",
        to = "super::training::Column::Id",
        on_delete = "Cascade"
    )]
    Training,
}

impl ActiveModelBehavior for ActiveModel {}
