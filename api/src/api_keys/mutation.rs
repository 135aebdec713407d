//! Mutations of API keys.

use async_graphql::{Context, Object, Result};

use super::{
    service,
    types::{ApiKey, CreateApiKeyInput, CreateApiKeyPayload, RevokeApiKeyInput, RevokeApiKeyPayload, owner_of},
};
use crate::{
    events::{Actor, published},
    graphql::{
        context::{bus, clock, db, policy, request},
        user_error::outcome,
    },
    user_errors::{UserErrorCode, field_error},
};

/// Mutations of API keys.
#[derive(Default)]
pub struct ApiKeyMutation;

#[Object]
impl ApiKeyMutation {
    /// Creates an API key for a partner or donor (its admins and platform admins).
    /// The key is in the payload once and never again.
    async fn create_api_key(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The key to create.")] input: CreateApiKeyInput,
    ) -> Result<CreateApiKeyPayload> {
        let (owner_scope, owner_id) = owner_of(&input.owner)?;
        let caller = &request(ctx)?.caller;
        policy(ctx)?.authorize_api_key_admin(caller, owner_scope, owner_id)?;
        let new = service::NewApiKey {
            owner_scope,
            owner_id,
            name: input.name,
            scopes: input.scopes,
            expires_at: input.expires_at,
            created_by: caller.user().map(|u| u.user_id),
        };
        let written = service::create(db(ctx)?, clock(ctx)?, &Actor::of(caller)?, new).await;
        let (created, user_errors) = outcome(published(bus(ctx)?, written).await, |v| v)?;
        Ok(match created {
            Some((model, key)) => CreateApiKeyPayload { api_key: Some(ApiKey(model)), key: Some(key), user_errors },
            None => CreateApiKeyPayload { api_key: None, key: None, user_errors },
        })
    }

    /// Revokes an API key at once.
    async fn revoke_api_key(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The key to revoke.")] input: RevokeApiKeyInput,
    ) -> Result<RevokeApiKeyPayload> {
        let id = crate::graphql::relay::decode_uuid(&input.id, crate::api_keys::types::ApiKey::KIND)?;
        let caller = &request(ctx)?.caller;
        let Some(key) = service::by_id(db(ctx)?, id).await? else {
            let (_, user_errors) = outcome::<(), ()>(Err(field_error(&["id"], UserErrorCode::NotFound, "no API key has this ID")), |v| v)?;
            return Ok(RevokeApiKeyPayload { api_key: None, user_errors });
        };
        policy(ctx)?.authorize_api_key_admin(caller, key.owner_scope, key.owner_id)?;
        let written = service::revoke(db(ctx)?, clock(ctx)?, &Actor::of(caller)?, key).await;
        let (api_key, user_errors) = outcome(published(bus(ctx)?, written).await, ApiKey)?;
        Ok(RevokeApiKeyPayload { api_key, user_errors })
    }
}
