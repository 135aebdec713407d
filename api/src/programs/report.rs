//! The impact report: what the network delivered, grouped by the dimensions a
//! caller asks for. It counts FULFILLED requests (in the year of their
//! fulfilment): units, requests, distinct organizations served, and the
//! retail value delivered and admin fees collected per currency (never summed
//! across currencies). Two grouped statements whatever the data's size; the
//! policy then suppresses groups that could single out an organization the
//! caller may not see ([`Policy::suppressed_groups`]).

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use entity::{
    donation_request,
    enums::{DonationRequestStatus, ProgramCategory},
    organization, program,
};
use sea_orm::{
    ActiveEnum, ConnectionTrait, DbBackend, QueryResult,
    sea_query::{Alias, Condition, Expr, ExprTrait, Func, NullOrdering, Order, Query, SelectStatement, SimpleExpr},
};
use uuid::Uuid;

use crate::{
    auth::{GroupFacts, OrgScope, Policy},
    error::ApiError,
};

/// Most groups a report answers: beyond, the caller narrows the filter or groups by less.
pub const MAX_GROUPS: usize = 2_000;

/// What a report groups by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Dimension {
    /// The organization's country.
    Country,
    /// The program's donor.
    Donor,
    /// The program.
    Program,
    /// The program's category.
    Category,
    /// The year (UTC) of the fulfilment.
    Year,
    /// The partner that vetted the organization when it asked.
    Partner,
}

impl Dimension {
    fn alias(self) -> &'static str {
        match self {
            Self::Country => "g_country",
            Self::Donor => "g_donor",
            Self::Program => "g_program",
            Self::Category => "g_category",
            Self::Year => "g_year",
            Self::Partner => "g_partner",
        }
    }

    fn expr(self, backend: DbBackend) -> SimpleExpr {
        let fulfilled = Expr::col((donation_request::Entity, donation_request::Column::FulfilledAt));
        match self {
            Self::Country => Expr::col((organization::Entity, organization::Column::CountryCode)),
            Self::Donor => Expr::col((program::Entity, program::Column::DonorId)),
            Self::Program => Expr::col((program::Entity, program::Column::Id)),
            Self::Category => Expr::col((program::Entity, program::Column::Category)),
            Self::Partner => Expr::col((donation_request::Entity, donation_request::Column::PartnerId)),
            // Timestamps are UTC: SQLite keeps them as ISO 8601 text. (Its
            // placeholder for the column is `?`; PostgreSQL's is `$1`.)
            Self::Year => match backend {
                DbBackend::Sqlite => Expr::cust_with_exprs("CAST(substr(?, 1, 4) AS BIGINT)", [fulfilled]),
                _ => Expr::cust_with_exprs("CAST(EXTRACT(YEAR FROM $1) AS BIGINT)", [fulfilled]),
            },
        }
    }
}

/// Which deliveries a report counts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct ReportFilter {
    /// Fulfilled at or after this time.
    pub from: Option<DateTime<Utc>>,
    /// Fulfilled before this time.
    pub to: Option<DateTime<Utc>>,
    /// Organizations of this country.
    pub country: Option<String>,
    /// Programs of this donor.
    pub donor: Option<Uuid>,
}

/// The values of a group's dimensions (those grouped by; the others `None`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct GroupKey {
    /// Country code.
    pub country: Option<String>,
    /// Donor.
    pub donor: Option<Uuid>,
    /// Program.
    pub program: Option<Uuid>,
    /// Category.
    pub category: Option<ProgramCategory>,
    /// Year.
    pub year: Option<i32>,
    /// Partner (`None` also when grouping by partner and the organization had
    /// no approval in force when it asked).
    pub partner: Option<Uuid>,
}

/// One group of a report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    /// Its dimensions' values.
    pub key: GroupKey,
    /// Units delivered.
    pub units: i64,
    /// Requests fulfilled.
    pub requests: i64,
    /// Distinct organizations served.
    pub organizations: i64,
    /// Retail value delivered, per currency (sorted by currency).
    pub retail_value: Vec<(String, i64)>,
    /// Admin fees collected, per currency (sorted by currency).
    pub admin_fees: Vec<(String, i64)>,
}

/// A report as the caller may see it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// The groups shown, ordered by their dimensions' values.
    pub groups: Vec<Group>,
    /// How many groups were suppressed.
    pub suppressed: usize,
}

fn base(filter: &ReportFilter) -> SelectStatement {
    let mut select = Query::select();
    select
        .from(donation_request::Entity)
        .inner_join(
            program::Entity,
            Expr::col((program::Entity, program::Column::Id)).equals((donation_request::Entity, donation_request::Column::ProgramId)),
        )
        .inner_join(
            organization::Entity,
            Expr::col((organization::Entity, organization::Column::Id))
                .equals((donation_request::Entity, donation_request::Column::OrganizationId)),
        )
        .and_where(Expr::col((donation_request::Entity, donation_request::Column::Status)).eq(DonationRequestStatus::Fulfilled.to_value()));
    if let Some(from) = filter.from {
        select.and_where(Expr::col((donation_request::Entity, donation_request::Column::FulfilledAt)).gte(from));
    }
    if let Some(to) = filter.to {
        select.and_where(Expr::col((donation_request::Entity, donation_request::Column::FulfilledAt)).lt(to));
    }
    if let Some(country) = &filter.country {
        select.and_where(Expr::col((organization::Entity, organization::Column::CountryCode)).eq(country.as_str()));
    }
    if let Some(donor) = filter.donor {
        select.and_where(Expr::col((program::Entity, program::Column::DonorId)).eq(donor));
    }
    select
}

fn group_by(select: &mut SelectStatement, dimensions: &[Dimension], backend: DbBackend) {
    for d in dimensions {
        select.expr_as(d.expr(backend), Alias::new(d.alias()));
        select.add_group_by([d.expr(backend)]);
        // Nulls (organizations without a partner) first on both backends.
        select.order_by_expr_with_nulls(d.expr(backend), Order::Asc, NullOrdering::First);
    }
}

fn key_of(row: &QueryResult, dimensions: &[Dimension]) -> Result<GroupKey, ApiError> {
    let mut key = GroupKey::default();
    for d in dimensions {
        let alias = d.alias();
        match d {
            Dimension::Country => key.country = row.try_get("", alias)?,
            Dimension::Donor => key.donor = row.try_get("", alias)?,
            Dimension::Program => key.program = row.try_get("", alias)?,
            Dimension::Category => {
                let value: Option<String> = row.try_get("", alias)?;
                key.category = value.and_then(|v| ProgramCategory::try_from_value(&v).ok());
            }
            Dimension::Year => key.year = row.try_get::<Option<i64>>("", alias)?.and_then(|y| i32::try_from(y).ok()),
            Dimension::Partner => key.partner = row.try_get("", alias)?,
        }
    }
    Ok(key)
}

/// A sum too large for 64 bits (absurd amounts a donor typed) is the
/// caller's to narrow, not an internal error.
fn out_of_range(e: sea_orm::DbErr) -> ApiError {
    let text = e.to_string();
    if text.contains("out of range") || text.contains("overflow") {
        ApiError::BadUserInput("the report's sums are too large to add up: narrow the filter".to_owned())
    } else {
        e.into()
    }
}

/// Amounts by currency code.
type PerCurrency = BTreeMap<String, i64>;

fn as_bigint(e: SimpleExpr) -> SimpleExpr {
    Func::cast_as(e, Alias::new("BIGINT")).into()
}

/// The report of deliveries matching `filter`, grouped by `dimensions`
/// (duplicates ignored; none: one group of everything), with the groups that
/// could single out an organization outside `scope` (the caller's readable
/// organizations) suppressed.
pub async fn report(
    db: &impl ConnectionTrait,
    scope: &OrgScope,
    dimensions: &[Dimension],
    filter: &ReportFilter,
) -> Result<Report, ApiError> {
    if let (Some(from), Some(to)) = (filter.from, filter.to)
        && from >= to
    {
        return Err(ApiError::BadUserInput("the period's `from` must come before its `to`".to_owned()));
    }
    let mut dimensions = dimensions.to_vec();
    let mut seen = std::collections::HashSet::new();
    dimensions.retain(|d| seen.insert(*d));
    let backend = db.get_database_backend();
    let organization_id = || Expr::col((donation_request::Entity, donation_request::Column::OrganizationId));

    // The counts, and how many organizations of each group the caller may not see.
    let mut counts = base(filter);
    group_by(&mut counts, &dimensions, backend);
    counts
        .expr_as(as_bigint(Func::count_distinct(organization_id()).into()), Alias::new("organizations"))
        .expr_as(as_bigint(Func::count(Expr::col((donation_request::Entity, donation_request::Column::Id))).into()), Alias::new("requests"))
        .expr_as(
            as_bigint(Func::sum(Expr::col((donation_request::Entity, donation_request::Column::Quantity))).into()),
            Alias::new("units"),
        );
    if scope.all {
        counts.expr_as(Expr::val(0i64), Alias::new("unseen"));
    } else {
        let unseen =
            Expr::case(Condition::not(crate::organizations::service::scope_condition(scope)), organization_id()).finally(Expr::null());
        counts.expr_as(as_bigint(Func::count_distinct(unseen).into()), Alias::new("unseen"));
    }
    counts.limit(u64::try_from(MAX_GROUPS + 1).unwrap_or(u64::MAX));
    let rows = db.query_all(&counts).await.map_err(out_of_range)?;
    if rows.len() > MAX_GROUPS {
        return Err(ApiError::BadUserInput(format!(
            "the report has more than {MAX_GROUPS} groups: narrow the filter or group by fewer dimensions"
        )));
    }
    let mut groups = Vec::with_capacity(rows.len());
    let mut facts = Vec::with_capacity(rows.len());
    for row in &rows {
        let requests: i64 = row.try_get("", "requests")?;
        if requests == 0 {
            // Grouped by nothing over no deliveries: no group at all.
            continue;
        }
        let organizations: i64 = row.try_get("", "organizations")?;
        facts.push(GroupFacts { organizations, unseen: row.try_get("", "unseen")? });
        groups.push(Group {
            key: key_of(row, &dimensions)?,
            units: row.try_get::<Option<i64>>("", "units")?.unwrap_or(0),
            requests,
            organizations,
            retail_value: Vec::new(),
            admin_fees: Vec::new(),
        });
    }

    // Money per group and currency.
    let mut money = base(filter);
    group_by(&mut money, &dimensions, backend);
    let currency = Expr::col((program::Entity, program::Column::Currency));
    let quantity = || Func::cast_as(Expr::col((donation_request::Entity, donation_request::Column::Quantity)), Alias::new("BIGINT"));
    money
        .expr_as(currency.clone(), Alias::new("currency"))
        .expr_as(
            as_bigint(Func::sum(Expr::expr(quantity()).mul(Expr::col((program::Entity, program::Column::UnitValue)))).into()),
            Alias::new("retail"),
        )
        .expr_as(
            as_bigint(Func::sum(Expr::expr(quantity()).mul(Expr::col((program::Entity, program::Column::AdminFee)))).into()),
            Alias::new("fees"),
        )
        .add_group_by([currency]);
    let mut by_key: HashMap<usize, (PerCurrency, PerCurrency)> = HashMap::new();
    let index: HashMap<GroupKey, usize> = groups.iter().enumerate().map(|(at, g)| (g.key.clone(), at)).collect();
    for row in db.query_all(&money).await.map_err(out_of_range)? {
        let key = key_of(&row, &dimensions)?;
        let Some(&at) = index.get(&key) else { continue };
        let currency: String = row.try_get("", "currency")?;
        let entry = by_key.entry(at).or_default();
        entry.0.insert(currency.clone(), row.try_get::<Option<i64>>("", "retail")?.unwrap_or(0));
        entry.1.insert(currency, row.try_get::<Option<i64>>("", "fees")?.unwrap_or(0));
    }
    // Money leaves as JSON numbers, exact up to 2^53 - 1.
    const MAX_EXACT: i64 = (1 << 53) - 1;
    if by_key.values().any(|(retail, fees)| retail.values().chain(fees.values()).any(|a| a.unsigned_abs() > MAX_EXACT.unsigned_abs())) {
        return Err(ApiError::BadUserInput("the report's sums are too large to add up: narrow the filter".to_owned()));
    }
    for (at, (retail, fees)) in by_key {
        groups[at].retail_value = retail.into_iter().collect();
        groups[at].admin_fees = fees.into_iter().collect();
    }

    let hide = Policy.suppressed_groups(&facts);
    let suppressed = hide.iter().filter(|h| **h).count();
    let groups = groups.into_iter().zip(hide).filter(|(_, h)| !h).map(|(g, _)| g).collect();
    Ok(Report { groups, suppressed })
}
