//! The audit log, for platform admins.

use async_graphql::{Context, ID, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};

use super::service;
use crate::graphql::{
    context::{db, policy, request},
    relay::encode_uuid,
};

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

/// Queries of the audit log.
#[derive(Default)]
pub struct AuditQuery;

#[Object]
impl AuditQuery {
    /// The newest audit events first (platform admins only).
    async fn audit_events(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many (1 to 100).", default = 50, validator(minimum = 1, maximum = 100))] last: i32,
    ) -> Result<Vec<AuditEvent>> {
        policy(ctx)?.authorize_audit_read(&request(ctx)?.caller)?;
        let rows = service::latest(db(ctx)?, u64::try_from(last).unwrap_or(50)).await?;
        Ok(rows
            .into_iter()
            .map(|e| AuditEvent {
                actor_id: e.actor_user_id.map(|id| encode_uuid(crate::accounts::types::User::KIND, id)),
                subject_id: encode_uuid(
                    if e.subject_type == "Organization" {
                        crate::organizations::types::Organization::KIND
                    } else {
                        crate::accounts::types::User::KIND
                    },
                    e.subject_id,
                ),
                action: e.action,
                subject_type: e.subject_type,
                detail: e.detail,
                created_at: e.created_at,
            })
            .collect())
    }
}
