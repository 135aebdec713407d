//! Query root of the needs map.

use async_graphql::{Context, Object, Result};

use super::{
    service,
    types::{NeedsMap, NeedsMapCell, country_of},
};
use crate::{
    auth::MIN_CELL_ORGANIZATIONS,
    countries::types::Country,
    graphql::{
        context::{db, policy, request},
        scalars::CountryCode,
    },
};

/// Queries of the needs map.
#[derive(Default)]
pub struct NeedsQuery;

fn small(n: i64) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

#[Object]
impl NeedsQuery {
    /// What a country's organizations need: their challenges counted per
    /// category, urgency and technology level, cells of fewer than 3
    /// organizations left out. For the staff of the partners serving the
    /// country and platform admins (FORBIDDEN for others).
    async fn needs_map(&self, ctx: &Context<'_>, #[graphql(desc = "The country.")] country: CountryCode) -> Result<NeedsMap> {
        let country = country_of(&country)?;
        let policy = policy(ctx)?;
        policy.authorize_needs_map(&request(ctx)?.caller, country.as_str())?;
        let cells = service::map(db(ctx)?, country.as_str()).await?;
        let hide = policy.suppressed_cells(&cells.iter().map(|c| c.organizations).collect::<Vec<_>>());
        let suppressed = hide.iter().filter(|h| **h).count();
        let cells = cells
            .into_iter()
            .zip(hide)
            .filter(|(_, hidden)| !hidden)
            .map(|(c, _)| NeedsMapCell {
                category: c.category.into(),
                urgency: c.urgency,
                technology_level: c.technology_level.into(),
                organizations: small(c.organizations),
                challenges: small(c.challenges),
            })
            .collect();
        Ok(NeedsMap {
            country: Country(country),
            cells,
            suppressed_cells: i32::try_from(suppressed).unwrap_or(i32::MAX),
            min_cell_organizations: small(MIN_CELL_ORGANIZATIONS),
        })
    }
}
