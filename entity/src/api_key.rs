//! An API key of an integration, stored as its SHA-256 only.

use sea_orm::entity::prelude::*;

use crate::{StringList, enums::MembershipScope};

/// A row of `api_keys`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "api_keys")]
pub struct Model {
    /// Primary key (UUIDv7).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Partner or donor.
    pub owner_scope: MembershipScope,
    /// The owning partner or donor.
    pub owner_id: Uuid,
    /// A name to recognise it by.
    pub name: String,
    /// Visible start of the key (`cg_xxxxxxxx`), to identify it.
    #[sea_orm(unique)]
    pub prefix: String,
    /// Hex SHA-256 of the whole key; the key itself is never stored.
    #[sea_orm(unique)]
    pub key_hash: String,
    /// Named scopes, e.g. `organizations:read`.
    #[sea_orm(column_type = "Json")]
    pub scopes: StringList,
    /// The user who created it.
    pub created_by: Option<Uuid>,
    /// When it stops working, if ever.
    pub expires_at: Option<DateTimeUtc>,
    /// Last time it was used (updated at most once a minute).
    pub last_used_at: Option<DateTimeUtc>,
    /// When it was revoked.
    pub revoked_at: Option<DateTimeUtc>,
    /// Creation time (UTC).
    pub created_at: DateTimeUtc,
}

/// Relations of an API key.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
