//! Writes of a training's sessions: schedule, update, cancel. Times are
//! stored in UTC with the venue's IANA time zone; where a session happens
//! depends on its training's format (a venue in person, a link online, both
//! when hybrid). Same shape as the trainings' writes: every user error at
//! once, the policy asked on the training's partner, the event recorded in
//! the transaction, changes only on the version the caller read. The
//! capacity never goes below the seats taken (CAPACITY_BELOW_REGISTERED);
//! raising it gives the new seats to the waitlist; cancelling a session
//! e-mails its registered and waitlisted people ([`notify`]).

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use entity::{
    enums::{TrainingFormat, TrainingSessionStatus},
    training, training_session,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set, TransactionSession, TransactionTrait,
};
use uuid::Uuid;

use super::{notify, registrations, service, write::load_for_write};
use crate::{
    auth::Caller,
    clock::Clock,
    domain::{self, text},
    events::{Actor, DomainEvent, Written, record},
    user_errors::{Errors, UserErrorCode, WriteError, checked, field_error, text_code},
};

/// Most sessions of one training (so that `Training.sessions` stays a short list).
pub const MAX_SESSIONS: u64 = 100;
/// Most seats of a session.
pub const MAX_CAPACITY: i32 = 100_000;

/// A session to schedule, or one with its changes applied.
#[derive(Clone, Debug)]
pub struct SessionInput {
    /// Start (UTC).
    pub starts_at: DateTime<Utc>,
    /// End (UTC).
    pub ends_at: DateTime<Utc>,
    /// IANA time zone of the venue.
    pub time_zone: String,
    /// Street address.
    pub venue_address: Option<String>,
    /// City.
    pub venue_city: Option<String>,
    /// ISO 3166-1 alpha-2 country.
    pub country: Option<String>,
    /// Link (https) of an online or hybrid session.
    pub online_url: Option<String>,
    /// Seats.
    pub capacity: i32,
    /// Registrations close (none: at the start).
    pub registration_deadline: Option<DateTime<Utc>>,
}

/// Changes to a session: `None` leaves a field as it is; for the fields that
/// can be cleared, `Some(None)` clears them.
#[derive(Clone, Debug, Default)]
pub struct SessionChanges {
    /// The session.
    pub session: Uuid,
    /// The version the caller read.
    pub expected_version: i32,
    /// New start.
    pub starts_at: Option<DateTime<Utc>>,
    /// New end.
    pub ends_at: Option<DateTime<Utc>>,
    /// New time zone.
    pub time_zone: Option<String>,
    /// New address.
    pub venue_address: Option<Option<String>>,
    /// New city.
    pub venue_city: Option<Option<String>>,
    /// New country.
    pub country: Option<Option<String>>,
    /// New link.
    pub online_url: Option<Option<String>>,
    /// New capacity.
    pub capacity: Option<i32>,
    /// New deadline.
    pub registration_deadline: Option<DateTime<Utc>>,
}

impl SessionChanges {
    fn given(&self) -> Vec<String> {
        let fields = [
            ("startsAt", self.starts_at.is_some()),
            ("endsAt", self.ends_at.is_some()),
            ("timeZone", self.time_zone.is_some()),
            ("venueAddress", self.venue_address.is_some()),
            ("venueCity", self.venue_city.is_some()),
            ("country", self.country.is_some()),
            ("onlineUrl", self.online_url.is_some()),
            ("capacity", self.capacity.is_some()),
            ("registrationDeadline", self.registration_deadline.is_some()),
        ];
        fields.into_iter().filter(|(_, given)| *given).map(|(name, _)| name.to_owned()).collect()
    }
}

/// Whether a session's venue and link fit `format`, as [`check_session`]
/// requires of a new session: a venue (city and country) in person, a link
/// online, both hybrid, and nothing the format does not have.
pub(super) fn fits_format(format: TrainingFormat, session: &training_session::Model) -> bool {
    let venue = if format == TrainingFormat::Online {
        session.venue_address.is_none() && session.venue_city.is_none()
    } else {
        session.venue_city.is_some() && session.country_code.is_some()
    };
    let link = if format == TrainingFormat::InPerson { session.online_url.is_none() } else { session.online_url.is_some() };
    venue && link
}

/// A session's input once checked: its columns.
fn check_session(format: TrainingFormat, input: &SessionInput) -> Result<training_session::ActiveModel, WriteError> {
    let mut errors = Errors::default();
    if input.ends_at <= input.starts_at {
        errors.add(&["endsAt"], UserErrorCode::EndsBeforeStart, "a session ends after it starts");
    }
    let deadline = input.registration_deadline.unwrap_or(input.starts_at);
    if deadline > input.starts_at {
        errors.add(
            &["registrationDeadline"],
            UserErrorCode::DeadlineAfterStart,
            "registrations close at the latest when the session starts",
        );
    }
    let time_zone = match input.time_zone.trim().parse::<Tz>() {
        Ok(tz) => Some(tz.name().to_owned()),
        Err(_) => {
            errors.add(
                &["timeZone"],
                UserErrorCode::UnknownTimeZone,
                format!("{} is not an IANA time zone, e.g. America/Sao_Paulo", input.time_zone.trim()),
            );
            None
        }
    };
    if !(1..=MAX_CAPACITY).contains(&input.capacity) {
        errors.add(&["capacity"], UserErrorCode::OutOfRange, format!("1 to {MAX_CAPACITY} seats"));
    }
    let address = errors.check(&["venueAddress"], text::optional_line(input.venue_address.as_deref(), 500), text_code).flatten();
    let city = errors.check(&["venueCity"], text::optional_line(input.venue_city.as_deref(), 200), text_code).flatten();
    let country = match input.country.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        None => None,
        Some(c) => match domain::CountryCode::parse(c) {
            Ok(code) => Some(code.as_str().to_owned()),
            Err(e) => {
                errors.add(&["country"], UserErrorCode::UnknownCountry, e.to_string());
                None
            }
        },
    };
    let link = match input.online_url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        None => None,
        Some(u) => match text::website(u) {
            Ok(url) if url.starts_with("https://") => Some(url),
            Ok(_) => {
                errors.add(&["onlineUrl"], UserErrorCode::Invalid, "an online session's link is https://");
                None
            }
            Err(e) => {
                errors.add(&["onlineUrl"], text_code(&e), e.to_string());
                None
            }
        },
    };
    let has_venue = format != TrainingFormat::Online;
    let has_link = format != TrainingFormat::InPerson;
    if has_venue && input.venue_city.as_deref().is_none_or(|c| c.trim().is_empty()) {
        errors.add(&["venueCity"], UserErrorCode::Blank, "an in-person or hybrid session gives its venue's city");
    }
    if has_venue && input.country.as_deref().is_none_or(|c| c.trim().is_empty()) {
        errors.add(&["country"], UserErrorCode::Blank, "an in-person or hybrid session gives its venue's country");
    }
    if !has_venue && input.venue_address.is_some() {
        errors.add(&["venueAddress"], UserErrorCode::Invalid, "an online training's sessions have no venue (a country may be given)");
    }
    if !has_venue && input.venue_city.is_some() {
        errors.add(&["venueCity"], UserErrorCode::Invalid, "an online training's sessions have no venue (a country may be given)");
    }
    if has_link && input.online_url.as_deref().is_none_or(|u| u.trim().is_empty()) {
        errors.add(&["onlineUrl"], UserErrorCode::Blank, "an online or hybrid session gives its link");
    }
    if !has_link && input.online_url.is_some() {
        errors.add(&["onlineUrl"], UserErrorCode::Invalid, "an in-person training's sessions have no online link");
    }
    errors.ok()?;
    Ok(training_session::ActiveModel {
        starts_at: Set(input.starts_at),
        ends_at: Set(input.ends_at),
        time_zone: Set(checked(time_zone)?),
        venue_address: Set(address),
        venue_city: Set(city),
        country_code: Set(country),
        online_url: Set(link),
        capacity: Set(input.capacity),
        registration_deadline: Set(deadline),
        ..Default::default()
    })
}

/// Schedules a session of a training that is not archived.
#[tracing::instrument(skip_all, fields(training_id = %training_id))]
pub async fn schedule<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    clock: &Clock,
    caller: &Caller,
    training_id: Uuid,
    input: SessionInput,
) -> Result<Written<training_session::Model>, WriteError> {
    let training = load_for_write(db, caller, training_id, None).await?;
    let actor = Actor::of(caller)?;
    let columns = check_session(training.format, &input)?;
    let existing = training_session::Entity::find().filter(training_session::Column::TrainingId.eq(training.id)).count(db).await?;
    if existing >= MAX_SESSIONS {
        return Err(field_error(&["training"], UserErrorCode::TooMany, format!("a training has at most {MAX_SESSIONS} sessions")));
    }
    let now = clock.now();
    let txn = db.begin().await?;
    let created = training_session::ActiveModel {
        id: Set(Uuid::now_v7()),
        training_id: Set(training.id),
        status: Set(TrainingSessionStatus::Scheduled),
        registered_count: Set(0),
        registration_sequence: Set(0),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..columns
    }
    .insert(&txn)
    .await?;
    let event = DomainEvent::TrainingSessionScheduled { session: created.id, training: training.id, partner: training.partner_id };
    let events = vec![record(&txn, clock, &actor, &event).await?];
    txn.commit().await?;
    Ok(Written::new(created, events))
}

fn below_registered(taken: i32) -> WriteError {
    field_error(
        &["capacity"],
        UserErrorCode::CapacityBelowRegistered,
        format!("{taken} seats are taken: the capacity may not go below them (cancel registrations first)"),
    )
}

fn stale() -> WriteError {
    field_error(&["expectedVersion"], UserErrorCode::StaleVersion, "the session changed since you read it: reload and retry")
}

/// The session the caller may change, and its training: the session exists
/// (NOT_FOUND), the caller manages the training (FORBIDDEN), the training is
/// not archived (ARCHIVED), the session is SCHEDULED (INVALID_TRANSITION) and
/// at the version read (STALE_VERSION).
async fn load_session(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
    expected: i32,
) -> Result<(training_session::Model, training::Model), WriteError> {
    let Some(session) = service::session_by_id(db, id).await? else {
        return Err(field_error(&["session"], UserErrorCode::NotFound, "no session has this ID"));
    };
    let training = load_for_write(db, caller, session.training_id, None).await?;
    if session.status != TrainingSessionStatus::Scheduled {
        return Err(field_error(&["session"], UserErrorCode::InvalidTransition, "only a SCHEDULED session can change"));
    }
    if session.version != expected {
        return Err(field_error(
            &["expectedVersion"],
            UserErrorCode::StaleVersion,
            format!("the session changed since you read it (version {} now, {expected} read): reload and retry", session.version),
        ));
    }
    Ok((session, training))
}

/// Changes a scheduled session, checked as a new one is.
#[tracing::instrument(skip_all, fields(session_id = %changes.session))]
pub async fn update<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    clock: &Clock,
    caller: &Caller,
    changes: SessionChanges,
) -> Result<Written<training_session::Model>, WriteError> {
    let (current, training) = load_session(db, caller, changes.session, changes.expected_version).await?;
    let actor = Actor::of(caller)?;
    let input = SessionInput {
        starts_at: changes.starts_at.unwrap_or(current.starts_at),
        ends_at: changes.ends_at.unwrap_or(current.ends_at),
        time_zone: changes.time_zone.clone().unwrap_or_else(|| current.time_zone.clone()),
        venue_address: changes.venue_address.clone().unwrap_or_else(|| current.venue_address.clone()),
        venue_city: changes.venue_city.clone().unwrap_or_else(|| current.venue_city.clone()),
        country: changes.country.clone().unwrap_or_else(|| current.country_code.clone()),
        online_url: changes.online_url.clone().unwrap_or_else(|| current.online_url.clone()),
        capacity: changes.capacity.unwrap_or(current.capacity),
        registration_deadline: Some(changes.registration_deadline.unwrap_or(current.registration_deadline)),
    };
    let columns = check_session(training.format, &input)?;
    if input.capacity < current.registered_count {
        return Err(below_registered(current.registered_count));
    }
    let txn = db.begin().await?;
    let row = training_session::ActiveModel { version: Set(current.version + 1), updated_at: Set(clock.now()), ..columns };
    // The seats taken meanwhile count too: capacity never goes below them.
    let result = training_session::Entity::update_many()
        .set(row)
        .filter(training_session::Column::Id.eq(current.id))
        .filter(training_session::Column::Version.eq(current.version))
        .filter(training_session::Column::Status.eq(TrainingSessionStatus::Scheduled))
        .filter(training_session::Column::RegisteredCount.lte(input.capacity))
        .exec(&txn)
        .await?;
    if result.rows_affected != 1 {
        let now = service::session_by_id(&txn, current.id).await?;
        return Err(match now {
            Some(s) if s.version == current.version && s.registered_count > input.capacity => below_registered(s.registered_count),
            _ => stale(),
        });
    }
    let event = DomainEvent::TrainingSessionUpdated {
        session: current.id,
        training: training.id,
        partner: training.partner_id,
        changed: changes.given(),
    };
    let mut events = vec![record(&txn, clock, &actor, &event).await?];
    if input.capacity > current.capacity {
        // New seats go to the waitlist first, in its order.
        events.extend(registrations::fill_seats(&txn, clock, &actor, current.id, &training).await?);
    }
    let updated = training_session::Entity::find_by_id(current.id).one(&txn).await?.ok_or_else(stale)?;
    txn.commit().await?;
    Ok(Written::new(updated, events))
}

/// Cancels a scheduled session.
#[tracing::instrument(skip_all, fields(session_id = %id))]
pub async fn cancel<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    clock: &Clock,
    caller: &Caller,
    id: Uuid,
    expected_version: i32,
) -> Result<Written<training_session::Model>, WriteError> {
    let (current, training) = load_session(db, caller, id, expected_version).await?;
    let actor = Actor::of(caller)?;
    let txn = db.begin().await?;
    let row = training_session::ActiveModel {
        status: Set(TrainingSessionStatus::Cancelled),
        version: Set(current.version + 1),
        updated_at: Set(clock.now()),
        ..Default::default()
    };
    let result = training_session::Entity::update_many()
        .set(row)
        .filter(training_session::Column::Id.eq(current.id))
        .filter(training_session::Column::Version.eq(current.version))
        .filter(training_session::Column::Status.eq(TrainingSessionStatus::Scheduled))
        .exec(&txn)
        .await?;
    if result.rows_affected != 1 {
        return Err(stale());
    }
    let cancelled = training_session::Entity::find_by_id(current.id).one(&txn).await?.ok_or_else(stale)?;
    let event = DomainEvent::TrainingSessionCancelled { session: current.id, training: training.id, partner: training.partner_id };
    let events = vec![record(&txn, clock, &actor, &event).await?];
    // The participants hear of it by e-mail from a job: enqueued in this
    // transaction, it exists exactly when the cancellation does, and is
    // retried until every notice went out.
    notify::enqueue_cancellation_notices(&txn, clock, current.id).await?;
    txn.commit().await?;
    Ok(Written::new(cancelled, events))
}
