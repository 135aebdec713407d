//! Query root of donors.

use async_graphql::{Context, Object, Result};

use super::{service, types::Donor};
use crate::graphql::context::db;

/// Queries of donors.
#[derive(Default)]
pub struct DonorQuery;

#[Object]
impl DonorQuery {
    /// A donor company by slug.
    async fn donor(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The donor's slug.", validator(max_length = 60))] slug: String,
    ) -> Result<Option<Donor>> {
        Ok(service::by_slug(db(ctx)?, &slug).await?.map(Donor::from))
    }
}

/// Donors (reached by slug) are never fetched by ID: `node(id:)` answers null for theirs.
pub fn register_nodes(registry: &mut crate::graphql::node::NodeRegistry) {
    registry.private(super::types::Donor::KIND);
}
