//! An attendee's feedback on a training session: a rating and an optional
//! comment, once per registration. Its author is known through the
//! registration only; the API never shows the two together to anyone but
//! the author.

use sea_orm::entity::prelude::*;

/// A row of `training_feedback`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "training_feedback")]
pub struct Model {
    /// Primary key (UUIDv4: random, so that neither the id nor the order of
    /// a session's feedback tells when it was given).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The registration (ATTENDED) it was given for: unique.
    pub registration_id: Uuid,
    /// The registration's session (kept here for the session's summaries).
    pub session_id: Uuid,
    /// 1 (poor) to 5 (excellent).
    pub rating: i32,
    /// The comment, if any (at most 2,000 characters).
    pub comment: Option<String>,
    /// When it was given.
    pub created_at: DateTimeUtc,
}

/// Relations of a feedback.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The registration.
    #[sea_orm(
        belongs_to = "super::training_registration::Entity",
        from = "Column::RegistrationId",
        to = "super::training_registration::Column::Id",
        on_delete = "Cascade"
    )]
    Registration,
}

impl Related<super::training_registration::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Registration.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
