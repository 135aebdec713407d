//! A co-organizer of a training: a donor or a local organization (exactly
//! one of the two, checked by the database).

use sea_orm::entity::prelude::*;

/// A row of `training_co_organizers`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "training_co_organizers")]
pub struct Model {
    /// Primary key (UUIDv7).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The training.
    pub training_id: Uuid,
    /// A donor co-organizing it.
    pub donor_id: Option<Uuid>,
    /// An organization co-organizing it.
    pub organization_id: Option<Uuid>,
}

/// Relations of a co-organizer.
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
