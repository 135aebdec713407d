//! Query root of the taxonomy.

use async_graphql::{Context, Object, Result};

use super::{service, types::FocusArea};
use crate::graphql::context::db;

/// Queries of the focus-area taxonomy.
#[derive(Default)]
pub struct FocusAreaQuery;

#[Object]
impl FocusAreaQuery {
    /// The whole focus-area taxonomy (a few dozen entries), by category and name.
    async fn focus_areas(&self, ctx: &Context<'_>) -> Result<Vec<FocusArea>> {
        Ok(service::all(db(ctx)?).await?.into_iter().map(FocusArea::from).collect())
    }
}

/// Focus areas by global ID.
pub fn register_nodes(registry: &mut crate::graphql::node::NodeRegistry) {
    registry.add_loaded::<super::loader::FocusAreaById, super::types::FocusArea>(super::types::FocusArea::KIND);
}
