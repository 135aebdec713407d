//! DataLoaders of organizations.

use std::{collections::HashMap, sync::Arc};

use async_graphql::dataloader::Loader;
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::service;
use crate::{auth::OrgScope, error::ApiError};

/// Organizations by id, within the caller's scope: one outside it is simply absent.
pub struct OrganizationById {
    /// Database.
    pub db: DatabaseConnection,
    /// The caller's scope.
    pub scope: OrgScope,
}

impl Loader<Uuid> for OrganizationById {
    type Value = entity::organization::Model;
    type Error = Arc<ApiError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let rows = service::by_ids(&self.db, &self.scope, keys).await.map_err(Arc::new)?;
        Ok(rows.into_iter().map(|m| (m.id, m)).collect())
    }
}

/// Registration identifiers by organization id.
pub struct RegistrationsByOrganization(pub DatabaseConnection);

impl Loader<Uuid> for RegistrationsByOrganization {
    type Value = Vec<entity::organization_registration::Model>;
    type Error = Arc<ApiError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        service::registrations_of(&self.0, keys).await.map_err(Arc::new)
    }
}
