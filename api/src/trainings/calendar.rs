//! Calendars of training sessions (issue 12, item 5): what the two feeds
//! hold, and the private feeds' secrets. No GraphQL, no HTTP.
//!
//! - A session's public feed ([`session_entry`]): any session of a training
//!   that is not a DRAFT, with public fields only (never its link).
//! - A user's private feed, reached by a secret URL: [`create_feed`] makes
//!   one (the secret is returned once and stored as its SHA-256, as API keys
//!   are; a user has one live feed, so a new one revokes the last),
//!   [`revoke_feed`] ends it, [`live_feed`] finds it by its secret. Its
//!   entries are the user's registered sessions, links included (a
//!   registrant sees their session's link): [`feed_entries`].

use chrono::{DateTime, Utc};
use entity::{calendar_feed, enums::TrainingSessionStatus, training, training_session};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set, TransactionSession, TransactionTrait,
};
use uuid::Uuid;

pub use super::ical::CalendarEntry;
use super::service;
use crate::{
    auth::{
        Caller, Policy,
        policy::trainings::{SessionLinkFacts, TrainingReader},
        tokens::{hash_token, random_token},
    },
    clock::Clock,
    error::ApiError,
    events::{Actor, DomainEvent, Written, record},
    user_errors::{UserErrorCode, WriteError, field_error},
};

/// The path of a session's public feed, relative to the API's origin.
pub fn session_feed_path(session: Uuid) -> String {
    format!("/trainings/sessions/{session}.ics")
}

/// The path of a private feed, relative to the API's origin.
pub fn private_feed_path(secret: &str) -> String {
    format!("/calendar/{secret}.ics")
}

/// The entry of a session and its training, the link included only when
/// `with_link`.
pub fn entry_of(
    session: &training_session::Model,
    training: &training::Model,
    organizer: Option<String>,
    with_link: bool,
) -> CalendarEntry {
    CalendarEntry {
        session_id: session.id,
        title: training.title.clone(),
        summary: training.summary.clone(),
        organizer,
        starts_at: session.starts_at,
        ends_at: session.ends_at,
        time_zone: session.time_zone.clone(),
        venue_address: session.venue_address.clone(),
        venue_city: session.venue_city.clone(),
        country_code: session.country_code.clone(),
        online_url: if with_link { session.online_url.clone() } else { None },
        url: None,
        cancelled: session.status == TrainingSessionStatus::Cancelled,
        version: session.version,
        updated_at: session.updated_at.max(training.updated_at),
    }
}

/// A session's public entry: none for an unknown session or one of a DRAFT
/// training (as for anyone signed out). Three statements.
pub async fn session_entry(db: &impl ConnectionTrait, session_id: Uuid) -> Result<Option<CalendarEntry>, ApiError> {
    let public = TrainingReader::default();
    let Some(session) = service::sessions_by_ids(db, &public, &[session_id]).await?.into_iter().next() else { return Ok(None) };
    let Some(training) = service::by_ids(db, &public, &[session.training_id]).await?.into_iter().next() else { return Ok(None) };
    let organizer = crate::partners::service::by_ids(db, &[training.partner_id]).await?.into_iter().next().map(|p| p.name);
    // The request carries no caller: the link is for those the policy names.
    let with_link = Policy.may_see_session_link(&public, SessionLinkFacts { partner: training.partner_id, registered: false });
    Ok(Some(entry_of(&session, &training, organizer, with_link)))
}

/// Most entries of a private feed: the latest sessions registered for.
pub const MAX_FEED_ENTRIES: u64 = 500;

/// The entries of `user`'s private feed: the sessions they hold a seat or a
/// waitlisted place for (not cancelled registrations), the latest
/// [`MAX_FEED_ENTRIES`] by start, soonest first; a session's link only
/// where the policy gives it (a seat, not the waitlist). Four statements.
pub async fn feed_entries(db: &impl ConnectionTrait, user_id: Uuid) -> Result<Vec<CalendarEntry>, ApiError> {
    use entity::{enums::TrainingRegistrationStatus as Status, training_registration as registration};
    use sea_orm::QuerySelect;
    let rows: Vec<(registration::Model, Option<training_session::Model>)> = registration::Entity::find()
        .filter(registration::Column::UserId.eq(user_id))
        .filter(registration::Column::Status.ne(Status::Cancelled))
        .find_also_related(training_session::Entity)
        .order_by_desc(training_session::Column::StartsAt)
        .limit(MAX_FEED_ENTRIES)
        .all(db)
        .await?;
    let mut training_ids: Vec<Uuid> = rows.iter().filter_map(|(_, s)| s.as_ref().map(|s| s.training_id)).collect();
    training_ids.sort_unstable();
    training_ids.dedup();
    let trainings: std::collections::HashMap<Uuid, training::Model> =
        service::by_ids(db, &TrainingReader { all: true, partners: Vec::new() }, &training_ids)
            .await?
            .into_iter()
            .map(|t| (t.id, t))
            .collect();
    let mut partner_ids: Vec<Uuid> = trainings.values().map(|t| t.partner_id).collect();
    partner_ids.sort_unstable();
    partner_ids.dedup();
    let partners: std::collections::HashMap<Uuid, String> =
        crate::partners::service::by_ids(db, &partner_ids).await?.into_iter().map(|p| (p.id, p.name)).collect();
    // The feed's secret stands for its user, who manages nothing through it.
    let reader = TrainingReader::default();
    let mut entries: Vec<CalendarEntry> = rows
        .into_iter()
        .filter_map(|(registration, session)| {
            let session = session?;
            let training = trainings.get(&session.training_id)?;
            let facts = SessionLinkFacts { partner: training.partner_id, registered: registration.status == Status::Registered };
            let with_link = Policy.may_see_session_link(&reader, facts);
            Some(entry_of(&session, training, partners.get(&training.partner_id).cloned(), with_link))
        })
        .collect();
    entries.reverse();
    Ok(entries)
}

/// A feed just made: its record and its secret (shown once, never stored).
#[derive(Clone, Debug)]
pub struct IssuedFeed {
    /// The feed.
    pub feed: calendar_feed::Model,
    /// The secret of its URL.
    pub secret: String,
}

/// Makes the caller's private feed, revoking the one they had, in one
/// transaction recording `calendar_feed.revoked` (replaced) and
/// `calendar_feed.created`.
#[tracing::instrument(skip_all)]
pub async fn create_feed<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    clock: &Clock,
    caller: &Caller,
) -> Result<Written<IssuedFeed>, WriteError> {
    let user = Policy.authorize_calendar_feed(caller)?;
    let actor = Actor::of(caller)?;
    let now = clock.now();
    let secret = random_token();
    let txn = db.begin().await?;
    let live = calendar_feed::Entity::find()
        .filter(calendar_feed::Column::UserId.eq(user))
        .filter(calendar_feed::Column::RevokedAt.is_null())
        .all(&txn)
        .await?;
    let mut events = Vec::new();
    for old in live {
        // Revoked meanwhile by another request: its event is that one's (and
        // should that request have made a feed, the insert below is CONFLICT).
        if !revoke_row(&txn, &old, now).await? {
            continue;
        }
        let event = DomainEvent::CalendarFeedRevoked { feed: old.id, user, replaced: true };
        events.push(record(&txn, clock, &actor, &event).await?);
    }
    let feed = calendar_feed::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user),
        secret_hash: Set(hash_token(&secret)),
        created_at: Set(now),
        revoked_at: Set(None),
    }
    .insert(&txn)
    .await?;
    events.push(record(&txn, clock, &actor, &DomainEvent::CalendarFeedCreated { feed: feed.id, user }).await?);
    txn.commit().await?;
    Ok(Written::new(IssuedFeed { feed, secret }, events))
}

/// Marks a live feed revoked: false when it was revoked meanwhile.
async fn revoke_row(db: &impl ConnectionTrait, feed: &calendar_feed::Model, now: DateTime<Utc>) -> Result<bool, ApiError> {
    let result = calendar_feed::Entity::update_many()
        .col_expr(calendar_feed::Column::RevokedAt, sea_orm::sea_query::Expr::value(now))
        .filter(calendar_feed::Column::Id.eq(feed.id))
        .filter(calendar_feed::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Revokes one of the caller's feeds: its URL answers 404 at once. Another
/// user's feed is NOT_FOUND, as an unknown one; a revoked one
/// INVALID_TRANSITION.
#[tracing::instrument(skip_all, fields(feed_id = %feed_id))]
pub async fn revoke_feed<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    clock: &Clock,
    caller: &Caller,
    feed_id: Uuid,
) -> Result<Written<calendar_feed::Model>, WriteError> {
    let user = Policy.authorize_calendar_feed(caller)?;
    let actor = Actor::of(caller)?;
    let txn = db.begin().await?;
    let Some(feed) =
        calendar_feed::Entity::find_by_id(feed_id).one(&txn).await?.filter(|f| Policy.may_revoke_calendar_feed(user, f.user_id))
    else {
        return Err(field_error(&["feed"], UserErrorCode::NotFound, "no calendar feed of yours has this ID"));
    };
    let now = clock.now();
    if feed.revoked_at.is_some() || !revoke_row(&txn, &feed, now).await? {
        return Err(field_error(&["feed"], UserErrorCode::InvalidTransition, "the calendar feed is already revoked"));
    }
    let event = DomainEvent::CalendarFeedRevoked { feed: feed.id, user, replaced: false };
    let events = vec![record(&txn, clock, &actor, &event).await?];
    txn.commit().await?;
    Ok(Written::new(calendar_feed::Model { revoked_at: Some(now), ..feed }, events))
}

/// The live feed whose secret this is (none for an unknown or revoked one).
pub async fn live_feed(db: &impl ConnectionTrait, secret: &str) -> Result<Option<calendar_feed::Model>, ApiError> {
    let found = calendar_feed::Entity::find().filter(calendar_feed::Column::SecretHash.eq(hash_token(secret))).one(db).await?;
    Ok(found.filter(|f| f.revoked_at.is_none()))
}

/// The user's live feed, if any.
pub async fn live_feed_of(db: &impl ConnectionTrait, user: Uuid) -> Result<Option<calendar_feed::Model>, ApiError> {
    Ok(calendar_feed::Entity::find()
        .filter(calendar_feed::Column::UserId.eq(user))
        .filter(calendar_feed::Column::RevokedAt.is_null())
        .order_by_desc(calendar_feed::Column::CreatedAt)
        .one(db)
        .await?)
}
