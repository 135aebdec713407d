//! GraphQL types of partners.

use async_graphql::{Context, Enum, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use entity::enums;

use crate::{
    countries::types::Country,
    graphql::{
        context::loader,
        enums::mirror_enum,
        order::order_input,
        relay::{NodeKind, encode_uuid},
        scalars::{CountryCode, Date},
        user_error::payload,
    },
    organizations::types::{OrganizationFilter, OrganizationOrder},
    partners::loader::CountriesByPartner,
};

/// A network partner: the organization that vets and serves civil-society
/// organizations in the countries it covers.
#[derive(Clone, Debug)]
pub struct Partner(pub entity::partner::Model);

impl Partner {
    /// The type of its global IDs: a network partner.
    pub const KIND: NodeKind = NodeKind::new("Partner");
}

impl crate::graphql::connection::Listed for Partner {
    const CONNECTION: &'static str = "PartnerConnection";
    const EDGE: &'static str = "PartnerEdge";
}

impl From<entity::partner::Model> for Partner {
    fn from(model: entity::partner::Model) -> Self {
        Self(model)
    }
}

/// How to reach a partner.
#[derive(SimpleObject, Clone, Debug)]
pub struct PartnerContact {
    /// E-mail address.
    pub email: Option<String>,
    /// Phone number.
    pub phone: Option<String>,
    /// Postal address.
    pub address: Option<String>,
}

/// Lifecycle of a partner.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum PartnerStatus {
    /// Serving its countries.
    Active,
    /// Temporarily not taking new work.
    Paused,
    /// Left the network; kept for history.
    Archived,
}

impl From<enums::PartnerStatus> for PartnerStatus {
    fn from(s: enums::PartnerStatus) -> Self {
        match s {
            enums::PartnerStatus::Active => Self::Active,
            enums::PartnerStatus::Paused => Self::Paused,
            enums::PartnerStatus::Archived => Self::Archived,
        }
    }
}

impl From<PartnerStatus> for enums::PartnerStatus {
    fn from(s: PartnerStatus) -> Self {
        match s {
            PartnerStatus::Active => Self::Active,
            PartnerStatus::Paused => Self::Paused,
            PartnerStatus::Archived => Self::Archived,
        }
    }
}

/// A network partner: the organization that vets and serves civil-society
/// organizations in the countries it covers.
#[Object]
impl Partner {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode_uuid(Partner::KIND, self.0.id)
    }

    /// URL-safe unique handle, e.g. `amani-digital-commons`.
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// Name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Public web site.
    async fn website(&self) -> Option<&str> {
        self.0.website.as_deref()
    }

    /// BCP 47 language tags the partner works in.
    async fn languages(&self) -> &[String] {
        &self.0.languages.0
    }

    /// Lifecycle status.
    async fn status(&self) -> PartnerStatus {
        self.0.status.into()
    }

    /// When the partner joined the network.
    async fn joined_on(&self) -> Date {
        Date(self.0.joined_on)
    }

    /// How to reach the partner.
    async fn contact(&self) -> PartnerContact {
        PartnerContact { email: self.0.contact_email.clone(), phone: self.0.contact_phone.clone(), address: self.0.contact_address.clone() }
    }

    /// The countries the partner serves, by code.
    async fn countries(&self, ctx: &Context<'_>) -> Result<Vec<Country>> {
        let codes = loader::<CountriesByPartner>(ctx)?.load_one(self.0.id).await?.unwrap_or_default();
        Ok(codes.iter().filter_map(|c| Country::of(c)).collect())
    }

    /// Organizations in the countries this partner serves, as the caller may see them.
    #[graphql(complexity = "first.or(last).unwrap_or(0).clamp(0, 100) as usize * child_complexity + 5")]
    async fn organizations(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Narrows the list; a `country` outside the partner's countries gives an empty list.")] filter: Option<
            OrganizationFilter,
        >,
        #[graphql(desc = "Sort order; by name when absent.")] order_by: Option<OrganizationOrder>,
        #[graphql(desc = "Returns the first n items (0 to 100).")] first: Option<i32>,
        #[graphql(desc = "Returns the items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n items (0 to 100).")] last: Option<i32>,
        #[graphql(desc = "Returns the items before this cursor.")] before: Option<String>,
    ) -> Result<crate::graphql::connection::Conn<crate::organizations::types::Organization>> {
        crate::organizations::query::partner_connection(ctx, self.0.id, filter, order_by, (first, after, last, before)).await
    }

    /// Creation time.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// Last update time.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }

    /// When the partner was archived, if it was.
    async fn archived_at(&self) -> Option<DateTime<Utc>> {
        self.0.archived_at
    }

    /// Version for optimistic concurrency: pass it as `expectedVersion` when updating.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// Narrows the partner list.
#[derive(InputObject, Default)]
pub struct PartnerFilter {
    /// Only partners serving this country.
    pub country: Option<CountryCode>,
    /// Only partners in this status.
    pub status: Option<PartnerStatus>,
    /// Case-insensitive part of the name or slug.
    #[graphql(validator(max_length = 100))]
    pub search: Option<String>,
    /// Include archived partners (default false).
    #[graphql(default)]
    pub include_archived: bool,
}

impl From<PartnerFilter> for crate::partners::service::PartnerFilter {
    fn from(f: PartnerFilter) -> Self {
        Self { country: f.country.map(|c| c.0), status: f.status.map(Into::into), search: f.search, include_archived: f.include_archived }
    }
}

mirror_enum! {
    /// Fields partners can be sorted by.
    PartnerOrderField => crate::partners::service::PartnerOrderField {
        /// Name.
        Name,
        /// Date joined the network.
        JoinedOn,
        /// Creation time.
        CreatedAt,
    }
}

order_input! {
    /// Sort order of partners.
    PartnerOrder { field: PartnerOrderField } => crate::partners::service::PartnerOrder
}

payload! {
    /// Result of `createPartner`.
    CreatePartnerPayload { partner: Partner, "The new partner" }
    /// Result of `updatePartner`.
    UpdatePartnerPayload { partner: Partner, "The updated partner" }
    /// Result of `archivePartner`.
    ArchivePartnerPayload { partner: Partner, "The archived partner" }
}

/// Input of `createPartner`.
#[derive(InputObject)]
pub struct CreatePartnerInput {
    /// Name (1 to 200 characters).
    pub name: String,
    /// URL-safe handle; derived from the name when absent.
    pub slug: Option<String>,
    /// Public web site (http or https).
    pub website: Option<String>,
    /// BCP 47 language tags (at most 20).
    #[graphql(default)]
    pub languages: Vec<String>,
    /// Initial status; ACTIVE when absent.
    pub status: Option<PartnerStatus>,
    /// When the partner joined the network; today when absent.
    pub joined_on: Option<Date>,
    /// Countries served (1 to 60).
    pub countries: Vec<CountryCode>,
    /// Contact e-mail address.
    pub contact_email: Option<String>,
    /// Contact phone number.
    pub contact_phone: Option<String>,
    /// Postal address.
    pub contact_address: Option<String>,
}

/// Input of `updatePartner`: absent fields stay as they are; null clears an optional field.
#[derive(InputObject)]
pub struct UpdatePartnerInput {
    /// The partner.
    pub id: ID,
    /// The `version` you read; the update is refused with STALE_VERSION if it moved on.
    pub expected_version: i32,
    /// New name.
    pub name: Option<String>,
    /// New slug.
    pub slug: Option<String>,
    /// New web site; null clears it.
    pub website: MaybeUndefined<String>,
    /// New languages (replace the list).
    pub languages: Option<Vec<String>>,
    /// New status (ACTIVE or PAUSED; use `archivePartner` to archive).
    pub status: Option<PartnerStatus>,
    /// New date joined.
    pub joined_on: Option<Date>,
    /// New countries served (replace the list).
    pub countries: Option<Vec<CountryCode>>,
    /// New contact e-mail; null clears it.
    pub contact_email: MaybeUndefined<String>,
    /// New contact phone; null clears it.
    pub contact_phone: MaybeUndefined<String>,
    /// New postal address; null clears it.
    pub contact_address: MaybeUndefined<String>,
}

/// Input of `archivePartner`.
#[derive(InputObject)]
pub struct ArchivePartnerInput {
    /// The partner.
    pub id: ID,
    /// The `version` you read, if you want the archive refused when it moved on.
    pub expected_version: Option<i32>,
}
