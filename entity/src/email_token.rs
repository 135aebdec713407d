//! A one-time token sent by e-mail, stored as its SHA-256 hash only.

use sea_orm::entity::prelude::*;

use crate::enums::TokenPurpose;

/// A row of `email_tokens`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "email_tokens")]
pub struct Model {
    /// Primary key (UUIDv7).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The user it was sent to.
    pub user_id: Uuid,
    /// What it is for.
    pub purpose: TokenPurpose,
    /// Hex SHA-256 of the token; the token itself is never stored.
    #[sea_orm(unique)]
    pub token_hash: String,
    /// When it stops working.
    pub expires_at: DateTimeUtc,
    /// When it was used (a token works once).
    pub used_at: Option<DateTimeUtc>,
    /// Creation time (UTC).
    pub created_at: DateTimeUtc,
    /// For a verification token: what the sign-up that sent it asked for (JSON,
    /// including a password hash), applied when the token is used.
    pub pending_sign_up: Option<String>,
}

/// Relations of a token.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
