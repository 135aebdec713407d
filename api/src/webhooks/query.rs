//! Queries of webhooks.

use async_graphql::{Context, ID, Object, Result};
use entity::enums::MembershipScope;

use super::{
    service,
    target::TargetRules,
    types::{WebhookEndpoint, WebhookEventType, WebhookEventTypeInfo, WebhookOwnerKind},
};
use crate::{
    api_keys::types::owner_of,
    graphql::{
        context::{db, policy, request},
        relay::decode_uuid,
    },
};

/// Queries of webhooks.
#[derive(Default)]
pub struct WebhookQuery;

#[Object]
impl WebhookQuery {
    /// The webhook endpoints of a partner or donor, oldest first (its admins,
    /// its keys holding `webhooks:write`, platform admins).
    async fn webhook_endpoints(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ID of the partner or donor.")] owner: ID,
    ) -> Result<Vec<WebhookEndpoint>> {
        let (scope, owner_id) = owner_of(&owner)?;
        policy(ctx)?.authorize_webhook_admin(&request(ctx)?.caller, scope, owner_id)?;
        Ok(service::of_owner(db(ctx)?, scope, owner_id).await?.into_iter().map(WebhookEndpoint).collect())
    }

    /// One webhook endpoint, with its deliveries (for whoever manages its
    /// owner's webhooks; null when there is none, FORBIDDEN for others).
    async fn webhook_endpoint(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The endpoint's global ID.")] id: ID,
    ) -> Result<Option<WebhookEndpoint>> {
        let id = decode_uuid(&id, WebhookEndpoint::KIND)?;
        let Some(found) = service::by_id(db(ctx)?, id).await? else { return Ok(None) };
        policy(ctx)?.authorize_webhook_admin(&request(ctx)?.caller, found.owner_scope, found.owner_id)?;
        Ok(Some(WebhookEndpoint(found)))
    }

    /// The event types webhooks carry, and who may receive each (public).
    async fn webhook_event_types(&self, ctx: &Context<'_>) -> Result<Vec<WebhookEventTypeInfo>> {
        let policy = policy(ctx)?;
        Ok(WebhookEventType::ALL
            .into_iter()
            .map(|t| WebhookEventTypeInfo {
                event_type: t,
                name: t.wire(),
                offered_to: [(MembershipScope::Partner, WebhookOwnerKind::Partner), (MembershipScope::Donor, WebhookOwnerKind::Donor)]
                    .into_iter()
                    .filter(|(scope, _)| policy.webhook_event_offered(*scope, t.wire()))
                    .map(|(_, kind)| kind)
                    .collect(),
            })
            .collect())
    }
}

/// The deployment's webhook target rules (schema data).
pub fn rules<'a>(ctx: &Context<'a>) -> Result<&'a TargetRules> {
    ctx.data::<TargetRules>()
}

/// Webhook endpoints and deliveries are never fetched by `node(id:)`: it answers null for theirs.
pub fn register_nodes(registry: &mut crate::graphql::node::NodeRegistry) {
    registry.private(super::types::WebhookEndpoint::KIND);
    registry.private(super::types::WebhookDelivery::KIND);
}
