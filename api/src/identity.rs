//! The areas' answers to what identifying a caller looks up
//! ([`crate::auth::identify::Directory`]): API keys from `api_keys`, accounts
//! from `accounts`, roles from `memberships`. Wired into the state by `app.rs`,
//! so `auth/` itself names no area.

use sea_orm::DatabaseConnection;
use uuid::Uuid;

use crate::{
    auth::{
        ApiKeyCaller, ApiScope,
        identify::{Account, Directory},
    },
    error::ApiError,
};

/// The directory over the database.
pub struct AreaDirectory {
    db: DatabaseConnection,
}

impl AreaDirectory {
    /// A directory reading `db`.
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}

#[async_trait::async_trait]
impl Directory for AreaDirectory {
    async fn api_key(&self, presented: &str) -> Result<Option<ApiKeyCaller>, ApiError> {
        let Some(found) = crate::api_keys::service::authenticate(&self.db, presented).await? else { return Ok(None) };
        Ok(Some(ApiKeyCaller {
            key_id: found.id,
            owner_scope: found.owner_scope,
            owner_id: found.owner_id,
            // Stored names were checked when the key was made; a name this
            // version no longer knows grants nothing.
            scopes: found.scopes.0.iter().filter_map(|name| ApiScope::parse(name)).collect(),
        }))
    }

    async fn account(&self, user_id: Uuid) -> Result<Option<Account>, ApiError> {
        let Some(user) = crate::accounts::service::by_id(&self.db, user_id).await? else { return Ok(None) };
        let (grants, partner_countries) = crate::memberships::service::grants_of(&self.db, user.id).await?;
        Ok(Some(Account {
            user_id: user.id,
            is_platform_admin: user.is_platform_admin,
            email_verified: user.email_verified_at.is_some(),
            grants,
            partner_countries,
        }))
    }
}
