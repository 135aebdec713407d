//! Mutation root of donors.

use async_graphql::{Context, Object, Result};

use super::{
    service,
    types::{CreateDonorInput, CreateDonorPayload, Donor},
};
use crate::{
    auth::Action,
    events::{Actor, published},
    graphql::{
        context::{authorize, bus, clock, db, request},
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
        let written = service::create(db(ctx)?, clock(ctx)?, &actor, &input.name, input.slug.as_deref(), input.website.as_deref()).await;
        let (donor, user_errors) = outcome(published(bus(ctx)?, written).await, Donor::from)?;
        Ok(CreateDonorPayload { donor, user_errors })
    }
}
