//! Reads of validations: criteria, cases, their history. No GraphQL types.

use std::collections::HashMap;

use entity::{event, partner_country, validation, validation_criteria};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::{error::ApiError, graphql::relay::encode_uuid};

/// The criteria partners apply in `country`, by partner.
pub async fn criteria_in(db: &impl ConnectionTrait, country: &str) -> Result<Vec<validation_criteria::Model>, ApiError> {
    Ok(validation_criteria::Entity::find()
        .filter(validation_criteria::Column::CountryCode.eq(country))
        .order_by_asc(validation_criteria::Column::PartnerId)
        .all(db)
        .await?)
}

/// The criteria of one partner in one country.
pub async fn criteria(db: &impl ConnectionTrait, partner: Uuid, country: &str) -> Result<Option<validation_criteria::Model>, ApiError> {
    Ok(validation_criteria::Entity::find()
        .filter(validation_criteria::Column::PartnerId.eq(partner))
        .filter(validation_criteria::Column::CountryCode.eq(country))
        .one(db)
        .await?)
}

/// The partners that vet organizations in `country`: they serve it and have
/// criteria there; the oldest criteria first (the default reviewer).
pub async fn reviewers_in(db: &impl ConnectionTrait, country: &str) -> Result<Vec<validation_criteria::Model>, ApiError> {
    let served: Vec<Uuid> = partner_country::Entity::find()
        .filter(partner_country::Column::CountryCode.eq(country))
        .all(db)
        .await?
        .into_iter()
        .map(|row| row.partner_id)
        .collect();
    let mut criteria = criteria_in(db, country).await?;
    criteria.retain(|c| served.contains(&c.partner_id));
    criteria.sort_by_key(|c| (c.created_at, c.id));
    Ok(criteria)
}

/// Cases by id.
pub async fn by_ids(db: &impl ConnectionTrait, ids: &[Uuid]) -> Result<Vec<validation::Model>, ApiError> {
    Ok(validation::Entity::find().filter(crate::db::id_in(db, validation::Column::Id, ids)).all(db).await?)
}

/// One case.
pub async fn by_id(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<validation::Model>, ApiError> {
    Ok(validation::Entity::find_by_id(id).one(db).await?)
}

/// Every case of these organizations, newest first.
async fn newest_first(db: &impl ConnectionTrait, organizations: &[Uuid]) -> Result<Vec<validation::Model>, ApiError> {
    Ok(validation::Entity::find()
        .filter(validation::Column::OrganizationId.is_in(organizations.iter().copied()))
        .order_by_desc(validation::Column::CreatedAt)
        .order_by_desc(validation::Column::Id)
        .all(db)
        .await?)
}

/// The current (newest) case of each organization that has one.
pub async fn current_of(db: &impl ConnectionTrait, organizations: &[Uuid]) -> Result<HashMap<Uuid, validation::Model>, ApiError> {
    let mut current = HashMap::new();
    for row in newest_first(db, organizations).await? {
        current.entry(row.organization_id).or_insert(row);
    }
    Ok(current)
}

/// The case that stands for each organization at `now`: an approval not past
/// its end (while a renewal case is open, the approval still counts), else
/// the newest case. One statement.
pub async fn standing_of(
    db: &impl ConnectionTrait,
    organizations: &[Uuid],
    now: chrono::DateTime<chrono::Utc>,
) -> Result<HashMap<Uuid, validation::Model>, ApiError> {
    let mut standing: HashMap<Uuid, validation::Model> = HashMap::new();
    for row in newest_first(db, organizations).await? {
        let runs = row.status == entity::enums::ValidationStatus::Approved && row.valid_until.is_some_and(|t| t > now);
        match standing.get(&row.organization_id) {
            None => {
                standing.insert(row.organization_id, row);
            }
            Some(current) if runs && current.status != entity::enums::ValidationStatus::Approved => {
                standing.insert(row.organization_id, row);
            }
            Some(_) => {}
        }
    }
    Ok(standing)
}

/// The approval of each organization that lasts longest (APPROVED cases
/// only; whether its validity has ended is for the caller to compare with
/// its clock). One statement.
pub async fn approval_of(db: &impl ConnectionTrait, organizations: &[Uuid]) -> Result<HashMap<Uuid, validation::Model>, ApiError> {
    let rows = validation::Entity::find()
        .filter(validation::Column::OrganizationId.is_in(organizations.iter().copied()))
        .filter(validation::Column::Status.eq(entity::enums::ValidationStatus::Approved))
        .all(db)
        .await?;
    let mut approval: HashMap<Uuid, validation::Model> = HashMap::new();
    for row in rows {
        match approval.get(&row.organization_id) {
            Some(kept) if kept.valid_until >= row.valid_until => {}
            _ => {
                approval.insert(row.organization_id, row);
            }
        }
    }
    Ok(approval)
}

/// The steps of each case, oldest first: the events whose subject it is.
pub async fn history_of(db: &impl ConnectionTrait, cases: &[Uuid]) -> Result<HashMap<Uuid, Vec<event::Model>>, ApiError> {
    let subjects: HashMap<String, Uuid> = cases.iter().map(|id| (encode_uuid(super::types::Validation::KIND, *id).0, *id)).collect();
    let rows = event::Entity::find()
        .filter(event::Column::Subject.is_in(subjects.keys().cloned()))
        .order_by_asc(event::Column::OccurredAt)
        .order_by_asc(event::Column::Id)
        .all(db)
        .await?;
    let mut history: HashMap<Uuid, Vec<event::Model>> = HashMap::new();
    for row in rows {
        if let Some(id) = subjects.get(&row.subject) {
            history.entry(*id).or_default().push(row);
        }
    }
    Ok(history)
}

/// The organizations validated at `at` (an approval not past its end), as a
/// subquery for the organization list's filter.
pub fn validated_organizations(at: chrono::DateTime<chrono::Utc>) -> sea_orm::sea_query::SelectStatement {
    sea_orm::sea_query::Query::select()
        .column(validation::Column::OrganizationId)
        .from(validation::Entity)
        .and_where(validation::Column::Status.eq(entity::enums::ValidationStatus::Approved))
        .and_where(validation::Column::ValidUntil.gt(at))
        .to_owned()
}

/// The organizations whose current (newest) case is in `status`, as a
/// subquery for the organization list's filter.
pub fn organizations_whose_case_is(status: entity::enums::ValidationStatus) -> sea_orm::sea_query::SelectStatement {
    use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
    let (v, w) = (Alias::new("v"), Alias::new("w"));
    let newer = Query::select()
        .expr(Expr::val(1))
        .from_as(validation::Entity, w.clone())
        .and_where(Expr::col((w.clone(), validation::Column::OrganizationId)).equals((v.clone(), validation::Column::OrganizationId)))
        .and_where(
            Expr::col((w.clone(), validation::Column::CreatedAt)).gt(Expr::col((v.clone(), validation::Column::CreatedAt))).or(Expr::col(
                (w.clone(), validation::Column::CreatedAt),
            )
            .eq(Expr::col((v.clone(), validation::Column::CreatedAt)))
            .and(Expr::col((w, validation::Column::Id)).gt(Expr::col((v.clone(), validation::Column::Id))))),
        )
        .to_owned();
    Query::select()
        .column((v.clone(), validation::Column::OrganizationId))
        .from_as(validation::Entity, v.clone())
        .and_where(Expr::col((v, validation::Column::Status)).eq(sea_orm::ActiveEnum::to_value(&status)))
        .and_where(Expr::exists(newer).not())
        .to_owned()
}
