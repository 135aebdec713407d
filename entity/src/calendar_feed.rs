//! A user's private calendar feed: the sessions they registered for, reached
//! by a secret URL that only its holder knows.

use sea_orm::entity::prelude::*;

/// A row of `calendar_feeds`. Only the secret's hash is stored.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "calendar_feeds")]
pub struct Model {
    /// Primary key (UUIDv7).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Whose feed.
    pub user_id: Uuid,
    /// Hex SHA-256 of the secret in the feed's URL.
    pub secret_hash: String,
    /// When it was created.
    pub created_at: DateTimeUtc,
    /// When it was revoked (by its user, or by a newer feed): its URL answers 404.
    pub revoked_at: Option<DateTimeUtc>,
}

/// Relations of a calendar feed.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The user.
    #[sea_orm(belongs_to = "super::user::Entity", from = "Column::UserId", to = "super::user::Column::Id", on_delete = "Cascade")]
    User,
}

impl ActiveModelBehavior for ActiveModel {}
