//! The audit log, for platform admins.

use async_graphql::{Context, Object, Result};

use super::{service, types::AuditEvent};
use crate::graphql::context::{db, policy, request};

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
        Ok(rows.into_iter().map(AuditEvent::from).collect())
    }
}
