//! Writes of registrations: register, cancel, and the promotion of the
//! waitlist when a seat frees up.
//!
//! Capacity holds under concurrency on both backends the way donation
//! requests reserve stock: a registration's transaction starts with a
//! conditional update of its session's seat counter
//! (`registered_count + 1 WHERE registered_count < capacity`), which on
//! PostgreSQL locks the session's row until the transaction ends (so the
//! registrations of one session are accepted one after the other) and on
//! SQLite takes the one writer's lock at its first statement (a transaction
//! that read first could be refused the lock, SQLITE_BUSY, instead of
//! waiting its turn). The same statement hands out the session's next place
//! (`registration_sequence`): the strict order of acceptance, unique per
//! session, in which the waitlist is served. When no seat is left the
//! registration is WAITLISTED. Cancelling a REGISTERED registration gives
//! its seat to the first WAITLISTED one in the same transaction.

use entity::{
    enums::{TrainingRegistrationStatus as Status, TrainingSessionStatus, TrainingStatus},
    event, training, training_registration as registration, training_session,
};
use sea_orm::{
    ActiveEnum, ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set, TransactionSession,
    TransactionTrait,
    sea_query::{Condition, Expr, ExprTrait},
};
use uuid::Uuid;

use super::{registration_service, service};
use crate::{
    auth::{Caller, OrgScope, Policy, policy::trainings::RegistrationFacts},
    clock::Clock,
    error::ApiError,
    events::{Actor, DomainEvent, TrainingRegistrationChange, Written, record},
    user_errors::{Errors, UserErrorCode, WriteError, field_error},
};

/// A registration asked for.
#[derive(Clone, Debug)]
pub struct RegistrationInput {
    /// The session.
    pub session: Uuid,
    /// The organization the person registers on behalf of.
    pub organization: Option<Uuid>,
}

/// A status as the API writes it.
pub fn status_name(status: Status) -> &'static str {
    match status {
        Status::Registered => "REGISTERED",
        Status::Waitlisted => "WAITLISTED",
        Status::Cancelled => "CANCELLED",
    }
}

/// The event payload of a registration's step.
pub(super) fn change(row: &registration::Model, training: &training::Model, from: Option<Status>) -> TrainingRegistrationChange {
    TrainingRegistrationChange {
        registration: row.id,
        session: row.session_id,
        training: training.id,
        partner: training.partner_id,
        user: row.user_id,
        organization: row.organization_id,
        from: from.map(|s| status_name(s).to_owned()),
        to: status_name(row.status).to_owned(),
        attendance: row.attendance.map(|a| a.to_value().to_ascii_uppercase()),
    }
}

fn session_not_found() -> WriteError {
    field_error(&["session"], UserErrorCode::NotFound, "no session has this ID")
}

fn already_registered() -> WriteError {
    field_error(&["session"], UserErrorCode::AlreadyRegistered, "you hold a registration for this session already")
}

/// Registers the caller for a session: REGISTERED while seats remain, else
/// WAITLISTED. Every user error at once: the session's training is not
/// PUBLISHED (TRAINING_NOT_OPEN), the session is not SCHEDULED
/// (SESSION_NOT_OPEN), its deadline passed (REGISTRATION_CLOSED), the caller
/// holds a registration already (ALREADY_REGISTERED), names an
/// organization it may not see (NOT_FOUND), an archived one (ARCHIVED) or
/// one it is not a member of (NOT_A_MEMBER).
#[tracing::instrument(skip_all, fields(session_id = %input.session))]
pub async fn register<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    clock: &Clock,
    caller: &Caller,
    scope: &OrgScope,
    input: RegistrationInput,
) -> Result<Written<registration::Model>, WriteError> {
    let user = Policy.authorize_training_registration(caller)?;
    let actor = Actor::of(caller)?;
    let reader = Policy.training_reader(caller);
    let Some(session) = service::sessions_by_ids(db, &reader, &[input.session]).await?.into_iter().next() else {
        return Err(session_not_found());
    };
    let Some(training) = service::by_id(db, session.training_id).await? else { return Err(session_not_found()) };
    let now = clock.now();
    let mut errors = Errors::default();
    if training.status != TrainingStatus::Published {
        errors.add(&["session"], UserErrorCode::TrainingNotOpen, "the session's training is not published (a draft, or archived)");
    }
    match session.status {
        TrainingSessionStatus::Cancelled => errors.add(&["session"], UserErrorCode::SessionNotOpen, "the session is cancelled"),
        TrainingSessionStatus::Completed => errors.add(&["session"], UserErrorCode::SessionNotOpen, "the session took place already"),
        TrainingSessionStatus::Scheduled if now >= session.registration_deadline => errors.add(
            &["session"],
            UserErrorCode::RegistrationClosed,
            format!("registrations closed at {}", session.registration_deadline.to_rfc3339()),
        ),
        TrainingSessionStatus::Scheduled => {}
    }
    if let Some(organization) = input.organization {
        let found = crate::organizations::service::by_ids(db, scope, &[organization]).await?.into_iter().next();
        match found {
            None => errors.add(&["organization"], UserErrorCode::NotFound, "no such organization"),
            Some(o) if o.archived_at.is_some() => errors.add(&["organization"], UserErrorCode::Archived, "the organization is archived"),
            Some(_) if !Policy.may_register_for_organization(caller, organization) => errors.add(
                &["organization"],
                UserErrorCode::NotAMember,
                "you may register on behalf of an organization you are a member of",
            ),
            Some(_) => {}
        }
    }
    if registration_service::active_of(db, session.id, user).await?.is_some() {
        errors.add(&["session"], UserErrorCode::AlreadyRegistered, "you hold a registration for this session already");
    }
    errors.ok()?;
    let txn = db.begin().await?;
    // First statement: a write (see the module's documentation).
    let open = || {
        Condition::all()
            .add(training_session::Column::Id.eq(session.id))
            .add(training_session::Column::Status.eq(TrainingSessionStatus::Scheduled))
            .add(training_session::Column::RegistrationDeadline.gt(now))
    };
    let next_place = Expr::col(training_session::Column::RegistrationSequence).add(1);
    let seated = training_session::Entity::update_many()
        .col_expr(training_session::Column::RegisteredCount, Expr::col(training_session::Column::RegisteredCount).add(1))
        .col_expr(training_session::Column::RegistrationSequence, next_place.clone())
        .filter(open())
        .filter(Expr::col(training_session::Column::RegisteredCount).lt(Expr::col(training_session::Column::Capacity)))
        .exec(&txn)
        .await?
        .rows_affected
        == 1;
    if !seated {
        let queued = training_session::Entity::update_many()
            .col_expr(training_session::Column::RegistrationSequence, next_place)
            .filter(open())
            .exec(&txn)
            .await?;
        if queued.rows_affected != 1 {
            return Err(field_error(&["session"], UserErrorCode::SessionNotOpen, "the session stopped taking registrations meanwhile"));
        }
    }
    let current = training_session::Entity::find_by_id(session.id).one(&txn).await?.ok_or_else(session_not_found)?;
    let mut seated = seated;
    if !seated && current.registered_count < current.capacity {
        // A seat freed between the two statements with nobody waiting for it
        // (a cancellation fills seats from the waitlist first): this
        // transaction holds the session's row now, so the seat is its own.
        training_session::Entity::update_many()
            .col_expr(training_session::Column::RegisteredCount, Expr::col(training_session::Column::RegisteredCount).add(1))
            .filter(training_session::Column::Id.eq(session.id))
            .exec(&txn)
            .await?;
        seated = true;
    }
    let place = current.registration_sequence;
    let row = registration::ActiveModel {
        id: Set(Uuid::now_v7()),
        session_id: Set(session.id),
        user_id: Set(user),
        organization_id: Set(input.organization),
        status: Set(if seated { Status::Registered } else { Status::Waitlisted }),
        sequence: Set(place),
        attendance: Set(None),
        attendance_marked_at: Set(None),
        certificate_code: Set(None),
        certificate_issued_at: Set(None),
        cancellation_notified_at: Set(None),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        cancelled_at: Set(None),
    };
    let created = match row.insert(&txn).await {
        Ok(created) => created,
        // The same person twice at once: the database's unique index lets one in.
        Err(e) if matches!(e.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_))) => return Err(already_registered()),
        Err(e) => return Err(e.into()),
    };
    let events = vec![record(&txn, clock, &actor, &DomainEvent::TrainingRegistered(change(&created, &training, None))).await?];
    txn.commit().await?;
    Ok(Written::new(created, events))
}

/// Gives the seats free in a session to its first WAITLISTED registrations,
/// in their order, inside the caller's transaction (which holds the
/// session's row): an event each.
pub(super) async fn fill_seats(
    txn: &impl ConnectionTrait,
    clock: &Clock,
    actor: &Actor,
    session: Uuid,
    training: &training::Model,
) -> Result<Vec<event::Model>, ApiError> {
    let mut events = Vec::new();
    loop {
        let seat = training_session::Entity::update_many()
            .col_expr(training_session::Column::RegisteredCount, Expr::col(training_session::Column::RegisteredCount).add(1))
            .filter(training_session::Column::Id.eq(session))
            .filter(Expr::col(training_session::Column::RegisteredCount).lt(Expr::col(training_session::Column::Capacity)))
            .exec(txn)
            .await?;
        if seat.rows_affected != 1 {
            return Ok(events);
        }
        let now = clock.now();
        let promoted = loop {
            let next = registration::Entity::find()
                .filter(registration::Column::SessionId.eq(session))
                .filter(registration::Column::Status.eq(Status::Waitlisted))
                .order_by_asc(registration::Column::Sequence)
                .one(txn)
                .await?;
            let Some(next) = next else { break None };
            // A waitlisted person cancelling at this moment wins their row:
            // the next in line is taken instead.
            let moved = registration::Entity::update_many()
                .col_expr(registration::Column::Status, Expr::value(Status::Registered.to_value()))
                .col_expr(registration::Column::Version, Expr::col(registration::Column::Version).add(1))
                .col_expr(registration::Column::UpdatedAt, Expr::value(now))
                .filter(registration::Column::Id.eq(next.id))
                .filter(registration::Column::Status.eq(Status::Waitlisted))
                .exec(txn)
                .await?;
            if moved.rows_affected == 1 {
                break Some(next.id);
            }
        };
        let Some(id) = promoted else {
            // Nobody waits: the seat stays free.
            training_session::Entity::update_many()
                .col_expr(training_session::Column::RegisteredCount, Expr::col(training_session::Column::RegisteredCount).sub(1))
                .filter(training_session::Column::Id.eq(session))
                .exec(txn)
                .await?;
            return Ok(events);
        };
        let row = registration_service::by_id(txn, id)
            .await?
            .ok_or_else(|| ApiError::internal(std::io::Error::other("promoted row vanished")))?;
        events.push(
            record(txn, clock, actor, &DomainEvent::TrainingRegistrationPromoted(change(&row, training, Some(Status::Waitlisted)))).await?,
        );
    }
}

/// Cancels a registration (its person, or the training's managers) before
/// its session starts; a REGISTERED one gives its seat to the first
/// WAITLISTED one at once. A registration the caller may not see does not
/// exist for them.
#[tracing::instrument(skip_all, fields(registration_id = %id))]
pub async fn cancel<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    clock: &Clock,
    caller: &Caller,
    id: Uuid,
    expected_version: Option<i32>,
) -> Result<Written<registration::Model>, WriteError> {
    let actor = Actor::of(caller)?;
    let not_found = || field_error(&["registration"], UserErrorCode::NotFound, "no registration has this ID");
    let Some(row) = registration_service::by_id(db, id).await? else { return Err(not_found()) };
    let Some(session) = service::session_by_id(db, row.session_id).await? else { return Err(not_found()) };
    let Some(training) = service::by_id(db, session.training_id).await? else { return Err(not_found()) };
    let reader = Policy.training_reader(caller);
    if !Policy.may_see_registration(caller, &reader, RegistrationFacts { user: row.user_id, partner: training.partner_id }) {
        return Err(not_found());
    }
    let now = clock.now();
    if row.status == Status::Cancelled {
        return Err(field_error(&["registration"], UserErrorCode::InvalidTransition, "the registration is cancelled already"));
    }
    if session.status != TrainingSessionStatus::Scheduled {
        return Err(field_error(&["registration"], UserErrorCode::SessionNotOpen, "the session is cancelled or took place already"));
    }
    if now >= session.starts_at {
        return Err(field_error(
            &["registration"],
            UserErrorCode::InvalidTransition,
            "the session has started: its attendance is marked instead",
        ));
    }
    if let Some(expected) = expected_version
        && expected != row.version
    {
        return Err(field_error(
            &["expectedVersion"],
            UserErrorCode::StaleVersion,
            format!("the registration changed since you read it (version {} now, {expected} read): reload it", row.version),
        ));
    }
    let txn = db.begin().await?;
    if row.status == Status::Registered {
        // First statement: the session's row, held until the seat has moved on.
        training_session::Entity::update_many()
            .col_expr(training_session::Column::RegisteredCount, Expr::col(training_session::Column::RegisteredCount).sub(1))
            .filter(training_session::Column::Id.eq(session.id))
            .exec(&txn)
            .await?;
    }
    let result = registration::Entity::update_many()
        .col_expr(registration::Column::Status, Expr::value(Status::Cancelled.to_value()))
        .col_expr(registration::Column::CancelledAt, Expr::value(Some(now)))
        .col_expr(registration::Column::UpdatedAt, Expr::value(now))
        .col_expr(registration::Column::Version, Expr::col(registration::Column::Version).add(1))
        .filter(registration::Column::Id.eq(row.id))
        .filter(registration::Column::Version.eq(row.version))
        .filter(registration::Column::Status.eq(row.status))
        .exec(&txn)
        .await?;
    if result.rows_affected != 1 {
        return Err(ApiError::Conflict(
            "the registration changed at the same moment (a seat given, say): reload it and try again".to_owned(),
        )
        .into());
    }
    let cancelled = registration_service::by_id(&txn, row.id).await?.ok_or_else(not_found)?;
    let mut events = vec![
        record(&txn, clock, &actor, &DomainEvent::TrainingRegistrationCancelled(change(&cancelled, &training, Some(row.status)))).await?,
    ];
    if row.status == Status::Registered {
        events.extend(fill_seats(&txn, clock, &actor, session.id, &training).await?);
    }
    txn.commit().await?;
    Ok(Written::new(cancelled, events))
}
