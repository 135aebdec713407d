//! Query root of countries.

use async_graphql::{Context, Object, Result};

use super::{
    service,
    types::{Country, CountryFilter},
};
use crate::{
    graphql::{
        connection::{Conn, TotalCount, from_page},
        context::db,
        scalars::CountryCode,
    },
    pagination::{PageRequest, paginate_slice},
};

/// Queries of countries.
#[derive(Default)]
pub struct CountryQuery;

#[Object]
impl CountryQuery {
    /// Countries of ISO 3166-1, ordered by code.
    #[graphql(complexity = "first.or(last).unwrap_or(0).clamp(0, 100) as usize * child_complexity + 1")]
    async fn countries(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Narrows the list.")] filter: Option<CountryFilter>,
        #[graphql(desc = "Returns the first n items (0 to 100).")] first: Option<i32>,
        #[graphql(desc = "Returns the items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n items (0 to 100).")] last: Option<i32>,
        #[graphql(desc = "Returns the items before this cursor.")] before: Option<String>,
    ) -> Result<Conn<Country>> {
        let page = PageRequest::from_args(first, after.as_deref(), last, before.as_deref())?;
        let countries = service::list(db(ctx)?, &filter.unwrap_or_default().into()).await?;
        let total = countries.len();
        let page = paginate_slice(&countries, "country:code", |c| c.as_str().to_owned(), &page)?;
        Ok(from_page(page, TotalCount::known(total), Country))
    }

    /// A country by its ISO 3166-1 alpha-2 code; null when the code is not assigned.
    async fn country(&self, #[graphql(desc = "ISO 3166-1 alpha-2 code, e.g. `KE`.")] code: CountryCode) -> Option<Country> {
        Country::of(&code.0)
    }
}

/// Countries by global ID (any valid code; null for an unknown one).
pub fn register_nodes(registry: &mut crate::graphql::node::NodeRegistry) {
    registry.add(super::types::Country::KIND, |_, key| {
        Box::pin(async move { Ok(crate::domain::CountryCode::parse(&key).ok().map(|c| super::types::Country(c).into())) })
    });
}
