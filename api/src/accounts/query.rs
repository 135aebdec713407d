//! The `viewer` query.

use async_graphql::Object;

use super::types::Viewer;

/// Queries of accounts.
#[derive(Default)]
pub struct AccountQuery;

#[Object]
impl AccountQuery {
    /// The caller of this request.
    async fn viewer(&self) -> Viewer {
        Viewer
    }
}

/// Accounts (reached through `viewer`) are never fetched by ID: `node(id:)` answers null for theirs.
pub fn register_nodes(registry: &mut crate::graphql::node::NodeRegistry) {
    registry.private(super::types::User::KIND);
}
