//! A notification in a user's inbox: something that happened that concerns
//! them (a validation decided, a request approved, a seat freed for them).

use sea_orm::entity::prelude::*;

/// A row of `notifications`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "notifications")]
pub struct Model {
    /// Primary key (UUIDv7).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Whose inbox.
    pub user_id: Uuid,
    /// What happened, e.g. `WAITLIST_PROMOTED`.
    pub kind: String,
    /// The global ID of what it is about (a validation, a request, a registration, a session).
    pub subject: String,
    /// The event it stems from (none for reminders such as an approval ending soon).
    pub event_id: Option<Uuid>,
    /// When it was written.
    pub created_at: DateTimeUtc,
    /// When its user marked it read.
    pub read_at: Option<DateTimeUtc>,
}

/// Relations of a notification.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The user.
    #[sea_orm(belongs_to = "super::user::Entity", from = "Column::UserId", to = "super::user::Column::Id", on_delete = "Cascade")]
    User,
}

impl ActiveModelBehavior for ActiveModel {}
