//! Query root of organizations.

use std::sync::Arc;

use async_graphql::{Context, ID, Object, Result};

use super::{
    service,
    types::{Organization, OrganizationFilter, OrganizationOrder},
};
use crate::{
    auth::ReadableOrganizations,
    graphql::{
        connection::{Conn, TotalCount, from_page},
        context::{clock, db, loader, policy, request, scope},
        relay::decode_uuid,
    },
    organizations::loader::{OrganizationById, PartnerFirstPages, PartnerOrganizationCounts, PartnerPageArgs, PartnerPageKey},
    pagination::{Page, PageRequest},
    partners::loader::CountriesByPartner,
};

/// Queries of organizations.
#[derive(Default)]
pub struct OrganizationQuery;

/// Relay page arguments: first, after, last, before.
pub type PageArgs = (Option<i32>, Option<String>, Option<i32>, Option<String>);

/// The service's filter of a list's `filter` argument: the validation filters
/// need the clock and the policy.
fn service_filter(ctx: &Context<'_>, filter: Option<OrganizationFilter>) -> Result<service::OrganizationFilter> {
    let filter = filter.unwrap_or_default();
    let (is_validated, status) = (filter.is_validated, filter.validation_status);
    let mut out: service::OrganizationFilter = filter.into();
    if let Some(validated) = is_validated {
        out.validated = Some((validated, clock(ctx)?.now()));
    }
    if let Some(status) = status {
        let countries = policy(ctx)?.case_status_countries(&request(ctx)?.caller)?;
        out.validation_status = Some((status.into(), countries));
    }
    Ok(out)
}

/// The organization connection, optionally restricted to some countries (a partner's).
pub async fn connection(
    ctx: &Context<'_>,
    filter: Option<OrganizationFilter>,
    order_by: Option<OrganizationOrder>,
    within_countries: Option<Vec<String>>,
    (first, after, last, before): PageArgs,
) -> Result<Conn<Organization>> {
    let page = PageRequest::from_args(first, after.as_deref(), last, before.as_deref())?;
    let mut filter = service_filter(ctx, filter)?;
    filter.within_countries = within_countries;
    let order = order_by.map(Into::into).unwrap_or_default();
    let scope = scope::<ReadableOrganizations>(ctx)?;
    let db = db(ctx)?.clone();
    let rows = service::list(&db, &scope, &filter, order, &page).await?;
    let total = TotalCount::lazy(move || {
        let (db, scope, filter) = (db.clone(), scope.clone(), filter.clone());
        Box::pin(async move { service::count(&db, &scope, &filter).await })
    });
    Ok(from_page(rows, total, Organization::from))
}

/// `partner.organizations`: a first page (no cursor) is batched across every
/// partner of the list; other pages are read for this partner alone.
pub async fn partner_connection(
    ctx: &Context<'_>,
    partner_id: uuid::Uuid,
    filter: Option<OrganizationFilter>,
    order_by: Option<OrganizationOrder>,
    (first, after, last, before): PageArgs,
) -> Result<Conn<Organization>> {
    let page = PageRequest::from_args(first, after.as_deref(), last, before.as_deref())?;
    let request = request(ctx)?;
    if page.cursor.is_some() || page.direction != crate::pagination::Direction::Forward {
        let codes = request.loader::<CountriesByPartner>().load_one(partner_id).await?.unwrap_or_default();
        return connection(ctx, filter, order_by, Some(codes), (first, after, last, before)).await;
    }
    let filter = service_filter(ctx, filter)?;
    let order = order_by.map(Into::into).unwrap_or_default();
    let key = PartnerPageKey { partner_id, args: Arc::new(PartnerPageArgs::new(filter.clone(), order, page.limit)) };
    let count_key = PartnerPageKey { partner_id, args: Arc::new(PartnerPageArgs::new(filter, order, 0)) };
    let rows = request.loader::<PartnerFirstPages>().load_one(key).await?.unwrap_or(Page {
        items: Vec::new(),
        has_next_page: false,
        has_previous_page: false,
    });
    let counts = request.loader::<PartnerOrganizationCounts>();
    let total = TotalCount::lazy_graphql(move || {
        let (counts, key) = (counts.clone(), count_key.clone());
        Box::pin(async move { Ok(counts.load_one(key).await?.unwrap_or(0)) })
    });
    Ok(from_page(rows, total, Organization::from))
}

#[Object]
impl OrganizationQuery {
    /// Organizations the caller may see; archived ones only when the filter asks for them.
    #[graphql(complexity = "first.or(last).unwrap_or(0).clamp(0, 100) as usize * child_complexity + 5")]
    async fn organizations(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Narrows the list.")] filter: Option<OrganizationFilter>,
        #[graphql(desc = "Sort order; by name when absent.")] order_by: Option<OrganizationOrder>,
        #[graphql(desc = "Returns the first n items (0 to 100).")] first: Option<i32>,
        #[graphql(desc = "Returns the items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n items (0 to 100).")] last: Option<i32>,
        #[graphql(desc = "Returns the items before this cursor.")] before: Option<String>,
    ) -> Result<Conn<Organization>> {
        connection(ctx, filter, order_by, None, (first, after, last, before)).await
    }

    /// An organization by ID; null when there is none the caller may see.
    async fn organization(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The organization's global ID.")] id: ID,
    ) -> Result<Option<Organization>> {
        let id = decode_uuid(&id, crate::organizations::types::Organization::KIND)?;
        Ok(loader::<OrganizationById>(ctx)?.load_one(id).await?.map(Organization::from))
    }
}

/// Organizations by global ID (within the caller's scope).
pub fn register_nodes(registry: &mut crate::graphql::node::NodeRegistry) {
    registry.add_loaded::<super::loader::OrganizationById, super::types::Organization>(super::types::Organization::KIND);
}
