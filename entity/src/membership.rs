//! A role of a user in an organization, a partner or a donor.

use sea_orm::entity::prelude::*;

use crate::enums::{MembershipScope, Role};

/// A row of `memberships`; (user_id, scope, scope_id) is unique.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "memberships")]
pub struct Model {
    /// Primary key (UUIDv7).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The user.
    pub user_id: Uuid,
    /// What kind of thing the role is in.
    pub scope: MembershipScope,
    /// The organization, partner or donor.
    pub scope_id: Uuid,
    /// The role.
    pub role: Role,
    /// Creation time (UTC).
    pub created_at: DateTimeUtc,
}

/// Relations of a membership.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
