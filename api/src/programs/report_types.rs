//! GraphQL of the impact report: `impactReport(groupBy, filter)`.

use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};

use super::{
    report::{Dimension, Group, ReportFilter},
    report_cache::ReportCache,
    types::{Program, ProgramById, ProgramCategory},
};
use crate::{
    auth::{MIN_GROUP_ORGANIZATIONS, ReadableOrganizations},
    countries::types::Country,
    donors::{loader::DonorById, types::Donor},
    error::ApiError,
    graphql::{
        context::{clock, db, loader, scope},
        relay::decode_uuid,
        scalars::{CountryCode, MoneyValue},
    },
    partners::{loader::PartnerById, types::Partner},
};

/// What an impact report groups deliveries by.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImpactDimension {
    /// The organization's country.
    Country,
    /// The program's donor.
    Donor,
    /// The program.
    Program,
    /// The program's category.
    Category,
    /// The year (UTC) the request was fulfilled.
    Year,
    /// The partner that had vetted the organization when it asked (its
    /// approval in force then); none for organizations without one.
    Partner,
}

impl From<ImpactDimension> for Dimension {
    fn from(d: ImpactDimension) -> Self {
        match d {
            ImpactDimension::Country => Self::Country,
            ImpactDimension::Donor => Self::Donor,
            ImpactDimension::Program => Self::Program,
            ImpactDimension::Category => Self::Category,
            ImpactDimension::Year => Self::Year,
            ImpactDimension::Partner => Self::Partner,
        }
    }
}

/// A span of time: from `from` (included) to `to` (excluded); either may be open.
#[derive(InputObject, Clone, Copy, Debug, Default)]
pub struct ImpactPeriod {
    /// Fulfilled at or after this time.
    pub from: Option<DateTime<Utc>>,
    /// Fulfilled before this time.
    pub to: Option<DateTime<Utc>>,
}

/// Which deliveries an impact report counts.
#[derive(InputObject, Default)]
pub struct ImpactReportFilter {
    /// Requests fulfilled in this period.
    pub period: Option<ImpactPeriod>,
    /// Organizations of this country.
    pub country: Option<CountryCode>,
    /// Programs of this donor.
    pub donor: Option<ID>,
}

/// One group of an impact report: what was delivered to the organizations
/// of the group. The dimensions not grouped by are null.
#[derive(Clone, Debug)]
pub struct ImpactGroup(Group);

fn small(n: i64, what: &str) -> Result<i32> {
    i32::try_from(n).map_err(|_| ApiError::BadUserInput(format!("the report's {what} are too many to count: narrow the filter")).into())
}

fn amounts(list: &[(String, i64)]) -> Vec<MoneyValue> {
    list.iter().map(|(currency, amount)| MoneyValue { amount: *amount, currency: currency.clone() }).collect()
}

/// One group of an impact report: what was delivered to the organizations
/// of the group. The dimensions not grouped by are null.
#[Object]
impl ImpactGroup {
    /// COUNTRY: the organizations' country.
    async fn country(&self) -> Option<Country> {
        self.0.key.country.as_deref().and_then(Country::of)
    }

    /// DONOR: the donor.
    async fn donor(&self, ctx: &Context<'_>) -> Result<Option<Donor>> {
        let Some(id) = self.0.key.donor else { return Ok(None) };
        Ok(loader::<DonorById>(ctx)?.load_one(id).await?.map(Donor::from))
    }

    /// PROGRAM: the program.
    async fn program(&self, ctx: &Context<'_>) -> Result<Option<Program>> {
        let Some(id) = self.0.key.program else { return Ok(None) };
        Ok(loader::<ProgramById>(ctx)?.load_one(id).await?.map(Program::from))
    }

    /// CATEGORY: the programs' category.
    async fn category(&self) -> Option<ProgramCategory> {
        self.0.key.category.map(Into::into)
    }

    /// YEAR: the year (UTC) of the fulfilments.
    async fn year(&self) -> Option<i32> {
        self.0.key.year
    }

    /// PARTNER: the partner that had vetted the organizations (null also for
    /// the group of organizations without an approval when they asked).
    async fn partner(&self, ctx: &Context<'_>) -> Result<Option<Partner>> {
        let Some(id) = self.0.key.partner else { return Ok(None) };
        Ok(loader::<PartnerById>(ctx)?.load_one(id).await?.map(Partner::from))
    }

    /// Units delivered.
    async fn units(&self) -> Result<i32> {
        small(self.0.units, "units")
    }

    /// Requests fulfilled.
    async fn requests(&self) -> Result<i32> {
        small(self.0.requests, "requests")
    }

    /// Distinct organizations served.
    async fn organizations(&self) -> Result<i32> {
        small(self.0.organizations, "organizations")
    }

    /// Retail value delivered, one amount per currency (sorted by currency
    /// code): amounts in different currencies are never added up.
    async fn retail_value(&self) -> Vec<MoneyValue> {
        amounts(&self.0.retail_value)
    }

    /// Admin fees collected, one amount per currency (sorted by currency code).
    async fn admin_fees(&self) -> Vec<MoneyValue> {
        amounts(&self.0.admin_fees)
    }
}

/// What the network delivered: fulfilled donation requests, grouped.
#[derive(SimpleObject)]
pub struct ImpactReport {
    /// The dimensions grouped by, in the order asked (repeats dropped).
    pub group_by: Vec<ImpactDimension>,
    /// The groups shown, ordered by their dimensions' values.
    pub groups: Vec<ImpactGroup>,
    /// Groups left out so that no organization you may not see can be
    /// singled out: a group of fewer than 5 organizations including one you
    /// may not see, and as many of the smallest other groups as it takes
    /// for the left-out groups to count at least 5 organizations together.
    pub suppressed_groups: i32,
    /// The fewest organizations a group including one you may not see must
    /// count to be shown.
    pub min_group_organizations: i32,
}

/// The impact report.
#[derive(Default)]
pub struct ImpactReportQuery;

#[Object]
impl ImpactReportQuery {
    /// What the network delivered: FULFILLED donation requests grouped by
    /// `groupBy` (none: one group of everything), with units, requests,
    /// distinct organizations served, retail value and admin fees per
    /// currency. Anyone may ask; groups that could single out an
    /// organization you may not see are suppressed (see `suppressedGroups`).
    /// At most 2,000 groups (else BAD_USER_INPUT: narrow the filter).
    /// Figures may be up to a minute old: a report is computed once a minute
    /// at most for the same question and the same readable organizations.
    #[graphql(complexity = "50 + 20 * child_complexity")]
    async fn impact_report(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The dimensions to group by, in order (up to 6; repeats are dropped).")] group_by: Vec<ImpactDimension>,
        #[graphql(desc = "Which deliveries.")] filter: Option<ImpactReportFilter>,
    ) -> Result<ImpactReport> {
        let filter = filter.unwrap_or_default();
        let period = filter.period.unwrap_or_default();
        let report_filter = ReportFilter {
            from: period.from,
            to: period.to,
            country: filter.country.map(|c| c.0),
            donor: filter.donor.map(|d| decode_uuid(&d, Donor::KIND)).transpose()?,
        };
        let mut dimensions = group_by;
        let mut seen = Vec::new();
        dimensions.retain(|d| {
            let new = !seen.contains(d);
            seen.push(*d);
            new
        });
        let asked: Vec<Dimension> = dimensions.iter().map(|d| (*d).into()).collect();
        let scope = scope::<ReadableOrganizations>(ctx)?;
        let reports =
            ctx.data::<std::sync::Arc<ReportCache>>().map_err(|_| ApiError::internal(std::io::Error::other("no report cache")))?;
        let report = reports.report(db(ctx)?, &scope, &asked, &report_filter, clock(ctx)?.now()).await?;
        Ok(ImpactReport {
            group_by: dimensions,
            groups: report.groups.iter().cloned().map(ImpactGroup).collect(),
            suppressed_groups: i32::try_from(report.suppressed).unwrap_or(i32::MAX),
            min_group_organizations: i32::try_from(MIN_GROUP_ORGANIZATIONS).unwrap_or(i32::MAX),
        })
    }
}
