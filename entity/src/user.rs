//! A person with an account.

use sea_orm::entity::prelude::*;

/// A row of `users`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    /// Primary key (UUIDv7).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// E-mail address as typed.
    pub email: String,
    /// Lower-cased address: unique, so addresses are case-insensitive.
    #[sea_orm(unique)]
    pub email_normalized: String,
    /// Argon2id PHC string; never leaves the service.
    pub password_hash: String,
    /// Display name.
    pub name: String,
    /// BCP 47 locale, e.g. `sw-KE`.
    pub locale: String,
    /// IANA time zone, e.g. `Africa/Nairobi`.
    pub time_zone: String,
    /// When the address was verified.
    pub email_verified_at: Option<DateTimeUtc>,
    /// Platform administrators see and may do everything.
    pub is_platform_admin: bool,
    /// The user volunteers skills to the network (self-declared).
    pub is_volunteer: bool,
    /// Creation time (UTC).
    pub created_at: DateTimeUtc,
    /// Last update time (UTC).
    pub updated_at: DateTimeUtc,
}

/// Relations of a user.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
