//! A training: a course or an event organized by a network partner.

use sea_orm::entity::prelude::*;

use crate::{
    StringList,
    enums::{TrainingFormat, TrainingLevel, TrainingStatus},
};

/// A row of `trainings`. Topics, languages (for search) and co-organizers
/// are in their own tables; sessions in `training_sessions`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "trainings")]
pub struct Model {
    /// Primary key (UUIDv7).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The organizing partner.
    pub partner_id: Uuid,
    /// URL-safe handle, unique per partner.
    pub slug: String,
    /// Title.
    pub title: String,
    /// One-paragraph summary (may be empty).
    pub summary: String,
    /// Long description (may be empty).
    pub description: String,
    /// Level.
    pub level: TrainingLevel,
    /// In person, online or both.
    pub format: TrainingFormat,
    /// BCP 47 tags of the languages it is taught in, in the order given.
    pub languages: StringList,
    /// Links (https) to its materials.
    pub materials: StringList,
    /// Draft, published or archived.
    pub status: TrainingStatus,
    /// Optimistic-concurrency version.
    pub version: i32,
    /// When created.
    pub created_at: DateTimeUtc,
    /// When last changed.
    pub updated_at: DateTimeUtc,
    /// When published (none while a draft).
    pub published_at: Option<DateTimeUtc>,
}

/// Relations of a training.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The organizing partner.
    #[sea_orm(belongs_to = "super::partner::Entity", from = "Column::PartnerId", to = "super::partner::Column::Id")]
    Partner,
}

impl ActiveModelBehavior for ActiveModel {}
