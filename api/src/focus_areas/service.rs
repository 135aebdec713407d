//! Reads of the focus-area taxonomy.

use std::collections::HashMap;

use entity::{focus_area, organization_focus_area};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::error::ApiError;

/// The whole taxonomy, by category then name.
pub async fn all(db: &impl ConnectionTrait) -> Result<Vec<focus_area::Model>, ApiError> {
    Ok(focus_area::Entity::find().order_by_asc(focus_area::Column::Category).order_by_asc(focus_area::Column::Name).all(db).await?)
}

/// Focus areas by id.
pub async fn by_ids(db: &impl ConnectionTrait, ids: &[Uuid]) -> Result<Vec<focus_area::Model>, ApiError> {
    Ok(focus_area::Entity::find().filter(crate::db::id_in(db, focus_area::Column::Id, ids)).all(db).await?)
}

/// Focus areas by slug.
pub async fn by_slugs(db: &impl ConnectionTrait, slugs: &[String]) -> Result<Vec<focus_area::Model>, ApiError> {
    Ok(focus_area::Entity::find().filter(focus_area::Column::Slug.is_in(slugs.iter().cloned())).all(db).await?)
}

/// The focus areas of each organization, in one statement.
pub async fn for_organizations(db: &impl ConnectionTrait, org_ids: &[Uuid]) -> Result<HashMap<Uuid, Vec<focus_area::Model>>, ApiError> {
    let rows = organization_focus_area::Entity::find()
        .find_also_related(focus_area::Entity)
        .filter(crate::db::id_in(db, organization_focus_area::Column::OrganizationId, org_ids))
        .order_by_asc(focus_area::Column::Name)
        .all(db)
        .await?;
    let mut map: HashMap<Uuid, Vec<focus_area::Model>> = HashMap::new();
    for (link, area) in rows {
        if let Some(area) = area {
            map.entry(link.organization_id).or_default().push(area);
        }
    }
    Ok(map)
}
