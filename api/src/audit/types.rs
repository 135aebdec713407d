//! GraphQL types of the audit log.

use async_graphql::{ID, SimpleObject};
use chrono::{DateTime, Utc};

use crate::graphql::relay::encode_uuid;

/// Who read or changed something sensitive, and when.
#[derive(SimpleObject)]
pub struct AuditEvent {
    /// What happened, e.g. `organization.contact.read`.
    pub action: String,
    /// Global ID of the user who acted, if a user did.
    pub actor_id: Option<ID>,
    /// Type of the subject, e.g. `Organization`.
    pub subject_type: String,
    /// Global ID of the subject.
    pub subject_id: ID,
    /// A short, non-secret detail.
    pub detail: String,
    /// When.
    pub created_at: DateTime<Utc>,
}

impl From<entity::audit_event::Model> for AuditEvent {
    fn from(e: entity::audit_event::Model) -> Self {
        let subject_kind = match e.subject_type.as_str() {
            "Organization" => crate::organizations::types::Organization::KIND,
            "ValidationEvidence" => crate::validations::evidence_types::ValidationEvidence::KIND,
            _ => crate::accounts::types::User::KIND,
        };
        Self {
            actor_id: e.actor_user_id.map(|id| encode_uuid(crate::accounts::types::User::KIND, id)),
            subject_id: encode_uuid(subject_kind, e.subject_id),
            action: e.action,
            subject_type: e.subject_type,
            detail: e.detail,
            created_at: e.created_at,
        }
    }
}
