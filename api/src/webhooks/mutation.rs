//! Mutations of webhooks.

use async_graphql::{Context, Object, Result};

use super::{
    query::rules,
    service,
    types::{
        CreateWebhookEndpointInput, DeleteWebhookEndpointPayload, RedeliverWebhookDeliveryInput, RedeliverWebhookDeliveryPayload,
        UpdateWebhookEndpointInput, UpdateWebhookEndpointPayload, WebhookDelivery, WebhookEndpoint, WebhookEndpointInput,
        WebhookEndpointSecretPayload,
    },
};
use crate::{
    api_keys::types::owner_of,
    events::{Actor, published},
    graphql::{
        context::{bus, clock, db, policy, request},
        relay::{decode_uuid, encode_uuid},
        user_error::{UserError, outcome},
    },
    user_errors::{UserErrorCode, field_error},
};

/// Mutations of webhooks.
#[derive(Default)]
pub struct WebhookMutation;

/// The user errors of an `id` naming nothing.
fn not_found(message: &str) -> Result<Vec<UserError>> {
    let (_, errors) = outcome::<(), ()>(Err(field_error(&["id"], UserErrorCode::NotFound, message)), |v| v)?;
    Ok(errors)
}

/// The user errors of an endpoint that does not exist.
fn no_endpoint() -> Result<Vec<UserError>> {
    not_found("no webhook endpoint has this ID")
}

/// The endpoint named by `id`, if it exists and the caller manages it
/// (FORBIDDEN otherwise); `None` when it does not exist.
async fn managed(ctx: &Context<'_>, id: &async_graphql::ID) -> Result<Option<entity::webhook_endpoint::Model>> {
    let id = decode_uuid(id, WebhookEndpoint::KIND)?;
    let Some(endpoint) = service::by_id(db(ctx)?, id).await? else { return Ok(None) };
    policy(ctx)?.authorize_webhook_admin(&request(ctx)?.caller, endpoint.owner_scope, endpoint.owner_id)?;
    Ok(Some(endpoint))
}

#[Object]
impl WebhookMutation {
    /// Registers a webhook endpoint for a partner or donor (its admins, its
    /// keys holding `webhooks:write`, platform admins). The signing secret
    /// is in the payload this once. Refused targets: a URL that is not
    /// `https` in production (INVALID), a host that is not a public address
    /// (TARGET_NOT_ALLOWED); at most 20 endpoints per owner (TOO_MANY).
    async fn create_webhook_endpoint(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The endpoint to register.")] input: CreateWebhookEndpointInput,
    ) -> Result<WebhookEndpointSecretPayload> {
        let (owner_scope, owner_id) = owner_of(&input.owner)?;
        let caller = &request(ctx)?.caller;
        policy(ctx)?.authorize_webhook_admin(caller, owner_scope, owner_id)?;
        let new = service::NewEndpoint {
            owner_scope,
            owner_id,
            url: input.url,
            description: input.description,
            event_types: input.event_types.iter().map(|t| t.wire().to_owned()).collect(),
            created_by: caller.user().map(|u| u.user_id),
        };
        let written = service::create(db(ctx)?, clock(ctx)?, &Actor::of(caller)?, *rules(ctx)?, new).await;
        let (created, user_errors) = outcome(published(bus(ctx)?, written).await, |v| v)?;
        Ok(match created {
            Some((endpoint, secret)) => {
                WebhookEndpointSecretPayload { webhook_endpoint: Some(WebhookEndpoint(endpoint)), secret: Some(secret), user_errors }
            }
            None => WebhookEndpointSecretPayload { webhook_endpoint: None, secret: None, user_errors },
        })
    }

    /// Changes an endpoint's URL, description or event types, or disables
    /// or enables it (enabling clears its failure record).
    async fn update_webhook_endpoint(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The fields to change.")] input: UpdateWebhookEndpointInput,
    ) -> Result<UpdateWebhookEndpointPayload> {
        let Some(endpoint) = managed(ctx, &input.id).await? else {
            return Ok(UpdateWebhookEndpointPayload { webhook_endpoint: None, user_errors: no_endpoint()? });
        };
        let change = service::EndpointChange {
            url: input.url,
            description: input.description,
            event_types: input.event_types.map(|types| types.iter().map(|t| t.wire().to_owned()).collect()),
            enabled: input.enabled,
        };
        let caller = &request(ctx)?.caller;
        let written = service::update(db(ctx)?, clock(ctx)?, &Actor::of(caller)?, *rules(ctx)?, endpoint, change).await;
        let (webhook_endpoint, user_errors) = outcome(published(bus(ctx)?, written).await, WebhookEndpoint)?;
        Ok(UpdateWebhookEndpointPayload { webhook_endpoint, user_errors })
    }

    /// Gives an endpoint a new signing secret at once (the old one stops
    /// signing); the new secret is in the payload this once.
    async fn rotate_webhook_endpoint_secret(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The endpoint.")] input: WebhookEndpointInput,
    ) -> Result<WebhookEndpointSecretPayload> {
        let Some(endpoint) = managed(ctx, &input.id).await? else {
            return Ok(WebhookEndpointSecretPayload { webhook_endpoint: None, secret: None, user_errors: no_endpoint()? });
        };
        let caller = &request(ctx)?.caller;
        let written = service::rotate_secret(db(ctx)?, clock(ctx)?, &Actor::of(caller)?, endpoint).await;
        let (rotated, user_errors) = outcome(published(bus(ctx)?, written).await, |v| v)?;
        Ok(match rotated {
            Some((endpoint, secret)) => {
                WebhookEndpointSecretPayload { webhook_endpoint: Some(WebhookEndpoint(endpoint)), secret: Some(secret), user_errors }
            }
            None => WebhookEndpointSecretPayload { webhook_endpoint: None, secret: None, user_errors },
        })
    }

    /// Deletes an endpoint with its deliveries and their log.
    async fn delete_webhook_endpoint(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The endpoint.")] input: WebhookEndpointInput,
    ) -> Result<DeleteWebhookEndpointPayload> {
        let Some(endpoint) = managed(ctx, &input.id).await? else {
            return Ok(DeleteWebhookEndpointPayload { deleted_webhook_endpoint_id: None, user_errors: no_endpoint()? });
        };
        let caller = &request(ctx)?.caller;
        let written = service::delete(db(ctx)?, clock(ctx)?, &Actor::of(caller)?, endpoint).await;
        let (deleted, user_errors) = outcome(published(bus(ctx)?, written).await, |e| encode_uuid(WebhookEndpoint::KIND, e.id))?;
        Ok(DeleteWebhookEndpointPayload { deleted_webhook_endpoint_id: deleted, user_errors })
    }

    /// Sends a delivery again (whatever its status) as soon as the
    /// dispatcher runs, retried for another 24 hours; the receiver sees the
    /// same `webhook-id`. Refused while the endpoint is disabled (ENDPOINT_DISABLED).
    async fn redeliver_webhook_delivery(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The delivery.")] input: RedeliverWebhookDeliveryInput,
    ) -> Result<RedeliverWebhookDeliveryPayload> {
        let id = decode_uuid(&input.id, WebhookDelivery::KIND)?;
        let Some((delivery, endpoint)) = service::delivery_by_id(db(ctx)?, id).await? else {
            return Ok(RedeliverWebhookDeliveryPayload {
                webhook_delivery: None,
                user_errors: not_found("no webhook delivery has this ID")?,
            });
        };
        policy(ctx)?.authorize_webhook_admin(&request(ctx)?.caller, endpoint.owner_scope, endpoint.owner_id)?;
        let result = service::redeliver(db(ctx)?, clock(ctx)?, &endpoint, delivery).await;
        let (webhook_delivery, user_errors) = outcome(result, WebhookDelivery)?;
        Ok(RedeliverWebhookDeliveryPayload { webhook_delivery, user_errors })
    }
}
