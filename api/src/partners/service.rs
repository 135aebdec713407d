//! Reads of partners.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate};
use entity::{enums::PartnerStatus, partner, partner_country};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, JoinType, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, RelationTrait, Select,
    Value,
    sea_query::{Expr, ExprTrait, LikeExpr},
};
use uuid::Uuid;

use crate::{
    domain::{CountryCode, text::like_pattern},
    error::ApiError,
    pagination::{Keyset, Page, PageRequest, paginate},
};

/// Filter of the partner list.
#[derive(Clone, Debug, Default)]
pub struct PartnerFilter {
    /// Only partners serving this country (ISO code, format-checked).
    pub country: Option<String>,
    /// Only partners in this status.
    pub status: Option<PartnerStatus>,
    /// Case-insensitive part of the name or slug.
    pub search: Option<String>,
    /// Include archived partners (excluded by default).
    pub include_archived: bool,
}

/// Sort orders of the partner list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PartnerOrderField {
    /// By name.
    Name,
    /// By the date they joined the network.
    JoinedOn,
    /// By creation time.
    CreatedAt,
}

/// Sort order.
#[derive(Clone, Copy, Debug)]
pub struct PartnerOrder {
    /// Field.
    pub field: PartnerOrderField,
    /// Ascending?
    pub ascending: bool,
}

impl Default for PartnerOrder {
    fn default() -> Self {
        Self { field: PartnerOrderField::Name, ascending: true }
    }
}

fn filtered(filter: &PartnerFilter) -> Result<Select<partner::Entity>, ApiError> {
    let mut select = partner::Entity::find();
    if !filter.include_archived && filter.status != Some(PartnerStatus::Archived) {
        select = select.filter(partner::Column::Status.ne(PartnerStatus::Archived));
    }
    if let Some(status) = filter.status {
        select = select.filter(partner::Column::Status.eq(status));
    }
    if let Some(country) = &filter.country {
        let code = CountryCode::parse(country).map_err(|e| ApiError::BadUserInput(e.to_string()))?;
        select = select
            .join(JoinType::InnerJoin, partner::Relation::PartnerCountry.def())
            .filter(partner_country::Column::CountryCode.eq(code.as_str()));
    }
    if let Some(search) = filter.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let pattern = like_pattern(search);
        select = select.filter(Expr::col(partner::Column::SearchText).like(LikeExpr::new(pattern).escape('\\')));
    }
    Ok(select)
}

/// One page of partners.
pub async fn list(
    db: &impl ConnectionTrait,
    filter: &PartnerFilter,
    order: PartnerOrder,
    page: &PageRequest,
) -> Result<Page<partner::Model>, ApiError> {
    let select = filtered(filter)?;
    let dir = if order.ascending { "asc" } else { "desc" };
    let (tag, sort) = match order.field {
        PartnerOrderField::Name => ("name", partner::Column::Name),
        PartnerOrderField::JoinedOn => ("joined", partner::Column::JoinedOn),
        PartnerOrderField::CreatedAt => ("created", partner::Column::CreatedAt),
    };
    let keyset = Keyset { tag: format!("partner:{tag}:{dir}"), sort, id: partner::Column::Id, ascending: order.ascending };
    match order.field {
        PartnerOrderField::Name => {
            paginate(db, select, &keyset, page, |m| (m.name.clone(), m.id), |k| Some(Value::from(k.to_owned()))).await
        }
        PartnerOrderField::JoinedOn => {
            let parse = |k: &str| NaiveDate::parse_from_str(k, "%Y-%m-%d").ok().map(Value::from);
            paginate(db, select, &keyset, page, |m| (m.joined_on.to_string(), m.id), parse).await
        }
        PartnerOrderField::CreatedAt => {
            let parse = |k: &str| DateTime::parse_from_rfc3339(k).ok().map(|t| Value::from(t.to_utc()));
            paginate(db, select, &keyset, page, |m| (m.created_at.to_rfc3339(), m.id), parse).await
        }
    }
}

/// Number of partners matching `filter`.
pub async fn count(db: &impl ConnectionTrait, filter: &PartnerFilter) -> Result<u64, ApiError> {
    Ok(filtered(filter)?.count(db).await?)
}

/// Partners by id (archived included).
pub async fn by_ids(db: &impl ConnectionTrait, ids: &[Uuid]) -> Result<Vec<partner::Model>, ApiError> {
    Ok(partner::Entity::find().filter(crate::db::id_in(db, partner::Column::Id, ids)).all(db).await?)
}

/// A partner by slug (archived included).
pub async fn by_slug(db: &impl ConnectionTrait, slug: &str) -> Result<Option<partner::Model>, ApiError> {
    Ok(partner::Entity::find().filter(partner::Column::Slug.eq(slug.trim().to_lowercase())).one(db).await?)
}

/// The country codes each partner serves, in one statement.
pub async fn countries_of(db: &impl ConnectionTrait, partner_ids: &[Uuid]) -> Result<HashMap<Uuid, Vec<String>>, ApiError> {
    let rows = partner_country::Entity::find()
        .filter(crate::db::id_in(db, partner_country::Column::PartnerId, partner_ids))
        .order_by_asc(partner_country::Column::CountryCode)
        .all(db)
        .await?;
    let mut map: HashMap<Uuid, Vec<String>> = HashMap::new();
    for row in rows {
        map.entry(row.partner_id).or_default().push(row.country_code);
    }
    Ok(map)
}

/// The partners (not archived) serving each country, oldest member first, in one statement.
pub async fn serving(db: &impl ConnectionTrait, codes: &[String]) -> Result<HashMap<String, Vec<partner::Model>>, ApiError> {
    let rows = partner_country::Entity::find()
        .find_also_related(partner::Entity)
        .filter(partner_country::Column::CountryCode.is_in(codes.iter().cloned()))
        .filter(partner::Column::Status.ne(PartnerStatus::Archived))
        .order_by_asc(partner::Column::JoinedOn)
        .order_by_asc(partner::Column::Id)
        .all(db)
        .await?;
    let mut map: HashMap<String, Vec<partner::Model>> = HashMap::new();
    for (link, partner) in rows {
        if let Some(partner) = partner {
            map.entry(link.country_code).or_default().push(partner);
        }
    }
    Ok(map)
}
