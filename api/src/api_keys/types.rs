//! GraphQL types of API keys.

use async_graphql::{ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use entity::enums::MembershipScope;

use crate::graphql::{
    relay::{NodeKind, encode_uuid},
    user_error::{UserError, payload},
};

/// An API key of an integration (never its secret).
#[derive(Clone, Debug)]
pub struct ApiKey(pub entity::api_key::Model);

impl ApiKey {
    /// The type of its global IDs: an API key.
    pub const KIND: NodeKind = NodeKind::new("ApiKey");
}

/// An API key of an integration. The secret is shown once, at creation.
#[Object]
impl ApiKey {
    /// Global ID.
    async fn id(&self) -> ID {
        encode_uuid(ApiKey::KIND, self.0.id)
    }

    /// A name to recognise it by.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Visible start of the key, to identify it in logs and settings.
    async fn prefix(&self) -> &str {
        &self.0.prefix
    }

    /// Named scopes, e.g. `organizations:read`.
    async fn scopes(&self) -> &[String] {
        &self.0.scopes.0
    }

    /// Global ID of the owning partner or donor.
    async fn owner_id(&self) -> ID {
        let node_type = if self.0.owner_scope == MembershipScope::Partner {
            crate::partners::types::Partner::KIND
        } else {
            crate::donors::types::Donor::KIND
        };
        encode_uuid(node_type, self.0.owner_id)
    }

    /// When it stops working, if ever.
    async fn expires_at(&self) -> Option<DateTime<Utc>> {
        self.0.expires_at
    }

    /// Last time it was used (to the minute).
    async fn last_used_at(&self) -> Option<DateTime<Utc>> {
        self.0.last_used_at
    }

    /// When it was revoked.
    async fn revoked_at(&self) -> Option<DateTime<Utc>> {
        self.0.revoked_at
    }

    /// When it was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// Result of `createApiKey`.
#[derive(SimpleObject)]
pub struct CreateApiKeyPayload {
    /// The new key's record; null when there are user errors.
    pub api_key: Option<ApiKey>,
    /// The key itself, shown this once: send it as `Authorization: Bearer <key>` or `X-Api-Key: <key>`.
    pub key: Option<String>,
    /// What the caller must fix; empty on success.
    pub user_errors: Vec<UserError>,
}

payload! {
    /// Result of `revokeApiKey`.
    RevokeApiKeyPayload { api_key: ApiKey, "The revoked key" }
}

/// Input of `createApiKey`.
#[derive(InputObject)]
pub struct CreateApiKeyInput {
    /// Global ID of the partner or donor the key acts for.
    pub owner: ID,
    /// A name to recognise it by (1 to 120 characters).
    pub name: String,
    /// Named scopes: `organizations:read`, `partners:read`, `validations:read`,
    /// `programs:read`, `programs:write`, `requests:read`, `requests:write`,
    /// `webhooks:write`.
    pub scopes: Vec<String>,
    /// When it stops working; never when absent.
    pub expires_at: Option<DateTime<Utc>>,
}

/// Input of `revokeApiKey`.
#[derive(InputObject)]
pub struct RevokeApiKeyInput {
    /// The key's global ID.
    pub id: ID,
}

/// The owner (scope and id) of a partner or donor global ID: of API keys
/// and of webhook endpoints.
pub fn owner_of(id: &str) -> Result<(MembershipScope, uuid::Uuid), crate::error::ApiError> {
    let global = crate::graphql::relay::decode(id)?;
    let scope = if global.kind == crate::partners::types::Partner::KIND.name() {
        MembershipScope::Partner
    } else if global.kind == crate::donors::types::Donor::KIND.name() {
        MembershipScope::Donor
    } else {
        return Err(crate::error::ApiError::InvalidId("expected the ID of a partner or a donor".to_owned()));
    };
    let owner = uuid::Uuid::parse_str(&global.key).map_err(|_| crate::error::ApiError::InvalidId("malformed ID".to_owned()))?;
    Ok((scope, owner))
}
