//! GraphQL types and roots of donors.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};

use super::service;
use crate::{
    auth::Action,
    events::{Actor, published},
    graphql::{
        context::{authorize, bus, clock, db, request},
        relay::{NodeType, encode_uuid},
        user_error::{UserError, outcome},
    },
};

/// A donor company offering programs to the network.
#[derive(Clone, Debug)]
pub struct Donor(pub entity::donor::Model);

/// A donor company offering programs to the network.
#[Object]
impl Donor {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode_uuid(NodeType::Donor, self.0.id)
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

/// Queries of donors.
#[derive(Default)]
pub struct DonorQuery;

#[Object]
impl DonorQuery {
    /// A donor company by slug.
    async fn donor(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The donor's slug.", validator(max_length = 60))] slug: String,
    ) -> Result<Option<Donor>> {
        Ok(service::by_slug(db(ctx)?, &slug).await?.map(Donor))
    }
}

/// Mutations of donors.
#[derive(Default)]
pub struct DonorMutation;

#[Object]
impl DonorMutation {
    /// Adds a donor company (platform admins).
    async fn create_donor(&self, ctx: &Context<'_>, #[graphql(desc = "The donor.")] input: CreateDonorInput) -> Result<CreateDonorPayload> {
        authorize(ctx, Action::CreateDonor)?;
        let actor = Actor::of(&request(ctx)?.caller)?;
        let written = service::create(db(ctx)?, clock(ctx)?, &actor, &input.name, input.slug.as_deref(), input.website.as_deref()).await;
        let (donor, user_errors) = outcome(published(bus(ctx)?, written).await, Donor)?;
        Ok(CreateDonorPayload { donor, user_errors })
    }
}
