//! Reads of programs: the catalogue, texts and countries of programs, and the
//! facts the eligibility engine decides on. No GraphQL types.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{
    donation_request,
    enums::{DonationRequestStatus, ProgramCategory, ValidationStatus},
    organization, program, program_country, program_text,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Select,
    sea_query::{Expr, ExprTrait, LikeExpr, Query},
};
use uuid::Uuid;

use super::{
    catalogue::ProgramOrder,
    eligibility::{Budget, Eligibility, Facts, Standing, cap_window, decide},
};
use crate::{
    domain::text::like_pattern,
    error::ApiError,
    pagination::{Keyset, Page, PageRequest, paginate},
};

/// Which programs of the catalogue.
#[derive(Clone, Debug, Default)]
pub struct CatalogueFilter {
    /// Available in this country.
    pub country: Option<String>,
    /// Of this category.
    pub category: Option<ProgramCategory>,
    /// Of this donor.
    pub donor: Option<Uuid>,
    /// Whose name or description, in any language, contains this text
    /// (case- and accent-insensitive).
    pub search: Option<String>,
    /// Only these programs (the ones an organization is eligible for, as
    /// [`super::catalogue::eligible_programs`] found them).
    pub only: Option<Vec<Uuid>>,
}

/// The catalogue's live programs that `filter` matches.
pub(super) fn filtered(filter: &CatalogueFilter) -> Select<program::Entity> {
    let mut select = program::Entity::find().filter(program::Column::ArchivedAt.is_null());
    if let Some(country) = &filter.country {
        select = select.filter(
            program::Column::Id.in_subquery(
                Query::select()
                    .column(program_country::Column::ProgramId)
                    .from(program_country::Entity)
                    .and_where(Expr::col(program_country::Column::CountryCode).eq(country.as_str()))
                    .to_owned(),
            ),
        );
    }
    if let Some(category) = filter.category {
        select = select.filter(program::Column::Category.eq(category));
    }
    if let Some(donor) = filter.donor {
        select = select.filter(program::Column::DonorId.eq(donor));
    }
    if let Some(search) = filter.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        select = select.filter(
            program::Column::Id.in_subquery(
                Query::select()
                    .column(program_text::Column::ProgramId)
                    .from(program_text::Entity)
                    .and_where(Expr::col(program_text::Column::SearchText).like(LikeExpr::new(like_pattern(search)).escape('\\')))
                    .to_owned(),
            ),
        );
    }
    if let Some(ids) = &filter.only {
        select = select.filter(program::Column::Id.is_in(ids.iter().copied()));
    }
    select
}

/// One page of the catalogue in `order`.
pub async fn page(
    db: &impl ConnectionTrait,
    filter: &CatalogueFilter,
    order: ProgramOrder,
    request: &PageRequest,
) -> Result<Page<program::Model>, ApiError> {
    let keyset = Keyset { tag: order.tag(), sort: order.sort_column(), id: program::Column::Id, ascending: order.ascending };
    let key_of = |m: &program::Model| (order.sort_key(m), m.id);
    paginate(db, filtered(filter), &keyset, request, key_of, |k| order.value_of(k)).await
}

/// How many programs the filter matches.
pub async fn count(db: &impl ConnectionTrait, filter: &CatalogueFilter) -> Result<u64, ApiError> {
    Ok(filtered(filter).count(db).await?)
}

/// Programs by id (archived ones too).
pub async fn by_ids(db: &impl ConnectionTrait, ids: &[Uuid]) -> Result<HashMap<Uuid, program::Model>, ApiError> {
    let rows = program::Entity::find().filter(crate::db::id_in(db, program::Column::Id, ids)).all(db).await?;
    Ok(rows.into_iter().map(|m| (m.id, m)).collect())
}

/// A program's name and description in one language: what readers of the
/// program need (not its search text).
#[derive(Clone, Debug, FromQueryResult)]
pub struct Text {
    /// The program.
    pub program_id: Uuid,
    /// BCP 47 tag.
    pub language: String,
    /// Name in that language.
    pub name: String,
    /// Description in that language.
    pub description: String,
}

/// The texts of each program, by language.
pub async fn texts_of(db: &impl ConnectionTrait, ids: &[Uuid]) -> Result<HashMap<Uuid, Vec<Text>>, ApiError> {
    let rows = program_text::Entity::find()
        .select_only()
        .columns([
            program_text::Column::ProgramId,
            program_text::Column::Language,
            program_text::Column::Name,
            program_text::Column::Description,
        ])
        .filter(crate::db::id_in(db, program_text::Column::ProgramId, ids))
        .order_by_asc(program_text::Column::Language)
        .into_model::<Text>()
        .all(db)
        .await?;
    let mut out: HashMap<Uuid, Vec<Text>> = HashMap::new();
    for row in rows {
        out.entry(row.program_id).or_default().push(row);
    }
    Ok(out)
}

/// The countries of each program, sorted.
pub async fn countries_of(db: &impl ConnectionTrait, ids: &[Uuid]) -> Result<HashMap<Uuid, Vec<String>>, ApiError> {
    let rows = program_country::Entity::find()
        .filter(crate::db::id_in(db, program_country::Column::ProgramId, ids))
        .order_by_asc(program_country::Column::CountryCode)
        .all(db)
        .await?;
    let mut out: HashMap<Uuid, Vec<String>> = HashMap::new();
    for row in rows {
        out.entry(row.program_id).or_default().push(row.country_code);
    }
    Ok(out)
}

/// The text to show in `language`: that language, else its primary subtag
/// (`pt` for `pt-BR`), else English, else the first.
pub fn text_in<'a>(texts: &'a [Text], language: Option<&str>) -> Option<&'a Text> {
    let wanted = language.map(str::to_ascii_lowercase);
    let primary = wanted.as_deref().and_then(|w| w.split('-').next()).map(str::to_owned);
    let find = |tag: &str| texts.iter().find(|t| t.language.eq_ignore_ascii_case(tag));
    wanted
        .as_deref()
        .and_then(find)
        .or_else(|| {
            primary.as_deref().and_then(|p| texts.iter().find(|t| t.language.split('-').next().is_some_and(|l| l.eq_ignore_ascii_case(p))))
        })
        .or_else(|| find("en"))
        .or_else(|| texts.first())
}

/// How an organization's validation stands for eligibility.
pub async fn standing(db: &impl ConnectionTrait, organization: Uuid, now: DateTime<Utc>) -> Result<Standing, ApiError> {
    Ok(standings(db, &[organization], now).await?.remove(&organization).unwrap_or(Standing::NotValidated))
}

/// How each organization's validation stands for eligibility (one statement).
pub async fn standings(db: &impl ConnectionTrait, organizations: &[Uuid], now: DateTime<Utc>) -> Result<HashMap<Uuid, Standing>, ApiError> {
    let cases = crate::validations::service::standing_of(db, organizations, now).await?;
    Ok(organizations
        .iter()
        .map(|id| {
            let standing = match cases.get(id) {
                Some(case) if case.status == ValidationStatus::Approved && case.valid_until.is_some_and(|t| t > now) => Standing::Validated,
                Some(case) if matches!(case.status, ValidationStatus::Approved | ValidationStatus::Expired) => Standing::Lapsed,
                _ => Standing::NotValidated,
            };
            (*id, standing)
        })
        .collect())
}

/// Units approved for `organization` from `program` in the cap's `window`
/// (approved or fulfilled), and the oldest of those approvals.
pub async fn units_since(
    db: &impl ConnectionTrait,
    program: Uuid,
    organization: Uuid,
    window: super::eligibility::Window,
) -> Result<(i64, Option<DateTime<Utc>>), ApiError> {
    let since = if window.next.is_none() {
        donation_request::Column::ApprovedAt.gt(window.from)
    } else {
        donation_request::Column::ApprovedAt.gte(window.from)
    };
    let rows: Vec<(i32, Option<DateTime<Utc>>)> = donation_request::Entity::find()
        .select_only()
        .column(donation_request::Column::Quantity)
        .column(donation_request::Column::ApprovedAt)
        .filter(donation_request::Column::ProgramId.eq(program))
        .filter(donation_request::Column::OrganizationId.eq(organization))
        .filter(donation_request::Column::Status.is_in([DonationRequestStatus::Approved, DonationRequestStatus::Fulfilled]))
        .filter(since)
        .into_tuple()
        .all(db)
        .await?;
    let units = rows.iter().map(|(q, _)| i64::from(*q)).sum();
    let oldest = rows.iter().filter_map(|(_, t)| *t).min();
    Ok((units, oldest))
}

/// The eligibility of an organization (already known visible to the caller)
/// for a program at `now`: the facts gathered, then the one engine.
pub async fn eligibility(
    db: &impl ConnectionTrait,
    program: &program::Model,
    organization: &organization::Model,
    now: DateTime<Utc>,
) -> Result<Eligibility, ApiError> {
    let countries = countries_of(db, &[program.id]).await?.remove(&program.id).unwrap_or_default();
    let standing = standing(db, organization.id, now).await?;
    let (units_in_window, oldest_in_window) = match cap_window(program, now) {
        Some(window) => units_since(db, program.id, organization.id, window).await?,
        None => (0, None),
    };
    let budget = match (organization.budget_amount, &organization.budget_currency) {
        (Some(amount), Some(currency)) => Some(Budget { amount, currency: currency.clone() }),
        _ => None,
    };
    let organization_type = sea_orm::ActiveEnum::to_value(&organization.org_type);
    Ok(decide(&Facts {
        program,
        program_countries: &countries,
        country: &organization.country_code,
        organization_type: &organization_type,
        budget,
        standing,
        units_in_window,
        oldest_in_window,
        now,
    }))
}
