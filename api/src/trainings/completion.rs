//! The sessions job, every [`INTERVAL`]: a SCHEDULED session whose end has
//! passed took place, and becomes COMPLETED (an event each, in the
//! transaction of its change). Registrations of a COMPLETED session are
//! closed (SESSION_NOT_OPEN), it can no longer be changed or cancelled,
//! and its attendance is still marked. Idempotent: the change is
//! conditional on the session still being SCHEDULED at the version read,
//! so two runners (or a run repeated after a crash) complete it once.

use std::collections::HashSet;

use chrono::Duration;
use entity::{enums::TrainingSessionStatus, training, training_session};
use sea_orm::{
    ActiveEnum, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionSession, TransactionTrait,
    sea_query::{Expr, ExprTrait},
};
use uuid::Uuid;

use crate::{
    clock::Clock,
    error::ApiError,
    events::{Actor, DomainEvent, record},
    jobs::{Handler, JobContext, JobError, Registry},
};

/// The kind (and schedule name) of the job.
pub const COMPLETE_KIND: &str = "training_sessions_complete";
/// How often the job runs: a session shows COMPLETED at most this long after its end.
pub const INTERVAL: Duration = Duration::minutes(15);
/// Sessions read at a time.
const BATCH: u64 = 200;

/// Registers the job and its schedule.
pub fn register(registry: Registry) -> Registry {
    registry.handle(COMPLETE_KIND, CompleteSessions).every(COMPLETE_KIND, INTERVAL)
}

/// The handler.
pub struct CompleteSessions;

#[async_trait::async_trait]
impl Handler for CompleteSessions {
    async fn run(&self, ctx: &JobContext, _payload: &serde_json::Value) -> Result<(), JobError> {
        let completed = complete_ended(&ctx.db, &ctx.clock).await?;
        tracing::info!(completed, "training sessions job ran");
        Ok(())
    }
}

/// Completes every SCHEDULED session that has ended; returns how many.
pub async fn complete_ended<C: ConnectionTrait + TransactionTrait>(db: &C, clock: &Clock) -> Result<u64, ApiError> {
    let now = clock.now();
    let actor = Actor::system("training sessions job");
    // Sessions changed meanwhile (cancelled, say) are not read twice in one run.
    let mut skipped: HashSet<Uuid> = HashSet::new();
    let mut completed = 0;
    loop {
        let due = training_session::Entity::find()
            .filter(training_session::Column::Status.eq(TrainingSessionStatus::Scheduled))
            .filter(training_session::Column::EndsAt.lte(now))
            .filter(training_session::Column::Id.is_not_in(skipped.iter().copied()))
            .order_by_asc(training_session::Column::EndsAt)
            .order_by_asc(training_session::Column::Id)
            .limit(BATCH)
            .all(db)
            .await?;
        if due.is_empty() {
            return Ok(completed);
        }
        let training_ids: Vec<Uuid> = due.iter().map(|s| s.training_id).collect();
        let partners: std::collections::HashMap<Uuid, Uuid> = training::Entity::find()
            .filter(crate::db::id_in(db, training::Column::Id, &training_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|t| (t.id, t.partner_id))
            .collect();
        for session in due {
            let Some(partner) = partners.get(&session.training_id).copied() else {
                skipped.insert(session.id);
                continue;
            };
            let txn = db.begin().await?;
            let changed = training_session::Entity::update_many()
                .col_expr(training_session::Column::Status, Expr::value(TrainingSessionStatus::Completed.to_value()))
                .col_expr(training_session::Column::Version, Expr::col(training_session::Column::Version).add(1))
                .col_expr(training_session::Column::UpdatedAt, Expr::value(now))
                .filter(training_session::Column::Id.eq(session.id))
                .filter(training_session::Column::Version.eq(session.version))
                .filter(training_session::Column::Status.eq(TrainingSessionStatus::Scheduled))
                .exec(&txn)
                .await?;
            if changed.rows_affected != 1 {
                txn.rollback().await?;
                skipped.insert(session.id);
                continue;
            }
            let event = DomainEvent::TrainingSessionCompleted { session: session.id, training: session.training_id, partner };
            record(&txn, clock, &actor, &event).await?;
            txn.commit().await?;
            completed += 1;
        }
    }
}
