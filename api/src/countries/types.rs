//! GraphQL type of a country.

use async_graphql::{Context, ID, InputObject, Object, Result};

use crate::{
    countries::loader::OrganizationCountsByCountry,
    domain,
    graphql::{
        context::loader,
        relay::{NodeKind, encode},
        scalars::{CountryCode, CurrencyCode},
    },
    partners::{loader::PartnersByCountry, types::Partner},
};

/// A country or territory of ISO 3166-1.
#[derive(Clone, Debug)]
pub struct Country(pub domain::CountryCode);

impl Country {
    /// The type of its global IDs: a country, keyed by its ISO code.
    pub const KIND: NodeKind = NodeKind::new("Country");

    /// The country of a stored ISO code (none for a code ISO 3166-1 does not know).
    pub fn of(code: &str) -> Option<Self> {
        domain::CountryCode::parse(code).ok().map(Self)
    }
}

impl crate::graphql::connection::Listed for Country {
    const CONNECTION: &'static str = "CountryConnection";
    const EDGE: &'static str = "CountryEdge";
}

/// A country or territory of ISO 3166-1, with the network partners serving it.
#[Object]
impl Country {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode(Country::KIND, self.0.as_str())
    }

    /// ISO 3166-1 alpha-2 code, e.g. `KE`.
    async fn code(&self) -> CountryCode {
        self.0.into()
    }

    /// ISO 3166-1 alpha-3 code, e.g. `KEN`.
    async fn alpha3(&self) -> &'static str {
        self.0.alpha3()
    }

    /// English short name of ISO 3166-1.
    async fn name(&self) -> &'static str {
        self.0.name()
    }

    /// The main ISO 4217 currency in use, if the country has one.
    async fn default_currency(&self) -> Option<CurrencyCode> {
        self.0.default_currency().map(|c| CurrencyCode(c.as_str().to_owned()))
    }

    /// The network partners serving this country (not archived), oldest member first.
    async fn partners(&self, ctx: &Context<'_>) -> Result<Vec<Partner>> {
        let partners = loader::<PartnersByCountry>(ctx)?.load_one(self.0.as_str().to_owned()).await?;
        Ok(partners.unwrap_or_default().into_iter().map(Partner::from).collect())
    }

    /// Number of organizations in this country that the caller may see (archived ones excluded).
    async fn organization_count(&self, ctx: &Context<'_>) -> Result<u64> {
        let count = loader::<OrganizationCountsByCountry>(ctx)?.load_one(self.0.as_str().to_owned()).await?;
        Ok(count.unwrap_or(0))
    }
}

/// Narrows the country list.
#[derive(InputObject, Default)]
pub struct CountryFilter {
    /// Only countries served (`true`) or not served (`false`) by a network partner.
    pub served: Option<bool>,
    /// Case-insensitive part of the name, or the exact code.
    #[graphql(validator(max_length = 100))]
    pub search: Option<String>,
}

impl From<CountryFilter> for crate::countries::service::CountryFilter {
    fn from(f: CountryFilter) -> Self {
        Self { served: f.served, search: f.search }
    }
}
