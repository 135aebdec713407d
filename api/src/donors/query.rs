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

/// `node(id:)` answers donors (public).
pub fn register_nodes(registry: &mut crate::graphql::node::NodeRegistry) {
    registry.add_loaded::<super::loader::DonorById, Donor>(Donor::KIND);
}
