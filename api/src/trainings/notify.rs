//! E-mails that must not be lost: when a session is cancelled, its
//! REGISTERED and WAITLISTED people hear of it. The cancellation enqueues a
//! job in its own transaction ([`enqueue_cancellation_notices`]); the job
//! runner sends one e-mail per person through the Mailer and marks each
//! registration told, so a job retried after a failure (or run twice)
//! tells nobody twice, except one person when it stopped between sending
//! and marking (sent first: twice rather than never).

use std::sync::Arc;

use entity::{enums::TrainingRegistrationStatus as Status, training_registration as registration};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, sea_query::Expr};
use serde_json::json;
use uuid::Uuid;

use super::service;
use crate::{
    clock::Clock,
    jobs::{Handler, JobContext, JobError, Registry, enqueue},
    mail::{Email, Mailer},
};

/// The kind of the job.
pub const SESSION_CANCELLED_KIND: &str = "training_session_cancelled";
/// Registrations told per statement.
const BATCH: u64 = 200;

/// Registers the job's handler.
pub fn register(registry: Registry, mailer: Arc<dyn Mailer>) -> Registry {
    registry.handle(SESSION_CANCELLED_KIND, SessionCancelledNotices { mailer })
}

/// Enqueues the notices of a cancelled session, due at once (pass the
/// cancellation's transaction).
pub async fn enqueue_cancellation_notices(txn: &impl ConnectionTrait, clock: &Clock, session: Uuid) -> Result<(), DbErr> {
    enqueue(txn, clock, SESSION_CANCELLED_KIND, json!({ "session": session }), clock.now()).await.map(|_| ())
}

/// The handler: tells each person of the session not told yet.
pub struct SessionCancelledNotices {
    /// Where notices go.
    pub mailer: Arc<dyn Mailer>,
}

#[async_trait::async_trait]
impl Handler for SessionCancelledNotices {
    async fn run(&self, ctx: &JobContext, payload: &serde_json::Value) -> Result<(), JobError> {
        let session = payload.get("session").and_then(|s| s.as_str()).and_then(|s| Uuid::parse_str(s).ok());
        let Some(session) = session else { return Err("the job names no session".into()) };
        let Some(session) = service::session_by_id(&ctx.db, session).await? else { return Ok(()) };
        let Some(training) = service::by_id(&ctx.db, session.training_id).await? else { return Ok(()) };
        let when = service::local_time(session.starts_at, &session.time_zone);
        let mut told = 0;
        loop {
            let due = registration::Entity::find()
                .filter(registration::Column::SessionId.eq(session.id))
                .filter(registration::Column::Status.is_in([Status::Registered, Status::Waitlisted]))
                .filter(registration::Column::CancellationNotifiedAt.is_null())
                .order_by_asc(registration::Column::Sequence)
                .limit(BATCH)
                .all(&ctx.db)
                .await?;
            if due.is_empty() {
                tracing::info!(session = %session.id, told, "cancellation notices sent");
                return Ok(());
            }
            let ids: Vec<Uuid> = due.iter().map(|r| r.user_id).collect();
            let people = crate::accounts::service::by_ids(&ctx.db, &ids).await?;
            for row in &due {
                if let Some(person) = people.iter().find(|p| p.id == row.user_id) {
                    let place = if row.status == Status::Waitlisted { "your place on the waitlist" } else { "your seat" };
                    self.mailer
                        .send(Email {
                            to: person.email.clone(),
                            subject: format!("Cancelled: {}", training.title),
                            body: format!(
                                "Hello {},\n\nThe session of \"{}\" that was to start at {when} ({}) is cancelled; {place} \
                                 for it has lapsed. Other sessions of the training, if any, are open to registration.",
                                person.name, training.title, session.time_zone
                            ),
                            secret: String::new(),
                            kind: "training-session-cancelled",
                        })
                        .await;
                }
                registration::Entity::update_many()
                    .col_expr(registration::Column::CancellationNotifiedAt, Expr::value(Some(ctx.clock.now())))
                    .filter(registration::Column::Id.eq(row.id))
                    .exec(&ctx.db)
                    .await?;
                told += 1;
            }
        }
    }
}
