//! A session of a training: when (UTC, with the venue's IANA time zone),
//! where (a venue or an online link), how many seats, until when one registers.

use sea_orm::entity::prelude::*;

use crate::enums::TrainingSessionStatus;

/// A row of `training_sessions`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "training_sessions")]
pub struct Model {
    /// Primary key (UUIDv7).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The training.
    pub training_id: Uuid,
    /// Start (UTC).
    pub starts_at: DateTimeUtc,
    /// End (UTC).
    pub ends_at: DateTimeUtc,
    /// IANA time zone of the venue (or of the organizers, online), e.g. `America/Sao_Paulo`.
    pub time_zone: String,
    /// Street address of the venue.
    pub venue_address: Option<String>,
    /// City of the venue.
    pub venue_city: Option<String>,
    /// ISO 3166-1 alpha-2 country of the venue (none for an online session without one).
    pub country_code: Option<String>,
    /// Link of an online or hybrid session.
    pub online_url: Option<String>,
    /// Seats.
    pub capacity: i32,
    /// Registrations close at this time (at the latest the start).
    pub registration_deadline: DateTimeUtc,
    /// Seats taken (REGISTERED registrations), kept in step by each
    /// registration's transaction: never above `capacity`.
    pub registered_count: i32,
    /// The last place handed out to a registration (see
    /// `training_registration::Model::sequence`).
    pub registration_sequence: i32,
    /// Scheduled, cancelled or completed.
    pub status: TrainingSessionStatus,
    /// Optimistic-concurrency version.
    pub version: i32,
    /// When created.
    pub created_at: DateTimeUtc,
    /// When last changed.
    pub updated_at: DateTimeUtc,
}

/// Relations of a session.
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
