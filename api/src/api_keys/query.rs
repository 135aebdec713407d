//! Queries of API keys.

use async_graphql::{Context, ID, Object, Result};

use super::{
    service,
    types::{ApiKey, owner_of},
};
use crate::graphql::context::{db, policy, request};

/// Queries of API keys.
#[derive(Default)]
pub struct ApiKeyQuery;

#[Object]
impl ApiKeyQuery {
    /// The API keys of a partner or donor, newest first (its admins and platform admins).
    async fn api_keys(&self, ctx: &Context<'_>, #[graphql(desc = "Global ID of the partner or donor.")] owner: ID) -> Result<Vec<ApiKey>> {
        let (scope, owner_id) = owner_of(&owner)?;
        policy(ctx)?.authorize_api_key_admin(&request(ctx)?.caller, scope, owner_id)?;
        Ok(service::of_owner(db(ctx)?, scope, owner_id).await?.into_iter().map(ApiKey).collect())
    }
}

/// API keys (listed by `apiKeys`) are never fetched by ID: `node(id:)` answers null for theirs.
pub fn register_nodes(registry: &mut crate::graphql::node::NodeRegistry) {
    registry.private(super::types::ApiKey::KIND);
}
