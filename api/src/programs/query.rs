//! Query root of programs: the public catalogue.

use async_graphql::{Context, Object, Result};

use async_graphql::ID;

use super::{
    catalogue_types::{self, ProgramOrder},
    request_types::{DonationRequest, DonationRequestStatus},
    requests::{self, RequestFilter},
    service::{self, CatalogueFilter},
    types::{Program, ProgramById, ProgramFilter},
};
use crate::{
    donors::types::Donor,
    error::ApiError,
    graphql::{
        connection::{Conn, TotalCount, from_page},
        context::{db, policy, request},
        relay::decode_uuid,
    },
    organizations::types::Organization,
    pagination::PageRequest,
};

/// Queries of programs.
#[derive(Default)]
pub struct ProgramQuery;

#[Object]
impl ProgramQuery {
    /// The catalogue: programs not archived, newest first unless `orderBy`
    /// says otherwise. Public.
    #[graphql(complexity = "first.or(last).unwrap_or(0).clamp(0, 100) as usize * child_complexity + 5")]
    async fn programs(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which programs.")] filter: Option<ProgramFilter>,
        #[graphql(desc = "Sort order; newest first when absent. A cursor of another order is refused (INVALID_CURSOR).")] order_by: Option<
            ProgramOrder,
        >,
        #[graphql(desc = "Returns the first n items (0 to 100).")] first: Option<i32>,
        #[graphql(desc = "Returns the items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n items (0 to 100).")] last: Option<i32>,
        #[graphql(desc = "Returns the items before this cursor.")] before: Option<String>,
    ) -> Result<Conn<Program>> {
        let given = filter.unwrap_or_default();
        let mut filter = CatalogueFilter {
            country: given.country.map(|c| c.0),
            category: given.category.map(Into::into),
            donor: given.donor.map(|d| decode_uuid(&d, Donor::KIND)).transpose()?,
            search: given.search,
            only: None,
        };
        let page = PageRequest::from_args(first, after.as_deref(), last, before.as_deref())?;
        if let Some(organization) = &given.eligible_for {
            filter.only = Some(catalogue_types::eligible_for(ctx, organization, &filter).await?);
        }
        let order = order_by.map(Into::into).unwrap_or_default();
        let db = db(ctx)?.clone();
        let rows = service::page(&db, &filter, order, &page).await?;
        let total = TotalCount::lazy(move || {
            let (db, filter) = (db.clone(), filter.clone());
            Box::pin(async move { service::count(&db, &filter).await })
        });
        Ok(from_page(rows, total, Program::from))
    }
}

/// Which donation requests: an organization's (its members) or those to a
/// donor's programs (its staff and keys with `requests:read`); one of the two.
#[derive(async_graphql::InputObject, Default)]
pub struct DonationRequestFilter {
    /// The requesting organization.
    pub organization: Option<ID>,
    /// The donor of the programs.
    pub donor: Option<ID>,
    /// One program (with `donor` or `organization`).
    pub program: Option<ID>,
    /// In this status.
    pub status: Option<DonationRequestStatus>,
}

/// Donation requests.
#[derive(Default)]
pub struct DonationRequestQuery;

#[Object]
impl DonationRequestQuery {
    /// Donation requests, newest first: an organization's (for its members)
    /// or those to a donor's programs (for its staff and its keys with
    /// `requests:read`); platform admins see any.
    #[graphql(complexity = "first.or(last).unwrap_or(0).clamp(0, 100) as usize * child_complexity + 5")]
    async fn donation_requests(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Whose requests: `organization` or `donor` is required.")] filter: DonationRequestFilter,
        #[graphql(desc = "Returns the first n items (0 to 100).")] first: Option<i32>,
        #[graphql(desc = "Returns the items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n items (0 to 100).")] last: Option<i32>,
        #[graphql(desc = "Returns the items before this cursor.")] before: Option<String>,
    ) -> Result<Conn<DonationRequest>> {
        let caller = &request(ctx)?.caller;
        let filter = RequestFilter {
            organization: filter.organization.map(|o| decode_uuid(&o, Organization::KIND)).transpose()?,
            donor: filter.donor.map(|d| decode_uuid(&d, Donor::KIND)).transpose()?,
            program: filter.program.map(|p| decode_uuid(&p, Program::KIND)).transpose()?,
            status: filter.status.map(Into::into),
        };
        let allowed = match (filter.organization, filter.donor) {
            (None, None) => return Err(ApiError::BadUserInput("give `organization` or `donor`".to_owned()).into()),
            (organization, donor) => {
                organization.is_none_or(|o| policy(ctx).is_ok_and(|p| p.may_list_organization_requests(caller, o)))
                    && donor.is_none_or(|d| policy(ctx).is_ok_and(|p| p.may_list_donor_requests(caller, d)))
            }
        };
        if !allowed {
            return Err(ApiError::Forbidden(
                "list these requests: an organization's members see its requests, a donor's staff those to its programs".to_owned(),
            )
            .into());
        }
        let page = PageRequest::from_args(first, after.as_deref(), last, before.as_deref())?;
        let db = db(ctx)?.clone();
        let rows = requests::page(&db, &filter, &page).await?;
        let total = TotalCount::lazy(move || {
            let (db, filter) = (db.clone(), filter.clone());
            Box::pin(async move { requests::count(&db, &filter).await })
        });
        Ok(from_page(rows, total, DonationRequest::from))
    }
}

fn resolve_request<'c, 'd>(ctx: &'c Context<'d>, key: String) -> futures_util::future::BoxFuture<'c, Result<Option<crate::graphql::Node>>> {
    Box::pin(async move {
        let Ok(id) = uuid::Uuid::parse_str(&key) else {
            return Err(ApiError::InvalidId("malformed ID".to_owned()).into());
        };
        let Some(row) = requests::by_id(db(ctx)?, id).await? else { return Ok(None) };
        let Some(program) = crate::graphql::context::loader::<ProgramById>(ctx)?.load_one(row.program_id).await? else {
            return Ok(None);
        };
        let facts = crate::auth::RequestFacts { organization: row.organization_id, donor: program.donor_id };
        Ok(policy(ctx)?.may_read_request(&request(ctx)?.caller, facts).then(|| crate::graphql::Node::from(DonationRequest::from(row))))
    })
}

/// `node(id:)` answers programs (the catalogue is public) and donation
/// requests (to those who may read them).
pub fn register_nodes(registry: &mut crate::graphql::node::NodeRegistry) {
    registry.add_loaded::<ProgramById, Program>(Program::KIND);
    registry.add(DonationRequest::KIND, resolve_request);
}
