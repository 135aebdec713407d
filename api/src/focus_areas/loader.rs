//! DataLoaders of focus areas.

use std::{collections::HashMap, sync::Arc};

use async_graphql::dataloader::Loader;
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::service;
use crate::{
    error::ApiError,
    graphql::context::{RequestContext, RequestLoader},
};

/// Focus areas of organizations, by organization id.
pub struct FocusAreasByOrganization(pub DatabaseConnection);

impl Loader<Uuid> for FocusAreasByOrganization {
    type Value = Vec<entity::focus_area::Model>;
    type Error = Arc<ApiError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        service::for_organizations(&self.0, keys).await.map_err(Arc::new)
    }
}

/// Focus areas by id (for `node(id:)`).
pub struct FocusAreaById(pub DatabaseConnection);

impl Loader<Uuid> for FocusAreaById {
    type Value = entity::focus_area::Model;
    type Error = Arc<ApiError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let rows = service::by_ids(&self.0, keys).await.map_err(Arc::new)?;
        Ok(rows.into_iter().map(|m| (m.id, m)).collect())
    }
}

impl RequestLoader for FocusAreasByOrganization {
    fn build(request: &RequestContext) -> Self {
        Self(request.db().clone())
    }
}

impl RequestLoader for FocusAreaById {
    fn build(request: &RequestContext) -> Self {
        Self(request.db().clone())
    }
}
