//! An entry of the audit log: who read or changed something sensitive, and when.

use sea_orm::entity::prelude::*;

/// A row of `audit_events`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_events")]
pub struct Model {
    /// Primary key (UUIDv7).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The user who acted, if a user did.
    pub actor_user_id: Option<Uuid>,
    /// What happened, e.g. `organization.contact.read`.
    pub action: String,
    /// Type of the subject, e.g. `Organization`.
    pub subject_type: String,
    /// The subject.
    pub subject_id: Uuid,
    /// A short, non-secret detail.
    pub detail: String,
    /// When (UTC).
    pub created_at: DateTimeUtc,
}

/// Relations of an audit event.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
