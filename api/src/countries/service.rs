//! Rules of the country list.

use std::collections::HashSet;

use entity::{enums::PartnerStatus, partner, partner_country};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, JoinType, QueryFilter, QuerySelect, RelationTrait};

use crate::{domain::CountryCode, error::ApiError};

/// Filter of the country list.
#[derive(Clone, Debug, Default)]
pub struct CountryFilter {
    /// Only countries served (true) or not served (false) by an active partner.
    pub served: Option<bool>,
    /// Case-insensitive substring of the name or code.
    pub search: Option<String>,
}

/// Countries matching `filter`, ordered by code.
pub async fn list(db: &impl ConnectionTrait, filter: &CountryFilter) -> Result<Vec<CountryCode>, ApiError> {
    let served = match filter.served {
        Some(_) => Some(served_codes(db).await?),
        None => None,
    };
    let needle = filter.search.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_lowercase);
    Ok(CountryCode::all()
        .into_iter()
        .filter(|c| match (&served, filter.served) {
            (Some(set), Some(want)) => set.contains(c.as_str()) == want,
            _ => true,
        })
        .filter(|c| needle.as_ref().is_none_or(|n| c.name().to_lowercase().contains(n) || c.as_str().eq_ignore_ascii_case(n)))
        .collect())
}

/// Codes of the countries served by at least one partner that is not archived.
pub async fn served_codes(db: &impl ConnectionTrait) -> Result<HashSet<String>, ApiError> {
    let codes: Vec<String> = partner_country::Entity::find()
        .select_only()
        .column(partner_country::Column::CountryCode)
        .distinct()
        .join(JoinType::InnerJoin, partner_country::Relation::Partner.def())
        .filter(partner::Column::Status.ne(PartnerStatus::Archived))
        .into_tuple()
        .all(db)
        .await?;
    Ok(codes.into_iter().collect())
}
