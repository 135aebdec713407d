//! Query root of validations.

use async_graphql::{Context, ID, Object, Result, futures_util::future::BoxFuture};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{
    loader::ValidationById,
    queue, service,
    types::{Validation, ValidationCriteria, ValidationStatus, ValidationStatusCount, ValidationTurnaround, readable},
};
use crate::{
    graphql::{
        Node,
        connection::{Conn, TotalCount, from_page},
        context::{clock, db, loader, policy, request},
        node::NodeRegistry,
        relay::decode_uuid,
        scalars::CountryCode,
    },
    pagination::PageRequest,
    partners::types::Partner,
};

/// Queries of validations.
#[derive(Default)]
pub struct ValidationQuery;

fn partner_of(ctx: &Context<'_>, partner: &ID) -> Result<Uuid> {
    let id = decode_uuid(partner, Partner::KIND)?;
    policy(ctx)?.may_work_queue(&request(ctx)?.caller, id)?;
    Ok(id)
}

#[Object]
impl ValidationQuery {
    /// What the partners serving a country require to vet its organizations
    /// (public: organizations read it before they apply).
    async fn validation_criteria(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The country.")] country: CountryCode,
    ) -> Result<Vec<ValidationCriteria>> {
        Ok(service::criteria_in(db(ctx)?, &country.0).await?.into_iter().map(ValidationCriteria).collect())
    }

    /// A validation case by ID; null when there is none or you may not read it
    /// (its organization's members, staff of the partners serving its country,
    /// platform admins).
    async fn validation(&self, ctx: &Context<'_>, #[graphql(desc = "Its global ID.")] id: ID) -> Result<Option<Validation>> {
        let id = decode_uuid(&id, Validation::KIND)?;
        match service::by_id(db(ctx)?, id).await? {
            Some(case) => readable(ctx, case).await,
            None => Ok(None),
        }
    }

    /// A partner's queue: its cases in one status (SUBMITTED by default),
    /// oldest submission first. For its validators and admins, and platform admins.
    #[allow(clippy::too_many_arguments)]
    #[graphql(complexity = "first.or(last).unwrap_or(0).clamp(0, 100) as usize * child_complexity + 5")]
    async fn validation_queue(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The reviewing partner.")] partner: ID,
        #[graphql(desc = "The cases' status; SUBMITTED when absent.")] status: Option<ValidationStatus>,
        #[graphql(desc = "Only this country's cases.")] country: Option<CountryCode>,
        #[graphql(desc = "Only cases submitted before this time.")] older_than: Option<DateTime<Utc>>,
        #[graphql(desc = "Returns the first n items (0 to 100).")] first: Option<i32>,
        #[graphql(desc = "Returns the items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n items (0 to 100).")] last: Option<i32>,
        #[graphql(desc = "Returns the items before this cursor.")] before: Option<String>,
    ) -> Result<Conn<Validation>> {
        let partner = partner_of(ctx, &partner)?;
        let page = PageRequest::from_args(first, after.as_deref(), last, before.as_deref())?;
        let status = status.unwrap_or(ValidationStatus::Submitted);
        let filter = queue::QueueFilter { partner, status: status.into(), country: country.map(|c| c.0), older_than };
        let db = db(ctx)?.clone();
        let rows = queue::page(&db, &filter, &page).await?;
        let total = TotalCount::lazy(move || {
            let (db, filter) = (db.clone(), filter.clone());
            Box::pin(async move { queue::count(&db, &filter).await })
        });
        Ok(from_page(rows, total, Validation))
    }

    /// How many of a partner's cases are in each status (statuses without
    /// cases are left out). For its validators and admins, and platform admins.
    async fn validation_counts(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The reviewing partner.")] partner: ID,
        #[graphql(desc = "Only this country's cases.")] country: Option<CountryCode>,
    ) -> Result<Vec<ValidationStatusCount>> {
        let partner = partner_of(ctx, &partner)?;
        let counts = queue::counts(db(ctx)?, partner, country.as_ref().map(|c| c.0.as_str())).await?;
        Ok(counts
            .into_iter()
            .map(|(status, n)| ValidationStatusCount { status: status.into(), count: i32::try_from(n).unwrap_or(i32::MAX) })
            .collect())
    }

    /// How long a partner's decisions take: per month (UTC) of the decision,
    /// the cases approved or rejected and the median days from their last
    /// submission, oldest month first. For its validators and admins, and
    /// platform admins.
    async fn validation_turnaround(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The reviewing partner.")] partner: ID,
        #[graphql(desc = "How many months back, the current one included (1 to 36).", default = 12)] months: i32,
    ) -> Result<Vec<ValidationTurnaround>> {
        let partner = partner_of(ctx, &partner)?;
        let since = queue::turnaround_since(clock(ctx)?.now(), months)?;
        Ok(queue::turnaround(db(ctx)?, partner, since)
            .await?
            .into_iter()
            .map(|t| ValidationTurnaround {
                month: t.month,
                decided: i32::try_from(t.decided).unwrap_or(i32::MAX),
                median_days: t.median_days,
            })
            .collect())
    }
}

fn resolve_node<'c, 'd>(ctx: &'c Context<'d>, key: String) -> BoxFuture<'c, Result<Option<Node>>> {
    Box::pin(async move {
        let Ok(id) = Uuid::parse_str(&key) else {
            return Err(crate::error::ApiError::InvalidId("malformed ID".to_owned()).into());
        };
        let Some(case) = loader::<ValidationById>(ctx)?.load_one(id).await? else { return Ok(None) };
        Ok(readable(ctx, case).await?.map(Node::from))
    })
}

/// `node(id:)` answers cases to their readers.
pub fn register_nodes(registry: &mut NodeRegistry) {
    registry.add(Validation::KIND, resolve_node);
}
