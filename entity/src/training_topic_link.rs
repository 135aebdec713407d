//! Which topics a training covers.

use sea_orm::entity::prelude::*;

/// A row of `training_topic_links`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "training_topic_links")]
pub struct Model {
    /// The training.
    #[sea_orm(primary_key, auto_increment = false)]
    pub training_id: Uuid,
    /// The topic.
    #[sea_orm(primary_key, auto_increment = false)]
    pub topic_id: Uuid,
}

/// Relations of a training-topic link.
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
    /// The topic.
    #[sea_orm(belongs_to = "super::training_topic::Entity", from = "Column::TopicId", to = "super::training_topic::Column::Id")]
    Topic,
}

impl Related<super::training_topic::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Topic.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
