//! Feedback on training sessions (issue 12, item 6): an attendee rates the
//! session 1 to 5, with an optional comment, once per registration; the
//! training's managers read each session's count, average, histogram and
//! comments, never who gave them. No GraphQL types.
//!
//! Once means once under concurrency too: the unique index on
//! `registration_id` lets one of two simultaneous submissions in, and the
//! other is answered ALREADY_GIVEN. Feedback ids are random (UUIDv4) and a
//! session's comments are listed in their order, so neither an id, a
//! cursor nor the order of the list tells when (or in which order) people
//! gave them; a comment shows its day only.

use std::collections::HashMap;

use entity::{
    enums::{TrainingAttendance, TrainingRegistrationStatus as Status},
    training_feedback as feedback,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, PaginatorTrait, QueryFilter, QuerySelect, Select, Set,
    TransactionSession, TransactionTrait, Value,
    sea_query::{Alias, Expr, Func},
};
use uuid::Uuid;

use super::{registration_service, service};
use crate::{
    auth::{Caller, Policy},
    clock::Clock,
    domain::text,
    error::ApiError,
    events::{Actor, DomainEvent, Written, record},
    pagination::{Keyset, Page, PageRequest, paginate},
    user_errors::{Errors, UserErrorCode, WriteError, field_error, text_code},
};

/// Ratings run from 1 (poor) to this (excellent).
pub const MAX_RATING: i32 = 5;
/// Longest comment, in characters.
pub const MAX_COMMENT_CHARS: usize = 2_000;

/// Feedback as its author gives it.
#[derive(Clone, Debug)]
pub struct FeedbackInput {
    /// The author's registration (ATTENDED).
    pub registration: Uuid,
    /// 1 to 5.
    pub rating: i32,
    /// Optional comment (blank: none).
    pub comment: Option<String>,
}

fn already_given() -> WriteError {
    field_error(&["registration"], UserErrorCode::AlreadyGiven, "you gave your feedback on this session already")
}

/// Records the caller's feedback on their registration, once. Every user
/// error at once: the registration is not theirs or unknown (NOT_FOUND),
/// not ATTENDED (INVALID_TRANSITION), its session has not started
/// (SESSION_NOT_STARTED), feedback was given already (ALREADY_GIVEN), the
/// rating is outside 1..5 (OUT_OF_RANGE), the comment is too long
/// (TOO_LONG) or holds control characters (INVALID). Nothing is written on any.
#[tracing::instrument(skip_all, fields(registration_id = %input.registration))]
pub async fn give<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    clock: &Clock,
    caller: &Caller,
    input: FeedbackInput,
) -> Result<Written<feedback::Model>, WriteError> {
    Policy.authorize_feedback(caller)?;
    let actor = Actor::of(caller)?;
    let not_found = || field_error(&["registration"], UserErrorCode::NotFound, "no registration of yours has this ID");
    let Some(row) = registration_service::by_id(db, input.registration).await? else { return Err(not_found()) };
    if !Policy.may_give_feedback(caller, row.user_id) {
        return Err(not_found());
    }
    let Some(session) = service::session_by_id(db, row.session_id).await? else { return Err(not_found()) };
    let Some(training) = service::by_id(db, session.training_id).await? else { return Err(not_found()) };
    let now = clock.now();
    let mut errors = Errors::default();
    if !(1..=MAX_RATING).contains(&input.rating) {
        errors.add(&["rating"], UserErrorCode::OutOfRange, format!("a rating runs from 1 to {MAX_RATING}"));
    }
    let comment = errors.check(&["comment"], text::optional_paragraph(input.comment.as_deref(), MAX_COMMENT_CHARS), text_code).flatten();
    if now < session.starts_at {
        errors.add(
            &["registration"],
            UserErrorCode::SessionNotStarted,
            format!("feedback is given once the session has started ({})", session.starts_at.to_rfc3339()),
        );
    } else if row.status != Status::Registered || row.attendance != Some(TrainingAttendance::Attended) {
        errors.add(&["registration"], UserErrorCode::InvalidTransition, "feedback is given by those the organizers marked ATTENDED only");
    }
    if feedback::Entity::find().filter(feedback::Column::RegistrationId.eq(row.id)).one(db).await?.is_some() {
        errors.add(&["registration"], UserErrorCode::AlreadyGiven, "you gave your feedback on this session already");
    }
    errors.ok()?;
    let txn = db.begin().await?;
    let made = feedback::ActiveModel {
        id: Set(Uuid::new_v4()),
        registration_id: Set(row.id),
        session_id: Set(session.id),
        rating: Set(input.rating),
        comment: Set(comment),
        created_at: Set(now),
    };
    let created = match made.insert(&txn).await {
        Ok(created) => created,
        // The same feedback twice at once: the unique index lets one in.
        Err(e) if matches!(e.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_))) => return Err(already_given()),
        Err(e) => return Err(e.into()),
    };
    let event = DomainEvent::TrainingFeedbackGiven { session: session.id, training: training.id, partner: training.partner_id };
    let events = vec![record(&txn, clock, &actor, &event).await?];
    txn.commit().await?;
    Ok(Written::new(created, events))
}

/// The feedback given on each of `registrations`: one statement.
pub async fn of_registrations(db: &impl ConnectionTrait, registrations: &[Uuid]) -> Result<HashMap<Uuid, feedback::Model>, ApiError> {
    let rows = feedback::Entity::find().filter(crate::db::id_in(db, feedback::Column::RegistrationId, registrations)).all(db).await?;
    Ok(rows.into_iter().map(|f| (f.registration_id, f)).collect())
}

/// A session's feedback in figures.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// How many gave each rating: `[0]` counts the 1s, `[4]` the 5s.
    pub histogram: [i64; 5],
}

impl Summary {
    /// How many gave feedback.
    pub fn count(&self) -> i64 {
        self.histogram.iter().sum()
    }

    /// The mean rating; none without feedback.
    #[expect(clippy::cast_precision_loss, reason = "counts of people are far below 2^52")]
    pub fn average(&self) -> Option<f64> {
        let count = self.count();
        let sum: i64 = self.histogram.iter().zip(1..).map(|(n, rating)| n * rating).sum();
        (count > 0).then(|| sum as f64 / count as f64)
    }
}

#[derive(FromQueryResult)]
struct RatingCount {
    session_id: Uuid,
    rating: i32,
    given: i64,
}

/// The summary of each of `sessions` that has feedback, in one grouped
/// statement (sessions without feedback are absent).
pub async fn summaries(db: &impl ConnectionTrait, sessions: &[Uuid]) -> Result<HashMap<Uuid, Summary>, ApiError> {
    let rows = feedback::Entity::find()
        .select_only()
        .column(feedback::Column::SessionId)
        .column(feedback::Column::Rating)
        .expr_as(Func::cast_as(Func::count(Expr::col(feedback::Column::Id)), Alias::new("BIGINT")), "given")
        .filter(crate::db::id_in(db, feedback::Column::SessionId, sessions))
        .group_by(feedback::Column::SessionId)
        .group_by(feedback::Column::Rating)
        .into_model::<RatingCount>()
        .all(db)
        .await?;
    let mut out: HashMap<Uuid, Summary> = HashMap::new();
    for row in rows {
        let Some(slot) = usize::try_from(row.rating - 1).ok().filter(|at| *at < 5) else { continue };
        out.entry(row.session_id).or_default().histogram[slot] = row.given;
    }
    Ok(out)
}

fn comments_of(session: Uuid) -> Select<feedback::Entity> {
    feedback::Entity::find().filter(feedback::Column::SessionId.eq(session)).filter(feedback::Column::Comment.is_not_null())
}

/// One page of a session's comments, in the order of their random ids.
pub async fn comment_page(db: &impl ConnectionTrait, session: Uuid, request: &PageRequest) -> Result<Page<feedback::Model>, ApiError> {
    let keyset =
        Keyset { tag: "session-comments:id:asc".to_owned(), sort: feedback::Column::Id, id: feedback::Column::Id, ascending: true };
    let key_of = |m: &feedback::Model| (m.id.to_string(), m.id);
    let value_of = |key: &str| key.parse::<Uuid>().ok().map(Value::from);
    paginate(db, comments_of(session), &keyset, request, key_of, value_of).await
}

/// How many comments a session has.
pub async fn comment_count(db: &impl ConnectionTrait, session: Uuid) -> Result<u64, ApiError> {
    Ok(comments_of(session).count(db).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_summary_counts_and_averages_its_ratings() {
        let none = Summary::default();
        assert_eq!((none.count(), none.average()), (0, None));
        let some = Summary { histogram: [0, 1, 0, 1, 2] };
        assert_eq!(some.count(), 4);
        assert_eq!(some.average(), Some(4.0), "(2 + 4 + 5 + 5) / 4");
    }
}
