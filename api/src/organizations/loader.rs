//! DataLoaders of organizations.

use std::{collections::HashMap, sync::Arc};

use async_graphql::dataloader::Loader;
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::service;
use crate::{
    auth::{OrgScope, ReadableOrganizations},
    error::ApiError,
    graphql::context::{RequestContext, RequestLoader},
};

/// Organizations by id, within the caller's scope: one outside it is simply absent.
pub struct OrganizationById {
    /// Database.
    pub db: DatabaseConnection,
    /// The caller's scope.
    pub scope: Arc<OrgScope>,
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

/// Possible duplicates by organization id, within the caller's scope (the field
/// asks the policy before loading).
pub struct PossibleDuplicates {
    /// Database.
    pub db: DatabaseConnection,
    /// The caller's scope.
    pub scope: Arc<OrgScope>,
}

impl Loader<Uuid> for PossibleDuplicates {
    type Value = Vec<entity::organization::Model>;
    type Error = Arc<ApiError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        super::duplicates::possible_duplicates(&self.db, &self.scope, keys).await.map_err(Arc::new)
    }
}

/// The arguments of one `partner.organizations` field (the same for every
/// partner of a list); compared by a canonical signature.
#[derive(Clone, Debug)]
pub struct PartnerPageArgs {
    /// Filter.
    pub filter: super::service::OrganizationFilter,
    /// Order.
    pub order: super::service::OrganizationOrder,
    /// Page size (0 for counts).
    pub limit: u64,
    signature: String,
}

impl PartnerPageArgs {
    /// Arguments of a first page (or of a count, with `limit` 0).
    pub fn new(filter: super::service::OrganizationFilter, order: super::service::OrganizationOrder, limit: u64) -> Self {
        let signature = format!("{filter:?}|{order:?}|{limit}");
        Self { filter, order, limit, signature }
    }
}

impl PartialEq for PartnerPageArgs {
    fn eq(&self, other: &Self) -> bool {
        self.signature == other.signature
    }
}

impl Eq for PartnerPageArgs {}

impl std::hash::Hash for PartnerPageArgs {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.signature.hash(state);
    }
}

/// A partner and the arguments of its `organizations` field.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PartnerPageKey {
    /// The partner.
    pub partner_id: Uuid,
    /// The field's arguments.
    pub args: Arc<PartnerPageArgs>,
}

/// Groups keys by their arguments: one statement per distinct argument set.
fn by_args(keys: &[PartnerPageKey]) -> HashMap<Arc<PartnerPageArgs>, Vec<Uuid>> {
    let mut groups: HashMap<Arc<PartnerPageArgs>, Vec<Uuid>> = HashMap::new();
    for key in keys {
        groups.entry(key.args.clone()).or_default().push(key.partner_id);
    }
    groups
}

/// First pages of `partner.organizations`, for all partners of a list at once.
pub struct PartnerFirstPages {
    /// Database.
    pub db: DatabaseConnection,
    /// The caller's scope.
    pub scope: Arc<OrgScope>,
}

impl Loader<PartnerPageKey> for PartnerFirstPages {
    type Value = crate::pagination::Page<entity::organization::Model>;
    type Error = Arc<ApiError>;

    async fn load(&self, keys: &[PartnerPageKey]) -> Result<HashMap<PartnerPageKey, Self::Value>, Self::Error> {
        let mut out = HashMap::new();
        for (args, partners) in by_args(keys) {
            let pages = super::by_partner::first_pages(&self.db, &self.scope, &args.filter, args.order, args.limit, &partners)
                .await
                .map_err(Arc::new)?;
            out.extend(pages.into_iter().map(|(partner_id, page)| (PartnerPageKey { partner_id, args: args.clone() }, page)));
        }
        Ok(out)
    }
}

/// Totals of `partner.organizations`, for all partners of a list at once.
pub struct PartnerOrganizationCounts {
    /// Database.
    pub db: DatabaseConnection,
    /// The caller's scope.
    pub scope: Arc<OrgScope>,
}

impl Loader<PartnerPageKey> for PartnerOrganizationCounts {
    type Value = u64;
    type Error = Arc<ApiError>;

    async fn load(&self, keys: &[PartnerPageKey]) -> Result<HashMap<PartnerPageKey, u64>, Self::Error> {
        let mut out = HashMap::new();
        for (args, partners) in by_args(keys) {
            let totals = super::by_partner::counts(&self.db, &self.scope, &args.filter, &partners).await.map_err(Arc::new)?;
            out.extend(totals.into_iter().map(|(partner_id, n)| (PartnerPageKey { partner_id, args: args.clone() }, n)));
        }
        Ok(out)
    }
}

impl RequestLoader for RegistrationsByOrganization {
    fn build(request: &RequestContext) -> Self {
        Self(request.db().clone())
    }
}

impl RequestLoader for OrganizationById {
    fn build(request: &RequestContext) -> Self {
        Self { db: request.db().clone(), scope: request.scope::<ReadableOrganizations>() }
    }
}

impl RequestLoader for PossibleDuplicates {
    fn build(request: &RequestContext) -> Self {
        Self { db: request.db().clone(), scope: request.scope::<ReadableOrganizations>() }
    }
}

impl RequestLoader for PartnerFirstPages {
    fn build(request: &RequestContext) -> Self {
        Self { db: request.db().clone(), scope: request.scope::<ReadableOrganizations>() }
    }
}

impl RequestLoader for PartnerOrganizationCounts {
    fn build(request: &RequestContext) -> Self {
        Self { db: request.db().clone(), scope: request.scope::<ReadableOrganizations>() }
    }
}
