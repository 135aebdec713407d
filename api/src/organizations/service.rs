//! Reads of organizations. Every read takes the caller's [`OrgScope`]: an
//! organization outside it is invisible on every path (lists, counts, by id).

use std::collections::HashMap;

use chrono::DateTime;
use entity::{
    enums::{OrganizationType, Visibility},
    focus_area, organization, organization_focus_area, organization_registration,
};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Select, Value,
    sea_query::{Expr, ExprTrait, LikeExpr, Query},
};
use uuid::Uuid;

use crate::{
    auth::OrgScope,
    domain::{CountryCode, text::like_pattern},
    error::ApiError,
    pagination::{Keyset, Page, PageRequest, paginate},
};

/// How registration numbers are stored (trimmed, upper case, no inner spaces):
/// lookups by number match them the same way.
pub use super::validate::normalize_number;

/// Filter of the organization list.
#[derive(Clone, Debug, Default)]
pub struct OrganizationFilter {
    /// Only this country (ISO code, format-checked).
    pub country: Option<String>,
    /// Only within these countries (e.g. a partner's).
    pub within_countries: Option<Vec<String>>,
    /// Only this type.
    pub org_type: Option<OrganizationType>,
    /// Only organizations working on this focus area (slug).
    pub focus_area: Option<String>,
    /// Case-insensitive part of the names or mission.
    pub search: Option<String>,
    /// Only this visibility (within the caller's scope).
    pub visibility: Option<Visibility>,
    /// Include archived organizations.
    pub include_archived: bool,
    /// Only organizations validated (an approval not past its end at the
    /// given time) or, with false, not validated.
    pub validated: Option<(bool, chrono::DateTime<chrono::Utc>)>,
    /// Only organizations whose current (newest) validation case is in this
    /// status; with countries, only in those (where the caller reads cases).
    pub validation_status: Option<(entity::enums::ValidationStatus, Option<Vec<String>>)>,
}

/// Sort fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OrganizationOrderField {
    /// Display name.
    Name,
    /// Creation time.
    CreatedAt,
    /// Last update time.
    UpdatedAt,
}

/// Sort order.
#[derive(Clone, Copy, Debug)]
pub struct OrganizationOrder {
    /// Field.
    pub field: OrganizationOrderField,
    /// Ascending?
    pub ascending: bool,
}

impl OrganizationOrder {
    /// The ordering's tag in cursors, e.g. `org:name:asc`.
    pub fn tag(&self) -> String {
        let field = match self.field {
            OrganizationOrderField::Name => "name",
            OrganizationOrderField::CreatedAt => "created",
            OrganizationOrderField::UpdatedAt => "updated",
        };
        format!("org:{field}:{}", if self.ascending { "asc" } else { "desc" })
    }

    /// The sort column (the id breaks ties).
    pub fn sort_column(&self) -> organization::Column {
        match self.field {
            OrganizationOrderField::Name => organization::Column::DisplayName,
            OrganizationOrderField::CreatedAt => organization::Column::CreatedAt,
            OrganizationOrderField::UpdatedAt => organization::Column::UpdatedAt,
        }
    }

    /// A row's sort key as cursor text.
    pub fn sort_key(&self, m: &organization::Model) -> String {
        match self.field {
            OrganizationOrderField::Name => m.display_name.clone(),
            OrganizationOrderField::CreatedAt => m.created_at.to_rfc3339(),
            OrganizationOrderField::UpdatedAt => m.updated_at.to_rfc3339(),
        }
    }
}

impl Default for OrganizationOrder {
    fn default() -> Self {
        Self { field: OrganizationOrderField::Name, ascending: true }
    }
}

/// The scope as a SQL condition.
pub fn scope_condition(scope: &OrgScope) -> Condition {
    if scope.all {
        return Condition::all();
    }
    let mut any = Condition::any();
    if !scope.visibilities.is_empty() {
        any = any.add(organization::Column::Visibility.is_in(scope.visibilities.iter().copied()));
    }
    if !scope.organization_ids.is_empty() {
        any = any.add(organization::Column::Id.is_in(scope.organization_ids.iter().copied()));
    }
    if !scope.countries.is_empty() {
        any = any.add(organization::Column::CountryCode.is_in(scope.countries.iter().cloned()));
    }
    // An empty `any` matches nothing, as an empty scope should.
    any
}

pub(super) async fn filtered(
    db: &impl ConnectionTrait,
    scope: &OrgScope,
    filter: &OrganizationFilter,
) -> Result<Select<organization::Entity>, ApiError> {
    let mut select = organization::Entity::find().filter(scope_condition(scope));
    if !filter.include_archived {
        select = select.filter(organization::Column::ArchivedAt.is_null());
    }
    if let Some(country) = &filter.country {
        let code = CountryCode::parse(country).map_err(|e| ApiError::BadUserInput(e.to_string()))?;
        select = select.filter(organization::Column::CountryCode.eq(code.as_str()));
    }
    if let Some(codes) = &filter.within_countries {
        select = select.filter(organization::Column::CountryCode.is_in(codes.iter().cloned()));
    }
    if let Some(t) = filter.org_type {
        select = select.filter(organization::Column::OrgType.eq(t));
    }
    if let Some(v) = filter.visibility {
        select = select.filter(organization::Column::Visibility.eq(v));
    }
    if let Some(slug) = &filter.focus_area {
        let area = focus_area::Entity::find().filter(focus_area::Column::Slug.eq(slug.trim())).one(db).await?.ok_or_else(|| {
            ApiError::BadUserInput(format!("`{}` is not a focus area; see `focusAreas`", slug.chars().take(60).collect::<String>()))
        })?;
        select = select.filter(
            organization::Column::Id.in_subquery(
                Query::select()
                    .column(organization_focus_area::Column::OrganizationId)
                    .from(organization_focus_area::Entity)
                    .and_where(organization_focus_area::Column::FocusAreaId.eq(area.id))
                    .to_owned(),
            ),
        );
    }
    if let Some(search) = filter.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let pattern = like_pattern(search);
        select = select.filter(Expr::col(organization::Column::SearchText).like(LikeExpr::new(pattern).escape('\\')));
    }
    if let Some((validated, at)) = filter.validated {
        let approved = crate::validations::service::validated_organizations(at);
        select = select.filter(if validated {
            organization::Column::Id.in_subquery(approved)
        } else {
            organization::Column::Id.not_in_subquery(approved)
        });
    }
    if let Some((status, countries)) = &filter.validation_status {
        select = select.filter(organization::Column::Id.in_subquery(crate::validations::service::organizations_whose_case_is(*status)));
        if let Some(codes) = countries {
            select = select.filter(organization::Column::CountryCode.is_in(codes.iter().cloned()));
        }
    }
    Ok(select)
}

/// One page of organizations.
pub async fn list(
    db: &impl ConnectionTrait,
    scope: &OrgScope,
    filter: &OrganizationFilter,
    order: OrganizationOrder,
    page: &PageRequest,
) -> Result<Page<organization::Model>, ApiError> {
    let select = filtered(db, scope, filter).await?;
    let keyset = Keyset { tag: order.tag(), sort: order.sort_column(), id: organization::Column::Id, ascending: order.ascending };
    let value_of = |k: &str| match order.field {
        OrganizationOrderField::Name => Some(Value::from(k.to_owned())),
        OrganizationOrderField::CreatedAt | OrganizationOrderField::UpdatedAt => {
            DateTime::parse_from_rfc3339(k).ok().map(|t| Value::from(t.to_utc()))
        }
    };
    paginate(db, select, &keyset, page, |m| (order.sort_key(m), m.id), value_of).await
}

/// Number of organizations matching `filter` in `scope`: `COUNT(id)` over the
/// filter alone (not a count of a `SELECT *` subquery), which the list indexes
/// answer without reading the rows.
pub async fn count(db: &impl ConnectionTrait, scope: &OrgScope, filter: &OrganizationFilter) -> Result<u64, ApiError> {
    let n: Option<i64> =
        filtered(db, scope, filter).await?.select_only().column_as(organization::Column::Id.count(), "n").into_tuple().one(db).await?;
    Ok(n.and_then(|n| u64::try_from(n).ok()).unwrap_or(0))
}

/// Organizations by id, within `scope` (archived included).
pub async fn by_ids(db: &impl ConnectionTrait, scope: &OrgScope, ids: &[Uuid]) -> Result<Vec<organization::Model>, ApiError> {
    Ok(organization::Entity::find()
        .filter(scope_condition(scope))
        .filter(crate::db::id_in(db, organization::Column::Id, ids))
        .all(db)
        .await?)
}

/// Numbers of organizations (not archived, within `scope`) per country, in one statement.
pub async fn count_by_country(db: &impl ConnectionTrait, scope: &OrgScope, codes: &[String]) -> Result<HashMap<String, u64>, ApiError> {
    let rows: Vec<(String, i64)> = organization::Entity::find()
        .select_only()
        .column(organization::Column::CountryCode)
        .column_as(organization::Column::Id.count(), "n")
        .filter(scope_condition(scope))
        .filter(organization::Column::ArchivedAt.is_null())
        .filter(organization::Column::CountryCode.is_in(codes.iter().cloned()))
        .group_by(organization::Column::CountryCode)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|(code, n)| (code, u64::try_from(n).unwrap_or(0))).collect())
}

/// Registration identifiers of each organization, in one statement.
pub async fn registrations_of(
    db: &impl ConnectionTrait,
    org_ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<organization_registration::Model>>, ApiError> {
    let rows = organization_registration::Entity::find()
        .filter(crate::db::id_in(db, organization_registration::Column::OrganizationId, org_ids))
        .order_by_asc(organization_registration::Column::Position)
        .all(db)
        .await?;
    let mut map: HashMap<Uuid, Vec<organization_registration::Model>> = HashMap::new();
    for row in rows {
        map.entry(row.organization_id).or_default().push(row);
    }
    Ok(map)
}

/// The contact details of an organization, for a reader the policy allowed.
/// Every read of a hidden organization's contact details is written to the audit log.
pub async fn read_contact(
    db: &impl ConnectionTrait,
    clock: &crate::clock::Clock,
    org: &organization::Model,
    reader: Option<Uuid>,
) -> Result<(Option<String>, Option<String>, Option<String>), ApiError> {
    if org.visibility == Visibility::Hidden {
        let entry = crate::audit::service::AuditEntry::HiddenContactRead { organization: org.id };
        crate::audit::service::record(db, clock, reader, entry).await?;
    }
    Ok((org.contact_email.clone(), org.contact_phone.clone(), org.contact_address.clone()))
}
