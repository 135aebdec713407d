//! GraphQL types of donors: the donor object, inputs and payloads.

use async_graphql::{ID, InputObject, SimpleObject};
use chrono::{DateTime, Utc};

use crate::graphql::{
    relay::{NodeKind, encode_uuid},
    user_error::payload,
};

/// A donor company offering programs to the network.
#[derive(SimpleObject, Clone, Debug)]
pub struct Donor {
    /// Global ID (donors are reached by slug, not with `node(id:)`).
    pub id: ID,
    /// URL-safe unique handle, e.g. `acme-cloud`: how `donor(slug:)` finds it.
    pub slug: String,
    /// The company's name, as organizations see it.
    pub name: String,
    /// Its public web site, when it gave one.
    pub website: Option<String>,
    /// When it was added to the network.
    pub created_at: DateTime<Utc>,
}

impl Donor {
    /// The type of its global IDs: a donor company.
    pub const KIND: NodeKind = NodeKind::new("Donor");
}

impl From<entity::donor::Model> for Donor {
    fn from(row: entity::donor::Model) -> Self {
        Self { id: encode_uuid(Self::KIND, row.id), slug: row.slug, name: row.name, website: row.website, created_at: row.created_at }
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
}

payload! {
    /// Result of `createDonor`.
    CreateDonorPayload { donor: Donor, "The new donor" }
}
