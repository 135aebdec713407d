//! GraphQL types of donors: the donor object, inputs and payloads.

use async_graphql::{ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};

use crate::graphql::{
    relay::{NodeKind, encode_uuid},
    user_error::UserError,
};

/// A donor company offering programs to the network.
#[derive(Clone, Debug)]
pub struct Donor(pub entity::donor::Model);

impl Donor {
    /// The type of its global IDs: a donor company.
    pub const KIND: NodeKind = NodeKind::new("Donor");
}

/// A donor company offering programs to the network.
#[Object]
impl Donor {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode_uuid(Donor::KIND, self.0.id)
    }

    /// URL-safe unique handle.
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// Name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Web site.
    async fn website(&self) -> Option<&str> {
        self.0.website.as_deref()
    }

    /// When it joined.
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
}

/// Result of `createDonor`.
#[derive(SimpleObject)]
pub struct CreateDonorPayload {
    /// The new donor; null when there are user errors.
    pub donor: Option<Donor>,
    /// What the caller must fix; empty on success.
    pub user_errors: Vec<UserError>,
}
