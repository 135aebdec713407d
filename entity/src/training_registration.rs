//! A registration for a training session: a person's seat (REGISTERED) or
//! place on the waitlist (WAITLISTED), optionally on behalf of their
//! organization; the attendance an organizer marks; the certificate of an
//! attendee.

use sea_orm::entity::prelude::*;

use crate::enums::{TrainingAttendance, TrainingRegistrationStatus};

/// A row of `training_registrations`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "training_registrations")]
pub struct Model {
    /// Primary key (UUIDv7).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The session.
    pub session_id: Uuid,
    /// The person registered.
    pub user_id: Uuid,
    /// The organization they register on behalf of (they are its member).
    pub organization_id: Option<Uuid>,
    /// Registered, waitlisted or cancelled.
    pub status: TrainingRegistrationStatus,
    /// The order in which the session accepted it (1, 2, ... per session,
    /// unique): the waitlist is served in this order.
    pub sequence: i32,
    /// Attended or no-show, once marked.
    pub attendance: Option<TrainingAttendance>,
    /// When the attendance was last marked.
    pub attendance_marked_at: Option<DateTimeUtc>,
    /// The certificate's public verification code (128 random bits), issued
    /// the first time the attendance is marked ATTENDED.
    pub certificate_code: Option<String>,
    /// When the certificate was issued.
    pub certificate_issued_at: Option<DateTimeUtc>,
    /// When the person was told the session was cancelled.
    pub cancellation_notified_at: Option<DateTimeUtc>,
    /// Optimistic-concurrency version.
    pub version: i32,
    /// When created.
    pub created_at: DateTimeUtc,
    /// When last changed.
    pub updated_at: DateTimeUtc,
    /// When cancelled.
    pub cancelled_at: Option<DateTimeUtc>,
}

/// Relations of a registration.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The session.
    #[sea_orm(
        belongs_to = "super::training_session::Entity",
        from = "Column::SessionId",
        to = "super::training_session::Column::Id",
        on_delete = "Cascade"
    )]
    Session,
}

impl Related<super::training_session::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Session.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
