//! Query root of programs: the public catalogue.

use async_graphql::{Context, Object, Result};

use super::{
    service::{self, CatalogueFilter},
    types::{Program, ProgramById, ProgramFilter},
};
use crate::{
    donors::types::Donor,
    graphql::{
        connection::{Conn, TotalCount, from_page},
        context::db,
        relay::decode_uuid,
    },
    pagination::PageRequest,
};

/// Queries of programs.
#[derive(Default)]
pub struct ProgramQuery;

#[Object]
impl ProgramQuery {
    /// The catalogue: programs not archived, newest first. Public.
    #[graphql(complexity = "first.or(last).unwrap_or(0).clamp(0, 100) as usize * child_complexity + 5")]
    async fn programs(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which programs.")] filter: Option<ProgramFilter>,
        #[graphql(desc = "Returns the first n items (0 to 100).")] first: Option<i32>,
        #[graphql(desc = "Returns the items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n items (0 to 100).")] last: Option<i32>,
        #[graphql(desc = "Returns the items before this cursor.")] before: Option<String>,
    ) -> Result<Conn<Program>> {
        let filter = filter.unwrap_or_default();
        let filter = CatalogueFilter {
            country: filter.country.map(|c| c.0),
            category: filter.category.map(Into::into),
            donor: filter.donor.map(|d| decode_uuid(&d, Donor::KIND)).transpose()?,
        };
        let page = PageRequest::from_args(first, after.as_deref(), last, before.as_deref())?;
        let db = db(ctx)?.clone();
        let rows = service::page(&db, &filter, &page).await?;
        let total = TotalCount::lazy(move || {
            let (db, filter) = (db.clone(), filter.clone());
            Box::pin(async move { service::count(&db, &filter).await })
        });
        Ok(from_page(rows, total, Program))
    }
}

/// `node(id:)` answers programs (the catalogue is public).
pub fn register_nodes(registry: &mut crate::graphql::node::NodeRegistry) {
    registry.add_loaded::<ProgramById, Program>(Program::KIND);
}
