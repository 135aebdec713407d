//! `node(id:)` / `nodes(ids:)`: a global ID's type name leads to the resolver
//! its area registered ([`NodeRegistry`]); the `Node` interface itself is
//! declared by the schema assembly, the one place that lists the areas.

use std::collections::HashMap;

use async_graphql::{Context, ID, Object, Result, dataloader::Loader, futures_util::future::BoxFuture};
use futures_util::future::try_join_all;
use uuid::Uuid;

use super::{
    Node,
    context::{RequestLoader, loader},
    relay::{NodeKind, decode, not_an_id},
};
use crate::error::ApiError;

/// Fetches the object of a key (the part of a global ID after its type),
/// as the caller may see it: `None` when they may not.
pub type Resolve = for<'c, 'd> fn(&'c Context<'d>, String) -> BoxFuture<'c, Result<Option<Node>>>;

/// The types `node(id:)` knows, each with the resolver its area registered.
#[derive(Default)]
pub struct NodeRegistry(HashMap<&'static str, Option<Resolve>>);

impl NodeRegistry {
    /// Objects of `kind` are fetched by `resolve`.
    pub fn add(&mut self, kind: NodeKind, resolve: Resolve) -> &mut Self {
        self.insert(kind, Some(resolve))
    }

    /// Objects of `kind` are UUID-keyed rows loaded by the area's loader `L`
    /// (which applies the caller's scope when the type has one) and shown as `T`.
    pub fn add_loaded<L, T>(&mut self, kind: NodeKind) -> &mut Self
    where
        L: RequestLoader + Loader<Uuid>,
        L::Error: std::fmt::Display + Send + Sync,
        T: From<L::Value> + Into<Node>,
    {
        self.add(kind, load::<L, T>)
    }

    /// IDs of `kind` are valid but never fetchable by ID (accounts, API keys,
    /// donors): `node(id:)` answers null, as for an object the caller may not see.
    pub fn private(&mut self, kind: NodeKind) -> &mut Self {
        self.insert(kind, None)
    }

    fn insert(&mut self, kind: NodeKind, resolve: Option<Resolve>) -> &mut Self {
        let previous = self.0.insert(kind.name(), resolve);
        assert!(previous.is_none(), "node type {} registered twice", kind.name());
        self
    }

    async fn resolve(&self, ctx: &Context<'_>, id: &str) -> Result<Option<Node>> {
        let global = decode(id)?;
        match self.0.get(global.kind.as_str()) {
            None => Err(not_an_id(id).into()),
            Some(None) => Ok(None),
            Some(Some(resolve)) => resolve(ctx, global.key).await,
        }
    }
}

/// The UUID of a key, for resolvers of UUID-keyed types.
fn uuid_key(key: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(key).map_err(|_| ApiError::InvalidId("malformed ID".to_owned()))
}

fn load<'c, 'd, L, T>(ctx: &'c Context<'d>, key: String) -> BoxFuture<'c, Result<Option<Node>>>
where
    L: RequestLoader + Loader<Uuid>,
    L::Error: std::fmt::Display + Send + Sync,
    T: From<L::Value> + Into<Node>,
{
    Box::pin(async move {
        let row = loader::<L>(ctx)?.load_one(uuid_key(&key)?).await?;
        Ok(row.map(|row| T::from(row).into()))
    })
}

fn registry<'a>(ctx: &Context<'a>) -> Result<&'a NodeRegistry, ApiError> {
    ctx.data::<std::sync::Arc<NodeRegistry>>()
        .map(AsRef::as_ref)
        .map_err(|_| ApiError::internal(std::io::Error::other("node registry missing from the GraphQL context")))
}

/// Queries of nodes.
#[derive(Default)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    /// Fetches an object by global ID; null when there is none the caller may see.
    async fn node(&self, ctx: &Context<'_>, #[graphql(desc = "A global ID.")] id: ID) -> Result<Option<Node>> {
        registry(ctx)?.resolve(ctx, &id).await
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
        let registry = registry(ctx)?;
        try_join_all(ids.iter().map(|id| registry.resolve(ctx, id))).await
    }
}
