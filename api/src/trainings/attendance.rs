//! Attendance and certificates: a training's managers mark the REGISTERED
//! people of a session that has started ATTENDED or NO_SHOW, up to
//! [`MAX_MARKS`] per call, each mark on its own (one refused does not stop
//! the others). Marking ATTENDED issues the person's certificate once: a
//! code of 128 random bits that anyone can verify (`certificate(code:)`);
//! marking the same person ATTENDED again keeps that code, and a NO_SHOW
//! takes the certificate out of force (its code then verifies nothing).

use entity::{
    enums::{TrainingAttendance, TrainingRegistrationStatus as Status, TrainingSessionStatus},
    training, training_registration as registration, training_session,
};
use sea_orm::{
    ActiveEnum, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionSession, TransactionTrait,
    sea_query::{Expr, ExprTrait},
};
use uuid::Uuid;

use super::{
    registration_service::{self, new_certificate_code},
    registrations::{change, status_name},
    service,
};
use crate::{
    auth::{Caller, Policy},
    clock::Clock,
    error::ApiError,
    events::{Actor, DomainEvent, Written, record},
    user_errors::{UserErrorCode, WriteError, field_error},
};

/// Most marks in one call.
pub const MAX_MARKS: usize = 100;

/// The session whose attendance the caller marks: it exists for them
/// (NOT_FOUND), they manage its training (FORBIDDEN), it is not cancelled
/// (SESSION_NOT_OPEN) and it has started (SESSION_NOT_STARTED).
pub async fn session_for_marking(
    db: &impl ConnectionTrait,
    clock: &Clock,
    caller: &Caller,
    id: Uuid,
) -> Result<(training_session::Model, training::Model), WriteError> {
    let reader = Policy.training_reader(caller);
    let not_found = || field_error(&["session"], UserErrorCode::NotFound, "no session has this ID");
    let Some(session) = service::sessions_by_ids(db, &reader, &[id]).await?.into_iter().next() else { return Err(not_found()) };
    let Some(training) = service::by_id(db, session.training_id).await? else { return Err(not_found()) };
    Policy.authorize_training_write(caller, training.partner_id)?;
    if session.status == TrainingSessionStatus::Cancelled {
        return Err(field_error(&["session"], UserErrorCode::SessionNotOpen, "the session is cancelled"));
    }
    if clock.now() < session.starts_at {
        return Err(field_error(
            &["session"],
            UserErrorCode::SessionNotStarted,
            format!("attendance is marked once the session has started ({})", session.starts_at.to_rfc3339()),
        ));
    }
    Ok((session, training))
}

/// Marks one registration of `session` (checked by [`session_for_marking`]).
#[tracing::instrument(skip_all, fields(registration_id = %registration_id))]
pub async fn mark<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    clock: &Clock,
    caller: &Caller,
    (session, training): (&training_session::Model, &training::Model),
    registration_id: Uuid,
    attendance: TrainingAttendance,
) -> Result<Written<registration::Model>, WriteError> {
    let actor = Actor::of(caller)?;
    let row = registration_service::by_id(db, registration_id).await?.filter(|r| r.session_id == session.id);
    let Some(row) = row else {
        return Err(field_error(&["registration"], UserErrorCode::NotFound, "no registration of this session has this ID"));
    };
    if row.status != Status::Registered {
        return Err(field_error(
            &["registration"],
            UserErrorCode::InvalidTransition,
            format!("only a REGISTERED person's attendance is marked (this registration is {})", status_name(row.status)),
        ));
    }
    let now = clock.now();
    let issue = attendance == TrainingAttendance::Attended && row.certificate_code.is_none();
    let txn = db.begin().await?;
    let mut update = registration::Entity::update_many()
        .col_expr(registration::Column::Attendance, Expr::value(Some(attendance.to_value())))
        .col_expr(registration::Column::AttendanceMarkedAt, Expr::value(Some(now)))
        .col_expr(registration::Column::UpdatedAt, Expr::value(now))
        .col_expr(registration::Column::Version, Expr::col(registration::Column::Version).add(1));
    if issue {
        update = update
            .col_expr(registration::Column::CertificateCode, Expr::value(Some(new_certificate_code())))
            .col_expr(registration::Column::CertificateIssuedAt, Expr::value(Some(now)));
    }
    let result = update
        .filter(registration::Column::Id.eq(row.id))
        .filter(registration::Column::Version.eq(row.version))
        .filter(registration::Column::Status.eq(Status::Registered))
        .exec(&txn)
        .await?;
    if result.rows_affected != 1 {
        return Err(ApiError::Conflict("the registration changed at the same moment: reload it and try again".to_owned()).into());
    }
    let marked = registration_service::by_id(&txn, row.id)
        .await?
        .ok_or_else(|| ApiError::internal(std::io::Error::other("the marked registration vanished")))?;
    let mut events =
        vec![record(&txn, clock, &actor, &DomainEvent::TrainingAttendanceMarked(change(&marked, training, Some(row.status)))).await?];
    if issue {
        events
            .push(record(&txn, clock, &actor, &DomainEvent::TrainingCertificateIssued(change(&marked, training, Some(row.status)))).await?);
    }
    txn.commit().await?;
    Ok(Written::new(marked, events))
}
