//! The Relay `Node` interface and `node(id:)` / `nodes(ids:)`.

use async_graphql::{Context, ID, Interface, Object, Result};
use futures_util::future::try_join_all;
use uuid::Uuid;

use super::{
    context::loaders,
    relay::{NodeType, decode},
};
use crate::{
    countries::types::Country, domain, error::ApiError, focus_areas::types::FocusArea, organizations::types::Organization,
    partners::types::Partner,
};

/// An object with a global ID, fetchable with `node(id:)`.
#[derive(Interface)]
#[graphql(field(name = "id", ty = "ID", desc = "Global ID: opaque, stable, usable with `node(id:)`."))]
pub enum Node {
    /// A country.
    Country(Country),
    /// A network partner.
    Partner(Partner),
    /// An organization.
    Organization(Organization),
    /// A focus area.
    FocusArea(FocusArea),
}

async fn resolve(ctx: &Context<'_>, id: &str) -> Result<Option<Node>> {
    let (node_type, key) = decode(id)?;
    let loaders = loaders(ctx)?;
    let uuid = || Uuid::parse_str(&key).map_err(|_| ApiError::InvalidId("malformed ID".to_owned()));
    Ok(match node_type {
        NodeType::Country => domain::CountryCode::parse(&key).ok().map(|c| Node::Country(Country(c))),
        NodeType::Partner => loaders.partner_by_id.load_one(uuid()?).await?.map(|m| Node::Partner(m.into())),
        NodeType::Organization => loaders.organization_by_id.load_one(uuid()?).await?.map(|m| Node::Organization(m.into())),
        NodeType::FocusArea => loaders.focus_area_by_id.load_one(uuid()?).await?.map(|m| Node::FocusArea(m.into())),
        // Accounts are private: they are reached through `viewer`, never by ID.
        NodeType::User | NodeType::ApiKey => None,
        NodeType::Donor => None,
    })
}

/// Queries of nodes.
#[derive(Default)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    /// Fetches an object by global ID; null when there is none the caller may see.
    async fn node(&self, ctx: &Context<'_>, #[graphql(desc = "A global ID.")] id: ID) -> Result<Option<Node>> {
        resolve(ctx, &id).await
    }

    /// Fetches up to 100 objects by global ID, in order; null for each the caller may not see.
    // Each ID answers a whole object: the selection costs once per ID (from a
    // literal list or a variable alike).
    #[graphql(complexity = "ids.len().saturating_mul(child_complexity).saturating_add(1)")]
    async fn nodes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global IDs (at most 100).", validator(max_items = 100))] ids: Vec<ID>,
    ) -> Result<Vec<Option<Node>>> {
        try_join_all(ids.iter().map(|id| resolve(ctx, id))).await
    }
}
