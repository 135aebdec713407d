//! DataLoaders of organizations.

use std::{collections::HashMap, sync::Arc};

use uuid::Uuid;

use super::service;
use crate::{
    auth::OrgScope,
    error::ApiError,
    graphql::loader::{batch_loader, by_id},
};

batch_loader! {
    /// Organizations by id, within the caller's scope: one outside it is simply absent.
    OrganizationById: Uuid => entity::organization::Model,
    |db, scope, keys| service::by_ids(db, scope, keys).await.map(|rows| by_id(rows, |m| m.id))
}

batch_loader! {
    /// Registration identifiers by organization id.
    RegistrationsByOrganization: Uuid => Vec<entity::organization_registration::Model>,
    |db, keys| service::registrations_of(db, keys).await
}

batch_loader! {
    /// Possible duplicates by organization id, within the caller's scope (the
    /// field asks the policy before loading).
    PossibleDuplicates: Uuid => Vec<entity::organization::Model>,
    |db, scope, keys| super::duplicates::possible_duplicates(db, scope, keys).await
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

batch_loader! {
    /// First pages of `partner.organizations`, for all partners of a list at once.
    PartnerFirstPages: PartnerPageKey => crate::pagination::Page<entity::organization::Model>,
    |db, scope, keys| first_pages(db, scope, keys).await
}

batch_loader! {
    /// Totals of `partner.organizations`, for all partners of a list at once.
    PartnerOrganizationCounts: PartnerPageKey => u64,
    |db, scope, keys| counts(db, scope, keys).await
}

type PageOf = crate::pagination::Page<entity::organization::Model>;

/// One statement per distinct argument set.
async fn first_pages(
    db: &sea_orm::DatabaseConnection,
    scope: &OrgScope,
    keys: &[PartnerPageKey],
) -> Result<HashMap<PartnerPageKey, PageOf>, ApiError> {
    let mut out = HashMap::new();
    for (args, partners) in by_args(keys) {
        let pages = super::by_partner::first_pages(db, scope, &args.filter, args.order, args.limit, &partners).await?;
        out.extend(pages.into_iter().map(|(partner_id, page)| (PartnerPageKey { partner_id, args: args.clone() }, page)));
    }
    Ok(out)
}

/// One statement per distinct argument set.
async fn counts(
    db: &sea_orm::DatabaseConnection,
    scope: &OrgScope,
    keys: &[PartnerPageKey],
) -> Result<HashMap<PartnerPageKey, u64>, ApiError> {
    let mut out = HashMap::new();
    for (args, partners) in by_args(keys) {
        let totals = super::by_partner::counts(db, scope, &args.filter, &partners).await?;
        out.extend(totals.into_iter().map(|(partner_id, n)| (PartnerPageKey { partner_id, args: args.clone() }, n)));
    }
    Ok(out)
}
