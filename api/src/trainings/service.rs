//! Reads of trainings: the search, a page of upcoming sessions, and the
//! relations of a page (topics, sessions) in one statement each, every read
//! within what the caller may see ([`TrainingReader`]: drafts only for
//! their managers). No GraphQL types.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use entity::{
    enums::{TrainingFormat, TrainingLevel, TrainingSessionStatus, TrainingStatus},
    training, training_co_organizer, training_language, training_session, training_topic, training_topic_link,
};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Select,
    sea_query::{Expr, ExprTrait, Query, SelectStatement},
};
use uuid::Uuid;

use crate::{
    auth::policy::trainings::TrainingReader,
    error::ApiError,
    pagination::{Keyset, Page, PageRequest, paginate, time_key},
};

/// Which trainings.
#[derive(Clone, Debug, Default)]
pub struct TrainingFilter {
    /// Covering this topic (its slug).
    pub topic: Option<String>,
    /// Of this level.
    pub level: Option<TrainingLevel>,
    /// Taught in this language (BCP 47, case-insensitive).
    pub language: Option<String>,
    /// Of this format.
    pub format: Option<TrainingFormat>,
    /// With a session (not cancelled) in this country.
    pub country: Option<String>,
    /// With a session (not cancelled) starting at or after this time...
    pub from: Option<DateTime<Utc>>,
    /// ... and before this time (both with `country` when given: the same session).
    pub to: Option<DateTime<Utc>>,
    /// Organized by this partner.
    pub partner: Option<Uuid>,
    /// With a session still open for registration at this time (scheduled,
    /// not started, deadline not passed) that has a seat left (with
    /// `country`, `from` and `to` when given: the same session).
    pub seats_at: Option<DateTime<Utc>>,
}

/// The trainings the reader may see: PUBLISHED and ARCHIVED ones, and the
/// drafts of the partners it manages.
fn visible(reader: &TrainingReader) -> Condition {
    if reader.all {
        return Condition::all();
    }
    let mut condition = Condition::any().add(training::Column::Status.ne(TrainingStatus::Draft));
    if !reader.partners.is_empty() {
        condition = condition.add(training::Column::PartnerId.is_in(reader.partners.iter().copied()));
    }
    condition
}

/// The ids of the trainings the reader may see and that are still offered
/// (not archived), as a subquery.
fn offered_ids(reader: &TrainingReader) -> SelectStatement {
    Query::select()
        .column(training::Column::Id)
        .from(training::Entity)
        .cond_where(visible(reader))
        .and_where(Expr::col(training::Column::Status).ne(TrainingStatus::Archived))
        .to_owned()
}

/// The trainings `filter` matches among those the reader may see, archived
/// ones left out.
fn listed(filter: &TrainingFilter, reader: &TrainingReader) -> Select<training::Entity> {
    let mut select = training::Entity::find().filter(visible(reader)).filter(training::Column::Status.ne(TrainingStatus::Archived));
    if let Some(topic) = &filter.topic {
        let topics = Query::select()
            .column(training_topic::Column::Id)
            .from(training_topic::Entity)
            .and_where(Expr::col(training_topic::Column::Slug).eq(topic.as_str()))
            .to_owned();
        select = select.filter(
            training::Column::Id.in_subquery(
                Query::select()
                    .column(training_topic_link::Column::TrainingId)
                    .from(training_topic_link::Entity)
                    .and_where(Expr::col(training_topic_link::Column::TopicId).in_subquery(topics))
                    .to_owned(),
            ),
        );
    }
    if let Some(level) = filter.level {
        select = select.filter(training::Column::Level.eq(level));
    }
    if let Some(format) = filter.format {
        select = select.filter(training::Column::Format.eq(format));
    }
    if let Some(partner) = filter.partner {
        select = select.filter(training::Column::PartnerId.eq(partner));
    }
    if let Some(language) = &filter.language {
        select = select.filter(
            training::Column::Id.in_subquery(
                Query::select()
                    .column(training_language::Column::TrainingId)
                    .from(training_language::Entity)
                    .and_where(Expr::col(training_language::Column::Language).eq(language.trim().to_ascii_lowercase()))
                    .to_owned(),
            ),
        );
    }
    if filter.country.is_some() || filter.from.is_some() || filter.to.is_some() || filter.seats_at.is_some() {
        let mut sessions = Query::select()
            .column(training_session::Column::TrainingId)
            .from(training_session::Entity)
            .and_where(Expr::col(training_session::Column::Status).ne(TrainingSessionStatus::Cancelled))
            .to_owned();
        if let Some(country) = &filter.country {
            sessions.and_where(Expr::col(training_session::Column::CountryCode).eq(country.as_str()));
        }
        if let Some(from) = filter.from {
            sessions.and_where(Expr::col(training_session::Column::StartsAt).gte(from));
        }
        if let Some(to) = filter.to {
            sessions.and_where(Expr::col(training_session::Column::StartsAt).lt(to));
        }
        if let Some(now) = filter.seats_at {
            sessions
                .and_where(Expr::col(training_session::Column::Status).eq(TrainingSessionStatus::Scheduled))
                .and_where(Expr::col(training_session::Column::StartsAt).gt(now))
                .and_where(Expr::col(training_session::Column::RegistrationDeadline).gt(now))
                .and_where(Expr::col(training_session::Column::RegisteredCount).lt(Expr::col(training_session::Column::Capacity)));
        }
        select = select.filter(training::Column::Id.in_subquery(sessions));
    }
    select
}

/// The order of `trainings`: newest first, the id breaking ties.
fn training_keyset() -> Keyset<training::Column> {
    Keyset { tag: "trainings:created:desc".to_owned(), sort: training::Column::CreatedAt, id: training::Column::Id, ascending: false }
}

/// Seats still free in a session: none once it is cancelled or completed.
pub fn seats_left(session: &training_session::Model) -> i32 {
    match session.status {
        TrainingSessionStatus::Scheduled => Ord::max(session.capacity - session.registered_count, 0),
        _ => 0,
    }
}

/// One page of the trainings `filter` matches, newest first.
pub async fn page(
    db: &impl ConnectionTrait,
    filter: &TrainingFilter,
    reader: &TrainingReader,
    request: &PageRequest,
) -> Result<Page<training::Model>, ApiError> {
    let key_of = |m: &training::Model| (m.created_at.to_rfc3339(), m.id);
    paginate(db, listed(filter, reader), &training_keyset(), request, key_of, time_key).await
}

/// How many trainings `filter` matches.
pub async fn count(db: &impl ConnectionTrait, filter: &TrainingFilter, reader: &TrainingReader) -> Result<u64, ApiError> {
    Ok(listed(filter, reader).count(db).await?)
}

/// Trainings by id, those the reader may see (archived ones too).
pub async fn by_ids(db: &impl ConnectionTrait, reader: &TrainingReader, ids: &[Uuid]) -> Result<Vec<training::Model>, ApiError> {
    Ok(training::Entity::find().filter(crate::db::id_in(db, training::Column::Id, ids)).filter(visible(reader)).all(db).await?)
}

/// A training by id, whatever its status, for writes (which ask the policy).
pub async fn by_id(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<training::Model>, ApiError> {
    Ok(training::Entity::find_by_id(id).one(db).await?)
}

/// The whole topic taxonomy, by name.
pub async fn all_topics(db: &impl ConnectionTrait) -> Result<Vec<training_topic::Model>, ApiError> {
    Ok(training_topic::Entity::find().order_by_asc(training_topic::Column::Name).all(db).await?)
}

/// The topics of each training, by name: two statements, whatever the number of trainings.
pub async fn topics_of(db: &impl ConnectionTrait, ids: &[Uuid]) -> Result<HashMap<Uuid, Vec<training_topic::Model>>, ApiError> {
    let links =
        training_topic_link::Entity::find().filter(crate::db::id_in(db, training_topic_link::Column::TrainingId, ids)).all(db).await?;
    if links.is_empty() {
        return Ok(HashMap::new());
    }
    let topics: HashMap<Uuid, training_topic::Model> = all_topics(db).await?.into_iter().map(|t| (t.id, t)).collect();
    let mut out: HashMap<Uuid, Vec<training_topic::Model>> = HashMap::new();
    for link in links {
        if let Some(topic) = topics.get(&link.topic_id) {
            out.entry(link.training_id).or_default().push(topic.clone());
        }
    }
    for list in out.values_mut() {
        list.sort_by(|a, b| a.name.cmp(&b.name));
    }
    Ok(out)
}

/// The co-organizer rows of each training, in the order they were given
/// (the trainings already known visible; whether the caller may see each
/// organization is for its reader to say).
pub async fn co_organizers_of(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<training_co_organizer::Model>>, ApiError> {
    let rows = training_co_organizer::Entity::find()
        .filter(crate::db::id_in(db, training_co_organizer::Column::TrainingId, ids))
        .order_by_asc(training_co_organizer::Column::Id)
        .all(db)
        .await?;
    let mut out: HashMap<Uuid, Vec<training_co_organizer::Model>> = HashMap::new();
    for row in rows {
        out.entry(row.training_id).or_default().push(row);
    }
    Ok(out)
}

/// The sessions of each training, by start (the trainings already known visible).
pub async fn sessions_of(db: &impl ConnectionTrait, ids: &[Uuid]) -> Result<HashMap<Uuid, Vec<training_session::Model>>, ApiError> {
    let rows = training_session::Entity::find()
        .filter(crate::db::id_in(db, training_session::Column::TrainingId, ids))
        .order_by_asc(training_session::Column::StartsAt)
        .order_by_asc(training_session::Column::Id)
        .all(db)
        .await?;
    let mut out: HashMap<Uuid, Vec<training_session::Model>> = HashMap::new();
    for row in rows {
        out.entry(row.training_id).or_default().push(row);
    }
    Ok(out)
}

/// Sessions by id, those of trainings the reader may see.
pub async fn sessions_by_ids(
    db: &impl ConnectionTrait,
    reader: &TrainingReader,
    ids: &[Uuid],
) -> Result<Vec<training_session::Model>, ApiError> {
    let trainings = Query::select().column(training::Column::Id).from(training::Entity).cond_where(visible(reader)).to_owned();
    Ok(training_session::Entity::find()
        .filter(crate::db::id_in(db, training_session::Column::Id, ids))
        .filter(training_session::Column::TrainingId.in_subquery(trainings))
        .all(db)
        .await?)
}

/// A session by id, whatever its training's status, for writes.
pub async fn session_by_id(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<training_session::Model>, ApiError> {
    Ok(training_session::Entity::find_by_id(id).one(db).await?)
}

/// Scheduled sessions starting after `now` of trainings the reader may see
/// and still offered, in `country` when given.
fn upcoming(reader: &TrainingReader, country: Option<&str>, now: DateTime<Utc>) -> Select<training_session::Entity> {
    let mut select = training_session::Entity::find()
        .filter(training_session::Column::StartsAt.gt(now))
        .filter(training_session::Column::Status.eq(TrainingSessionStatus::Scheduled))
        .filter(training_session::Column::TrainingId.in_subquery(offered_ids(reader)));
    if let Some(country) = country {
        select = select.filter(training_session::Column::CountryCode.eq(country));
    }
    select
}

/// One page of upcoming sessions, soonest first.
pub async fn upcoming_page(
    db: &impl ConnectionTrait,
    reader: &TrainingReader,
    country: Option<&str>,
    now: DateTime<Utc>,
    request: &PageRequest,
) -> Result<Page<training_session::Model>, ApiError> {
    let keyset = Keyset {
        tag: "sessions:starts:asc".to_owned(),
        sort: training_session::Column::StartsAt,
        id: training_session::Column::Id,
        ascending: true,
    };
    let key_of = |m: &training_session::Model| (m.starts_at.to_rfc3339(), m.id);
    paginate(db, upcoming(reader, country, now), &keyset, request, key_of, time_key).await
}

/// How many upcoming sessions there are (in `country` when given).
pub async fn count_upcoming(
    db: &impl ConnectionTrait,
    reader: &TrainingReader,
    country: Option<&str>,
    now: DateTime<Utc>,
) -> Result<u64, ApiError> {
    Ok(upcoming(reader, country, now).count(db).await?)
}

/// `at` as RFC 3339 with the offset `zone` has at that moment (the zone is
/// checked when stored; an unknown one answers UTC).
pub fn local_time(at: DateTime<Utc>, zone: &str) -> String {
    match zone.parse::<Tz>() {
        Ok(tz) => at.with_timezone(&tz).to_rfc3339(),
        Err(_) => at.to_rfc3339(),
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn local_times_carry_the_offset_of_their_zone_at_that_moment() {
        let at = Utc.with_ymd_and_hms(2027, 3, 10, 13, 0, 0).single().expect("a time");
        assert_eq!(local_time(at, "America/Sao_Paulo"), "2027-03-10T10:00:00-03:00");
        assert_eq!(local_time(at, "Asia/Bangkok"), "2027-03-10T20:00:00+07:00");
        // Berlin is on winter time in March before the last Sunday, summer time in July.
        assert_eq!(local_time(at, "Europe/Berlin"), "2027-03-10T14:00:00+01:00");
        let july = Utc.with_ymd_and_hms(2027, 7, 10, 13, 0, 0).single().expect("a time");
        assert_eq!(local_time(july, "Europe/Berlin"), "2027-07-10T15:00:00+02:00");
    }
}
