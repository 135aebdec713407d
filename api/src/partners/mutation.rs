//! Mutation root of partners.

use async_graphql::{Context, Object, Result};

use super::{
    types::{
        ArchivePartnerInput, ArchivePartnerPayload, CreatePartnerInput, CreatePartnerPayload, Partner, UpdatePartnerInput,
        UpdatePartnerPayload,
    },
    write,
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

/// Mutations of partners.
#[derive(Default)]
pub struct PartnerMutation;

#[Object]
impl PartnerMutation {
    /// Adds a network partner with the countries it serves.
    async fn create_partner(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do.")] input: CreatePartnerInput,
    ) -> Result<CreatePartnerPayload> {
        authorize(ctx, Action::CreatePartner)?;
        let new = write::NewPartner {
            name: input.name,
            slug: input.slug,
            website: input.website,
            languages: input.languages,
            status: input.status.map(Into::into),
            joined_on: input.joined_on.map(|d| d.0),
            countries: input.countries.into_iter().map(|c| c.0).collect(),
            contact_email: input.contact_email,
            contact_phone: input.contact_phone,
            contact_address: input.contact_address,
        };
        let actor = Actor::of(&request(ctx)?.caller)?;
        let written = write::create(db(ctx)?, clock(ctx)?, &actor, new).await;
        let (partner, user_errors) = outcome(published(bus(ctx)?, written).await, Partner::from)?;
        Ok(CreatePartnerPayload { partner, user_errors })
    }

    /// Changes a partner. Lists (languages, countries) are replaced when given.
    async fn update_partner(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do.")] input: UpdatePartnerInput,
    ) -> Result<UpdatePartnerPayload> {
        let id = decode_uuid(&input.id, crate::partners::types::Partner::KIND)?;
        authorize(ctx, Action::UpdatePartner(id))?;
        if input.countries.is_some() {
            authorize(ctx, Action::ChangePartnerCountries(id))?;
        }
        let changes = write::PartnerChanges {
            id,
            expected_version: input.expected_version,
            name: input.name,
            slug: input.slug,
            website: input.website.into(),
            languages: input.languages,
            status: input.status.map(Into::into),
            joined_on: input.joined_on.map(|d| d.0),
            countries: input.countries.map(|cs| cs.into_iter().map(|c| c.0).collect()),
            contact_email: input.contact_email.into(),
            contact_phone: input.contact_phone.into(),
            contact_address: input.contact_address.into(),
        };
        let actor = Actor::of(&request(ctx)?.caller)?;
        let written = write::update(db(ctx)?, clock(ctx)?, &actor, changes).await;
        let (partner, user_errors) = outcome(published(bus(ctx)?, written).await, Partner::from)?;
        Ok(UpdatePartnerPayload { partner, user_errors })
    }

    /// Archives a partner: it stops serving its countries and leaves lists, but stays readable by slug and ID.
    async fn archive_partner(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do.")] input: ArchivePartnerInput,
    ) -> Result<ArchivePartnerPayload> {
        let id = decode_uuid(&input.id, crate::partners::types::Partner::KIND)?;
        authorize(ctx, Action::ArchivePartner(id))?;
        let actor = Actor::of(&request(ctx)?.caller)?;
        let written = write::archive(db(ctx)?, clock(ctx)?, &actor, id, input.expected_version).await;
        let (partner, user_errors) = outcome(published(bus(ctx)?, written).await, Partner::from)?;
        Ok(ArchivePartnerPayload { partner, user_errors })
    }
}
