//! Reads and rules of the needs map; no GraphQL types.

use std::collections::HashMap;

use entity::{
    enums::{NeedCategory, TechnologyLevel},
    organization, organization_challenge as challenge,
};
use sea_orm::{
    ActiveEnum, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QueryOrder, QuerySelect, TransactionSession,
    TransactionTrait,
    sea_query::{Expr, Func},
};
use uuid::Uuid;

use crate::{
    clock::Clock,
    domain::text,
    error::ApiError,
    events::{Actor, DomainEvent, Written, record},
    user_errors::{Errors, UserErrorCode, WriteError, text_code},
};

/// Most challenges an organization lists.
pub const MAX_CHALLENGES: usize = 20;
/// Longest title of a challenge, in characters.
pub const MAX_TITLE_CHARS: usize = 200;
/// Urgency runs from 1 (can wait) to this (now).
pub const MAX_URGENCY: i32 = 5;

/// One challenge as its organization writes it.
#[derive(Clone, Debug)]
pub struct ChallengeInput {
    /// In a few words.
    pub title: String,
    /// What kind of need.
    pub category: NeedCategory,
    /// 1 to 5.
    pub urgency: i32,
    /// The technology it takes.
    pub technology_level: TechnologyLevel,
}

/// The challenges of each organization, in rank order, in one statement.
pub async fn challenges_of(db: &impl ConnectionTrait, organizations: &[Uuid]) -> Result<HashMap<Uuid, Vec<challenge::Model>>, ApiError> {
    let rows = challenge::Entity::find()
        .filter(crate::db::id_in(db, challenge::Column::OrganizationId, organizations))
        .order_by_asc(challenge::Column::OrganizationId)
        .order_by_asc(challenge::Column::Position)
        .all(db)
        .await?;
    let mut out: HashMap<Uuid, Vec<challenge::Model>> = HashMap::new();
    for row in rows {
        out.entry(row.organization_id).or_default().push(row);
    }
    Ok(out)
}

/// Replaces `organization`'s ranked list with `list` (first: most pressing)
/// in one transaction, recording `organization.challenges_set`. Every
/// problem of the input is reported at once and nothing is written.
/// The caller was authorized (`Policy::authorize_challenges`).
pub async fn set<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    clock: &Clock,
    actor: &Actor,
    organization: &organization::Model,
    list: Vec<ChallengeInput>,
) -> Result<Written<Vec<challenge::Model>>, WriteError> {
    let mut errors = Errors::default();
    if organization.archived_at.is_some() {
        errors.add(&["organization"], UserErrorCode::Archived, "the organization is archived");
    }
    if list.len() > MAX_CHALLENGES {
        errors.add(&["challenges"], UserErrorCode::TooMany, format!("at most {MAX_CHALLENGES} challenges: keep the most pressing"));
    }
    let mut titles: Vec<Option<String>> = Vec::with_capacity(list.len());
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (at, item) in list.iter().enumerate() {
        let index = at.to_string();
        let title = errors.check(&["challenges", &index, "title"], text::required_line(&item.title, MAX_TITLE_CHARS), text_code);
        if let Some(title) = &title
            && let Some(first) = seen.insert(title.to_lowercase(), at)
        {
            errors.add(&["challenges", &index, "title"], UserErrorCode::Duplicate, format!("the same challenge as number {}", first + 1));
        }
        if !(1..=MAX_URGENCY).contains(&item.urgency) {
            errors.add(&["challenges", &index, "urgency"], UserErrorCode::OutOfRange, format!("urgency runs from 1 to {MAX_URGENCY}"));
        }
        titles.push(title);
    }
    errors.ok()?;
    let now = clock.now();
    let txn = db.begin().await?;
    // Writers of one organization's list take turns: this no-op update locks
    // its row until the commit (on SQLite the transaction becomes the one
    // writer), so two lists saved at once never collide on a rank.
    organization::Entity::update_many()
        .col_expr(organization::Column::UpdatedAt, Expr::col(organization::Column::UpdatedAt))
        .filter(organization::Column::Id.eq(organization.id))
        .exec(&txn)
        .await?;
    challenge::Entity::delete_many().filter(challenge::Column::OrganizationId.eq(organization.id)).exec(&txn).await?;
    let saved: Vec<challenge::Model> = list
        .iter()
        .zip(titles)
        .enumerate()
        .map(|(at, (item, title))| challenge::Model {
            id: Uuid::now_v7(),
            organization_id: organization.id,
            position: i32::try_from(at + 1).unwrap_or(i32::MAX),
            title: title.unwrap_or_default(),
            category: item.category,
            urgency: item.urgency,
            technology_level: item.technology_level,
            created_at: now,
        })
        .collect();
    if !saved.is_empty() {
        challenge::Entity::insert_many(saved.iter().cloned().map(challenge::ActiveModel::from)).exec(&txn).await?;
    }
    let event = DomainEvent::OrganizationChallengesSet {
        organization: organization.id,
        country: organization.country_code.clone(),
        challenges: u32::try_from(saved.len()).unwrap_or(u32::MAX),
    };
    let events = vec![record(&txn, clock, actor, &event).await?];
    txn.commit().await?;
    Ok(Written::new(saved, events))
}

/// One cell of a country's needs map, before suppression.
#[derive(Clone, Debug, PartialEq, Eq, FromQueryResult)]
pub struct Cell {
    /// The challenges' category.
    pub category: NeedCategory,
    /// Their urgency.
    pub urgency: i32,
    /// The technology they take.
    pub technology_level: TechnologyLevel,
    /// Distinct organizations with such a challenge.
    pub organizations: i64,
    /// Challenges counted.
    pub challenges: i64,
}

/// Every cell (category × urgency × technology level) of the challenges of
/// `country`'s organizations (archived ones left out), in one grouped
/// statement, ordered by category, urgency (most urgent first), then level
/// (LOW first).
pub async fn map(db: &impl ConnectionTrait, country: &str) -> Result<Vec<Cell>, ApiError> {
    let bigint = |e: Expr| -> Expr { Func::cast_as(e, sea_orm::sea_query::Alias::new("BIGINT")).into() };
    let rows = challenge::Entity::find()
        .select_only()
        .column(challenge::Column::Category)
        .column(challenge::Column::Urgency)
        .column(challenge::Column::TechnologyLevel)
        .expr_as(bigint(Func::count_distinct(Expr::col((challenge::Entity, challenge::Column::OrganizationId))).into()), "organizations")
        .expr_as(bigint(Func::count(Expr::col((challenge::Entity, challenge::Column::Id))).into()), "challenges")
        .inner_join(organization::Entity)
        .filter(organization::Column::CountryCode.eq(country))
        .filter(organization::Column::ArchivedAt.is_null())
        .group_by(challenge::Column::Category)
        .group_by(challenge::Column::Urgency)
        .group_by(challenge::Column::TechnologyLevel)
        .into_model::<Cell>()
        .all(db)
        .await?;
    let mut rows = rows;
    rows.sort_by_key(|c| (c.category.to_value(), std::cmp::Reverse(c.urgency), c.technology_level));
    Ok(rows)
}
