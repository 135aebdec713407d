//! DataLoaders of partners.

use std::{collections::HashMap, sync::Arc};

use async_graphql::dataloader::Loader;
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::service;
use crate::{
    error::ApiError,
    graphql::context::{RequestContext, RequestLoader},
};

/// Partners by id.
pub struct PartnerById(pub DatabaseConnection);

impl Loader<Uuid> for PartnerById {
    type Value = entity::partner::Model;
    type Error = Arc<ApiError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let rows = service::by_ids(&self.0, keys).await.map_err(Arc::new)?;
        Ok(rows.into_iter().map(|m| (m.id, m)).collect())
    }
}

/// The partners serving each country, by country code.
pub struct PartnersByCountry(pub DatabaseConnection);

impl Loader<String> for PartnersByCountry {
    type Value = Vec<entity::partner::Model>;
    type Error = Arc<ApiError>;

    async fn load(&self, keys: &[String]) -> Result<HashMap<String, Self::Value>, Self::Error> {
        service::serving(&self.0, keys).await.map_err(Arc::new)
    }
}

/// The country codes each partner serves, by partner id.
pub struct CountriesByPartner(pub DatabaseConnection);

impl Loader<Uuid> for CountriesByPartner {
    type Value = Vec<String>;
    type Error = Arc<ApiError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        service::countries_of(&self.0, keys).await.map_err(Arc::new)
    }
}

impl RequestLoader for PartnerById {
    fn build(request: &RequestContext) -> Self {
        Self(request.db().clone())
    }
}

impl RequestLoader for PartnersByCountry {
    fn build(request: &RequestContext) -> Self {
        Self(request.db().clone())
    }
}

impl RequestLoader for CountriesByPartner {
    fn build(request: &RequestContext) -> Self {
        Self(request.db().clone())
    }
}
