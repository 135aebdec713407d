//! Possible duplicates: organizations of the same country sharing a registration
//! identifier (kind and number). Registration numbers are not unique, because
//! refusing one told any caller that an organization they may not see holds it;
//! the people who may see both (partner staff of the country, platform admins)
//! review these pairs instead. Who may ask is decided by
//! [`crate::auth::Policy::may_review_duplicates`].

use std::collections::HashMap;

use entity::{organization, organization_registration as registration};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    sea_query::{Alias, Expr, ExprTrait, JoinType, Query},
};
use uuid::Uuid;

use super::service::scope_condition;
use crate::{auth::OrgScope, error::ApiError};

/// Pairs `(organization, other organization)` sharing a registration, for each
/// of `org_ids`, in one statement (served by the index on country, kind, number).
async fn sharing_pairs(db: &impl ConnectionTrait, org_ids: &[Uuid]) -> Result<Vec<(Uuid, Uuid)>, ApiError> {
    let (mine, theirs) = (Alias::new("mine"), Alias::new("theirs"));
    let same = |col: registration::Column| Expr::col((theirs.clone(), col)).equals((mine.clone(), col));
    let on = Condition::all()
        .add(same(registration::Column::CountryCode))
        .add(same(registration::Column::Kind))
        .add(same(registration::Column::Number))
        .add(
            Expr::col((theirs.clone(), registration::Column::OrganizationId))
                .ne(Expr::col((mine.clone(), registration::Column::OrganizationId))),
        );
    let statement = Query::select()
        .distinct()
        .expr_as(Expr::col((mine.clone(), registration::Column::OrganizationId)), Alias::new("org"))
        .expr_as(Expr::col((theirs.clone(), registration::Column::OrganizationId)), Alias::new("other"))
        .from_as(registration::Entity, mine.clone())
        .join_as(JoinType::InnerJoin, registration::Entity, theirs.clone(), on)
        .and_where(Expr::col((mine.clone(), registration::Column::OrganizationId)).is_in(org_ids.iter().copied()))
        .to_owned();
    let rows = db.query_all(&statement).await?;
    let mut pairs = Vec::with_capacity(rows.len());
    for row in rows {
        pairs.push((row.try_get::<Uuid>("", "org")?, row.try_get::<Uuid>("", "other")?));
    }
    Ok(pairs)
}

/// The possible duplicates of each of `org_ids` that `scope` lets the reader
/// see, archived ones left out, by name: two statements whatever the number of ids.
pub async fn possible_duplicates(
    db: &impl ConnectionTrait,
    scope: &OrgScope,
    org_ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<organization::Model>>, ApiError> {
    let mut out: HashMap<Uuid, Vec<organization::Model>> = org_ids.iter().map(|id| (*id, Vec::new())).collect();
    if org_ids.is_empty() {
        return Ok(out);
    }
    let pairs = sharing_pairs(db, org_ids).await?;
    if pairs.is_empty() {
        return Ok(out);
    }
    let mut others: Vec<Uuid> = pairs.iter().map(|(_, other)| *other).collect();
    others.sort_unstable();
    others.dedup();
    let visible: HashMap<Uuid, organization::Model> = organization::Entity::find()
        .filter(scope_condition(scope))
        .filter(organization::Column::ArchivedAt.is_null())
        .filter(organization::Column::Id.is_in(others))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id, m))
        .collect();
    for (org, other) in pairs {
        if let (Some(model), Some(list)) = (visible.get(&other), out.get_mut(&org))
            && !list.iter().any(|m| m.id == other)
        {
            list.push(model.clone());
        }
    }
    for list in out.values_mut() {
        list.sort_by(|a, b| (&a.display_name, a.id).cmp(&(&b.display_name, b.id)));
    }
    Ok(out)
}
