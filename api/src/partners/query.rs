//! Query root of partners.

use async_graphql::{Context, Object, Result};

use super::{
    service,
    types::{Partner, PartnerFilter, PartnerOrder},
};
use crate::{
    graphql::{
        connection::{Conn, TotalCount, from_page},
        context::db,
    },
    pagination::PageRequest,
};

/// Queries of partners.
#[derive(Default)]
pub struct PartnerQuery;

#[Object]
impl PartnerQuery {
    /// Network partners; archived ones only when the filter asks for them.
    #[graphql(complexity = "first.or(last).unwrap_or(0).clamp(0, 100) as usize * child_complexity + 5")]
    async fn partners(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Narrows the list.")] filter: Option<PartnerFilter>,
        #[graphql(desc = "Sort order; by name when absent.")] order_by: Option<PartnerOrder>,
        #[graphql(desc = "Returns the first n items (0 to 100).")] first: Option<i32>,
        #[graphql(desc = "Returns the items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n items (0 to 100).")] last: Option<i32>,
        #[graphql(desc = "Returns the items before this cursor.")] before: Option<String>,
    ) -> Result<Conn<Partner>> {
        let page = PageRequest::from_args(first, after.as_deref(), last, before.as_deref())?;
        let filter: service::PartnerFilter = filter.unwrap_or_default().into();
        let order = order_by.map(Into::into).unwrap_or_default();
        let db = db(ctx)?.clone();
        let rows = service::list(&db, &filter, order, &page).await?;
        let total = TotalCount::lazy(move || {
            let (db, filter) = (db.clone(), filter.clone());
            Box::pin(async move { service::count(&db, &filter).await })
        });
        Ok(from_page(rows, total, Partner::from))
    }

    /// A partner by its slug (archived ones too); null when there is none.
    async fn partner(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The partner's slug.", validator(max_length = 60))] slug: String,
    ) -> Result<Option<Partner>> {
        Ok(service::by_slug(db(ctx)?, &slug).await?.map(Partner::from))
    }
}

/// Partners by global ID.
pub fn register_nodes(registry: &mut crate::graphql::node::NodeRegistry) {
    registry.add_loaded::<super::loader::PartnerById, super::types::Partner>(super::types::Partner::KIND);
}
