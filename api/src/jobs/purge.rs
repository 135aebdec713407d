//! The daily purge: one-time e-mail tokens and invitations that can no longer be
//! used, and finished jobs, once older than [`RETENTION`], so these tables do
//! not grow forever. Dead jobs stay for an operator to read their errors.

use chrono::Duration;
use entity::{email_token, invitation, job};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter};

use super::{Handler, JobContext, JobError, store::DONE};

/// The kind (and schedule name) of the purge.
pub const PURGE_KIND: &str = "purge_expired";

/// How long unusable rows are kept (for support questions, e.g. "my link did
/// not work") before the purge deletes them.
pub const RETENTION: Duration = Duration::days(7);

/// Deletes what expired or was used more than [`RETENTION`] ago. Idempotent.
#[derive(Clone, Copy, Debug)]
pub struct PurgeExpired;

#[async_trait::async_trait]
impl Handler for PurgeExpired {
    async fn run(&self, ctx: &JobContext, _payload: &serde_json::Value) -> Result<(), JobError> {
        let cutoff = ctx.clock.now() - RETENTION;
        let tokens = email_token::Entity::delete_many()
            .filter(Condition::any().add(email_token::Column::ExpiresAt.lt(cutoff)).add(email_token::Column::UsedAt.lt(cutoff)))
            .exec(&ctx.db)
            .await?
            .rows_affected;
        // Accepted invitations stay: they record who brought a member in.
        let invitations = invitation::Entity::delete_many()
            .filter(invitation::Column::AcceptedAt.is_null())
            .filter(invitation::Column::ExpiresAt.lt(cutoff))
            .exec(&ctx.db)
            .await?
            .rows_affected;
        let jobs = job::Entity::delete_many()
            .filter(job::Column::Status.eq(DONE))
            .filter(job::Column::FinishedAt.lt(cutoff))
            .exec(&ctx.db)
            .await?
            .rows_affected;
        tracing::info!(tokens, invitations, jobs, "purged expired rows");
        Ok(())
    }
}
