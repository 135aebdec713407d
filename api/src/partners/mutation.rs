//! Mutation root of partners.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result};

use super::{
    types::{ArchivePartnerPayload, CreatePartnerPayload, Partner, PartnerStatus, UpdatePartnerPayload},
    write,
};
use crate::{
    auth::Action,
    events::{Actor, published},
    graphql::{
        context::{authorize, bus, clock, db, request},
        relay::{NodeType, decode_uuid},
        scalars::{CountryCode, Date},
        user_error::outcome,
    },
};

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

fn maybe(v: MaybeUndefined<String>) -> Option<Option<String>> {
    match v {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(v) => Some(Some(v)),
    }
}

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
        let id = decode_uuid(&input.id, NodeType::Partner)?;
        authorize(ctx, Action::UpdatePartner(id))?;
        if input.countries.is_some() {
            authorize(ctx, Action::ChangePartnerCountries(id))?;
        }
        let changes = write::PartnerChanges {
            id,
            expected_version: input.expected_version,
            name: input.name,
            slug: input.slug,
            website: maybe(input.website),
            languages: input.languages,
            status: input.status.map(Into::into),
            joined_on: input.joined_on.map(|d| d.0),
            countries: input.countries.map(|cs| cs.into_iter().map(|c| c.0).collect()),
            contact_email: maybe(input.contact_email),
            contact_phone: maybe(input.contact_phone),
            contact_address: maybe(input.contact_address),
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
        let id = decode_uuid(&input.id, NodeType::Partner)?;
        authorize(ctx, Action::ArchivePartner(id))?;
        let actor = Actor::of(&request(ctx)?.caller)?;
        let written = write::archive(db(ctx)?, clock(ctx)?, &actor, id, input.expected_version).await;
        let (partner, user_errors) = outcome(published(bus(ctx)?, written).await, Partner::from)?;
        Ok(ArchivePartnerPayload { partner, user_errors })
    }
}
