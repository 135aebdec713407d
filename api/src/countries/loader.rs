//! DataLoaders keyed by country code.

use std::{collections::HashMap, sync::Arc};

use async_graphql::dataloader::Loader;
use sea_orm::DatabaseConnection;

use crate::{
    auth::{OrgScope, ReadableOrganizations},
    error::ApiError,
    graphql::context::{RequestContext, RequestLoader},
    organizations::service as organizations,
};

/// Number of organizations the caller may see, by country code.
pub struct OrganizationCountsByCountry {
    /// Database.
    pub db: DatabaseConnection,
    /// The caller's scope.
    pub scope: Arc<OrgScope>,
}

impl Loader<String> for OrganizationCountsByCountry {
    type Value = u64;
    type Error = Arc<ApiError>;

    async fn load(&self, keys: &[String]) -> Result<HashMap<String, u64>, Self::Error> {
        organizations::count_by_country(&self.db, &self.scope, keys).await.map_err(Arc::new)
    }
}

impl RequestLoader for OrganizationCountsByCountry {
    fn build(request: &RequestContext) -> Self {
        Self { db: request.db().clone(), scope: request.scope::<ReadableOrganizations>() }
    }
}
