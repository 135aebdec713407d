//! The `viewer` query.

use async_graphql::{Context, Object, Result};

use super::{
    service,
    types::{Session, User, ViewerKind},
};
use crate::{
    api_keys::types::ApiKey,
    auth::Caller,
    graphql::context::{db, request, sessions},
    memberships::types::Membership,
};

/// Who is calling.
pub struct Viewer;

/// The caller: anonymous, a signed-in user with their sessions, or an API key.
#[Object]
impl Viewer {
    /// Anonymous or a signed-in user.
    async fn kind(&self, ctx: &Context<'_>) -> Result<ViewerKind> {
        Ok(match &request(ctx)?.caller {
            Caller::User(_) => ViewerKind::User,
            Caller::ApiKey(_) => ViewerKind::ApiKey,
            Caller::Anonymous | Caller::System => ViewerKind::Anonymous,
        })
    }

    /// The signed-in user's roles in organizations, partners and donors.
    async fn memberships(&self, ctx: &Context<'_>) -> Result<Vec<Membership>> {
        let Some(caller) = request(ctx)?.caller.user() else { return Ok(Vec::new()) };
        Ok(crate::memberships::service::of_user(db(ctx)?, caller.user_id).await?.into_iter().map(Membership::from).collect())
    }

    /// The API key of the request, for integrations; null otherwise.
    async fn api_key(&self, ctx: &Context<'_>) -> Result<Option<ApiKey>> {
        let Caller::ApiKey(key) = &request(ctx)?.caller else { return Ok(None) };
        Ok(crate::api_keys::service::by_id(db(ctx)?, key.key_id).await?.map(ApiKey))
    }

    /// The signed-in user; null for anonymous callers.
    async fn user(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        let Some(caller) = request(ctx)?.caller.user() else { return Ok(None) };
        Ok(service::by_id(db(ctx)?, caller.user_id).await?.map(User))
    }

    /// The signed-in user's open sessions, newest first; empty for anonymous callers.
    async fn sessions(&self, ctx: &Context<'_>) -> Result<Vec<Session>> {
        let Some(caller) = request(ctx)?.caller.user() else { return Ok(Vec::new()) };
        let records = sessions(ctx)?.list(caller.user_id).await?;
        Ok(records.into_iter().map(|record| Session { current: record.id == caller.session_id, record }).collect())
    }
}

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
