//! The validation job, hourly: ends approvals whose validity has passed
//! (EXPIRED, through the one state machine, an event each) and tells each
//! organization's owners and admins, once, [`NOTICE_BEFORE`] before its
//! approval ends (through the Mailer). Idempotent: a case expired or noticed
//! is never taken again. A notice is sent before it is marked sent, so a crash
//! between the two sends it twice rather than never.

use std::{collections::HashSet, sync::Arc};

use chrono::Duration;
use entity::{
    enums::{MembershipScope, Role, ValidationStatus},
    validation,
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait, sea_query::Expr};
use uuid::Uuid;

use super::{
    state::Step,
    write::{self, StepInput},
};
use crate::{
    auth::Caller,
    jobs::{Handler, JobContext, JobError, Registry},
    mail::{Email, Mailer},
    user_errors::WriteError,
};

/// The kind (and schedule name) of the job.
pub const EXPIRY_KIND: &str = "validation_expiry";
/// How long before its end an organization hears that its approval ends.
pub const NOTICE_BEFORE: Duration = Duration::days(30);
/// How often the job runs.
pub const INTERVAL: Duration = Duration::hours(1);
/// Cases read at a time.
const BATCH: u64 = 200;

/// Registers the job and its schedule.
pub fn register(registry: Registry, mailer: Arc<dyn Mailer>) -> Registry {
    registry.handle(EXPIRY_KIND, ValidationExpiry { mailer }).every(EXPIRY_KIND, INTERVAL)
}

/// The handler.
pub struct ValidationExpiry {
    /// Where notices go.
    pub mailer: Arc<dyn Mailer>,
}

#[async_trait::async_trait]
impl Handler for ValidationExpiry {
    async fn run(&self, ctx: &JobContext, _payload: &serde_json::Value) -> Result<(), JobError> {
        let expired = expire_due(ctx).await?;
        let noticed = send_notices(ctx, self.mailer.as_ref()).await?;
        tracing::info!(expired, noticed, "validation expiry ran");
        Ok(())
    }
}

async fn expire_due(ctx: &JobContext) -> Result<u64, JobError> {
    let now = ctx.clock.now();
    let mut skipped: HashSet<Uuid> = HashSet::new();
    let mut expired = 0;
    loop {
        let due = validation::Entity::find()
            .filter(validation::Column::Status.eq(ValidationStatus::Approved))
            .filter(validation::Column::ValidUntil.lte(now))
            .filter(validation::Column::Id.is_not_in(skipped.iter().copied()))
            .order_by_asc(validation::Column::ValidUntil)
            .order_by_asc(validation::Column::Id)
            .limit(BATCH)
            .all(&ctx.db)
            .await?;
        if due.is_empty() {
            return Ok(expired);
        }
        for case in due {
            let input = StepInput {
                validation: case.id,
                step: Step::Expire,
                expected_version: Some(case.version),
                reasons: Vec::new(),
                note: None,
            };
            match write::step(&ctx.db, &ctx.clock, &Caller::System, input).await {
                Ok(_) => expired += 1,
                // Changed meanwhile (revoked, say): the next run looks again.
                Err(WriteError::Invalid(errors)) => {
                    tracing::warn!(validation = %case.id, ?errors, "validation not expired");
                    skipped.insert(case.id);
                }
                Err(WriteError::Api(e)) => return Err(Box::new(e)),
            }
        }
    }
}

async fn send_notices(ctx: &JobContext, mailer: &dyn Mailer) -> Result<u64, JobError> {
    let now = ctx.clock.now();
    let mut noticed = 0;
    loop {
        let soon = validation::Entity::find()
            .filter(validation::Column::Status.eq(ValidationStatus::Approved))
            .filter(validation::Column::ValidUntil.gt(now))
            .filter(validation::Column::ValidUntil.lte(now + NOTICE_BEFORE))
            .filter(validation::Column::ExpiryNoticeSentAt.is_null())
            .order_by_asc(validation::Column::ValidUntil)
            .order_by_asc(validation::Column::Id)
            .limit(BATCH)
            .all(&ctx.db)
            .await?;
        if soon.is_empty() {
            return Ok(noticed);
        }
        for case in soon {
            let Some(valid_until) = case.valid_until else { continue };
            let recipients = crate::memberships::service::emails_of(
                &ctx.db,
                MembershipScope::Organization,
                case.organization_id,
                &[Role::Owner, Role::Admin],
            )
            .await?;
            let name = entity::organization::Entity::find_by_id(case.organization_id)
                .one(&ctx.db)
                .await?
                .map_or_else(|| "your organization".to_owned(), |o| o.display_name);
            for to in recipients {
                mailer
                    .send(Email {
                        to,
                        subject: format!("The validation of {name} ends on {}", valid_until.format("%Y-%m-%d")),
                        body: format!(
                            "The validation of {name} by the network ends on {} (UTC). To stay eligible for donations, \
                             open a new validation case (openValidation) and submit it before then: it renews this one.",
                            valid_until.format("%Y-%m-%d")
                        ),
                        secret: String::new(),
                        kind: "validation-expiring",
                    })
                    .await;
            }
            // The inbox's reminder is written with the mark, once: a run that
            // finds the notice marked already writes none.
            let txn = ctx.db.begin().await?;
            let marked = validation::Entity::update_many()
                .col_expr(validation::Column::ExpiryNoticeSentAt, Expr::value(Some(now)))
                .filter(validation::Column::Id.eq(case.id))
                .filter(validation::Column::ExpiryNoticeSentAt.is_null())
                .exec(&txn)
                .await?;
            if marked.rows_affected == 1 {
                let subject = crate::graphql::relay::encode_uuid(super::types::Validation::KIND, case.id);
                crate::notifications::service::remind(&txn, &ctx.clock, case.organization_id, "VALIDATION_EXPIRING", &subject).await?;
            }
            txn.commit().await?;
            noticed += 1;
        }
    }
}
