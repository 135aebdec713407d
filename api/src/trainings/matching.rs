//! Upcoming sessions on given topics that an organization of a country can
//! attend: the candidates `organization.recommendedTrainings` ranks
//! (`needs::recommend`). No GraphQL types.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{
    enums::{TrainingFormat, TrainingSessionStatus, TrainingStatus},
    training, training_session, training_topic, training_topic_link,
};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait, Query},
};
use uuid::Uuid;

use crate::error::ApiError;

/// Most candidate sessions read for one ranking: the soonest ones. A
/// country rarely has more upcoming sessions on an organization's topics;
/// beyond this, later sessions wait for earlier ones to pass.
pub const MAX_CANDIDATES: u64 = 200;

/// An upcoming session with the slugs of its training's topics.
#[derive(Clone, Debug)]
pub struct Candidate {
    /// The session.
    pub session: training_session::Model,
    /// Its training's topics (slugs).
    pub topics: Vec<String>,
}

/// Sessions still open for registration (scheduled, deadline not passed)
/// of PUBLISHED trainings covering any of `topics` (slugs), that an
/// organization of `country` can attend: held there, or online (an ONLINE
/// or HYBRID training, wherever its venue). Soonest first, at most
/// [`MAX_CANDIDATES`]; two statements.
pub async fn open_sessions_on(
    db: &impl ConnectionTrait,
    topics: &[&str],
    country: &str,
    now: DateTime<Utc>,
) -> Result<Vec<Candidate>, ApiError> {
    if topics.is_empty() {
        return Ok(Vec::new());
    }
    let on_topics = Query::select()
        .column((training_topic_link::Entity, training_topic_link::Column::TrainingId))
        .from(training_topic_link::Entity)
        .inner_join(
            training_topic::Entity,
            Expr::col((training_topic::Entity, training_topic::Column::Id))
                .equals((training_topic_link::Entity, training_topic_link::Column::TopicId)),
        )
        .and_where(Expr::col((training_topic::Entity, training_topic::Column::Slug)).is_in(topics.iter().copied()))
        .to_owned();
    let published = Query::select()
        .column(training::Column::Id)
        .from(training::Entity)
        .and_where(Expr::col(training::Column::Status).eq(TrainingStatus::Published))
        .and_where(Expr::col(training::Column::Id).in_subquery(on_topics))
        .to_owned();
    let remote = Query::select()
        .column(training::Column::Id)
        .from(training::Entity)
        .and_where(Expr::col(training::Column::Format).ne(TrainingFormat::InPerson))
        .to_owned();
    let sessions = training_session::Entity::find()
        .filter(training_session::Column::Status.eq(TrainingSessionStatus::Scheduled))
        .filter(training_session::Column::StartsAt.gt(now))
        .filter(training_session::Column::RegistrationDeadline.gt(now))
        .filter(training_session::Column::TrainingId.in_subquery(published))
        .filter(
            Condition::any()
                .add(training_session::Column::CountryCode.eq(country))
                .add(training_session::Column::TrainingId.in_subquery(remote)),
        )
        .order_by_asc(training_session::Column::StartsAt)
        .order_by_asc(training_session::Column::Id)
        .limit(MAX_CANDIDATES)
        .all(db)
        .await?;
    if sessions.is_empty() {
        return Ok(Vec::new());
    }
    let mut training_ids: Vec<Uuid> = sessions.iter().map(|s| s.training_id).collect();
    training_ids.sort_unstable();
    training_ids.dedup();
    let slugs: Vec<(Uuid, String)> = training_topic_link::Entity::find()
        .select_only()
        .column(training_topic_link::Column::TrainingId)
        .column_as(Expr::col((training_topic::Entity, training_topic::Column::Slug)), "slug")
        .inner_join(training_topic::Entity)
        .filter(crate::db::id_in(db, (training_topic_link::Entity, training_topic_link::Column::TrainingId), &training_ids))
        .into_tuple()
        .all(db)
        .await?;
    let mut by_training: HashMap<Uuid, Vec<String>> = HashMap::new();
    for (training, slug) in slugs {
        by_training.entry(training).or_default().push(slug);
    }
    Ok(sessions
        .into_iter()
        .map(|session| {
            let topics = by_training.get(&session.training_id).cloned().unwrap_or_default();
            Candidate { session, topics }
        })
        .collect())
}
