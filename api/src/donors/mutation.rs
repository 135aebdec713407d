//! Mutation root of donors.

use async_graphql::{Context, Object, Result};

use super::{
    service::{self, DonorInput, DonorPatch},
    types::{CreateDonorInput, CreateDonorPayload, Donor, UpdateDonorInput, UpdateDonorPayload},
};
use crate::{
    auth::Action,
    events::{Actor, published},
    graphql::{
        context::{authorize, bus, clock, db, request},
        relay::decode_uuid,
        user_error::outcome,
    },
};

/// Mutations of donors.
#[derive(Default)]
pub struct DonorMutation;

#[Object]
impl DonorMutation {
    /// Adds a donor company (platform admins).
    async fn create_donor(&self, ctx: &Context<'_>, #[graphql(desc = "The donor.")] input: CreateDonorInput) -> Result<CreateDonorPayload> {
        authorize(ctx, Action::CreateDonor)?;
        let actor = Actor::of(&request(ctx)?.caller)?;
        let input = DonorInput {
            name: input.name,
            slug: input.slug,
            website: input.website,
            description: input.description,
            logo_url: input.logo_url,
            countries: input.countries.into_iter().map(|c| c.0).collect(),
        };
        let written = service::create(db(ctx)?, clock(ctx)?, &actor, input).await;
        let (donor, user_errors) = outcome(published(bus(ctx)?, written).await, Donor::from)?;
        Ok(CreateDonorPayload { donor, user_errors })
    }

    /// Changes a donor's profile (its admins, platform admins). Fields left
    /// out stay as they are; `null` clears an optional one.
    async fn update_donor(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The change.")] input: UpdateDonorInput,
    ) -> Result<UpdateDonorPayload> {
        let donor = decode_uuid(&input.donor, Donor::KIND)?;
        let patch = DonorPatch {
            name: input.name,
            website: input.website.into(),
            description: input.description.into(),
            logo_url: input.logo_url.into(),
            countries: input.countries.map(|c| c.into_iter().map(|c| c.0).collect()),
        };
        let written = service::update(db(ctx)?, clock(ctx)?, &request(ctx)?.caller, donor, patch).await;
        let (donor, user_errors) = outcome(published(bus(ctx)?, written).await, Donor::from)?;
        Ok(UpdateDonorPayload { donor, user_errors })
    }
}
