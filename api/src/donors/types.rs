//! GraphQL types of donors: the donor object, inputs and payloads.

use async_graphql::{Context, ID, InputObject, Object, Result};
use chrono::{DateTime, Utc};

use crate::{
    countries::types::Country,
    graphql::{
        context::loader,
        loader::batch_loader,
        relay::{NodeKind, encode_uuid},
        scalars::CountryCode,
        user_error::payload,
    },
};

batch_loader! {
    /// The countries each donor gives in.
    DonorCountries: uuid::Uuid => Vec<String>,
    |db, keys| super::service::countries_of(db, keys).await
}

/// A donor company offering programs to the network. Public. Shared, not
/// copied, between the loader and every field that shows it.
#[derive(Clone, Debug)]
pub struct Donor(pub std::sync::Arc<entity::donor::Model>);

impl Donor {
    /// The type of its global IDs: a donor company.
    pub const KIND: NodeKind = NodeKind::new("Donor");
}

impl From<entity::donor::Model> for Donor {
    fn from(row: entity::donor::Model) -> Self {
        Self(row.into())
    }
}

impl From<std::sync::Arc<entity::donor::Model>> for Donor {
    fn from(row: std::sync::Arc<entity::donor::Model>) -> Self {
        Self(row)
    }
}

/// A donor company offering programs to the network. Public.
#[Object]
impl Donor {
    /// Global ID (`node(id:)` answers it).
    pub async fn id(&self) -> ID {
        encode_uuid(Self::KIND, self.0.id)
    }

    /// URL-safe unique handle, e.g. `acme-cloud`: how `donor(slug:)` finds it.
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// The company's name, as organizations see it.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Its public web site, when it gave one.
    async fn website(&self) -> Option<&str> {
        self.0.website.as_deref()
    }

    /// What it gives and why, in its own words.
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }

    /// URL of its logo (https).
    async fn logo_url(&self) -> Option<&str> {
        self.0.logo_url.as_deref()
    }

    /// The countries where it gives.
    async fn countries(&self, ctx: &Context<'_>) -> Result<Vec<Country>> {
        let codes = loader::<DonorCountries>(ctx)?.load_one(self.0.id).await?.unwrap_or_default();
        Ok(codes.iter().filter_map(|c| Country::of(c)).collect())
    }

    /// When it was added to the network.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// Input of `createDonor`.
#[derive(InputObject)]
pub struct CreateDonorInput {
    /// Name (1 to 200 characters).
    pub name: String,
    /// URL-safe handle; derived from the name when absent.
    pub slug: Option<String>,
    /// Web site.
    pub website: Option<String>,
    /// What it gives and why (up to 5,000 characters).
    pub description: Option<String>,
    /// URL of its logo (https).
    pub logo_url: Option<String>,
    /// Countries where it gives.
    #[graphql(default)]
    pub countries: Vec<CountryCode>,
}

/// Input of `updateDonor`: fields left out stay as they are; `null` clears an optional one.
#[derive(InputObject)]
pub struct UpdateDonorInput {
    /// The donor (its admins, platform admins).
    pub donor: ID,
    /// Name.
    pub name: Option<String>,
    /// Web site.
    pub website: async_graphql::MaybeUndefined<String>,
    /// What it gives and why.
    pub description: async_graphql::MaybeUndefined<String>,
    /// URL of its logo (https).
    pub logo_url: async_graphql::MaybeUndefined<String>,
    /// Countries where it gives (replaces the list).
    pub countries: Option<Vec<CountryCode>>,
}

payload! {
    /// Result of `createDonor`.
    CreateDonorPayload { donor: Donor, "The new donor" }
    /// Result of `updateDonor`.
    UpdateDonorPayload { donor: Donor, "The donor after the change" }
}
