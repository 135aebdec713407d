//! Mutation root of organizations.

use async_graphql::{Context, Object, Result};

use super::{
    types::{
        ArchiveOrganizationInput, ArchiveOrganizationPayload, CreateOrganizationInput, CreateOrganizationPayload, Organization,
        RegistrationInput, UpdateOrganizationInput, UpdateOrganizationPayload,
    },
    write,
};
use crate::{
    auth::{Action, ArchivableOrganizations, ReadableOrganizations, WritableOrganizations},
    events::{Actor, published},
    graphql::{
        context::{authorize, bus, clock, db, request, store},
        relay::decode_uuid,
        scalars::MoneyValue,
        user_error::outcome,
    },
};

impl From<RegistrationInput> for write::RegistrationInput {
    fn from(r: RegistrationInput) -> Self {
        Self { kind: r.kind.into(), number: r.number }
    }
}

fn money(m: MoneyValue) -> write::MoneyInput {
    write::MoneyInput { amount: m.amount, currency: m.currency }
}

/// Mutations of organizations.
#[derive(Default)]
pub struct OrganizationMutation;

#[Object]
impl OrganizationMutation {
    /// Adds an organization to the directory; a signed-in creator becomes its owner.
    /// A registration number that another organization holds is accepted (the answer
    /// never depends on organizations the caller may not see); partner staff of the
    /// country review such pairs through `possibleDuplicates`. A user creates at most
    /// 20 organizations a day (UTC): past that, RATE_LIMITED says when to retry.
    async fn create_organization(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do.")] input: CreateOrganizationInput,
    ) -> Result<CreateOrganizationPayload> {
        authorize(ctx, Action::CreateOrganization)?;
        let new = write::NewOrganization {
            legal_name: input.legal_name,
            display_name: input.display_name,
            country: input.country.0,
            org_type: input.org_type.into(),
            registrations: input.registrations.into_iter().map(Into::into).collect(),
            focus_areas: input.focus_areas,
            mission: input.mission,
            website: input.website,
            founded_year: input.founded_year,
            staff_size: input.staff_size.map(Into::into),
            annual_budget: input.annual_budget.map(money),
            languages: input.languages,
            visibility: input.visibility.map(Into::into),
            contact_email: input.contact_email,
            contact_phone: input.contact_phone,
            contact_address: input.contact_address,
            owner: None,
        };
        let caller = &request(ctx)?.caller;
        let written = write::create_as(db(ctx)?, clock(ctx)?, store(ctx)?, caller, new).await;
        let (organization, user_errors) = outcome(published(bus(ctx)?, written).await, Organization::from)?;
        Ok(CreateOrganizationPayload { organization, user_errors })
    }

    /// Changes an organization. Lists (registrations, focus areas, languages) are replaced when given.
    async fn update_organization(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do.")] input: UpdateOrganizationInput,
    ) -> Result<UpdateOrganizationPayload> {
        let id = decode_uuid(&input.id, crate::organizations::types::Organization::KIND)?;
        authorize(ctx, Action::ChangeOrganization)?;
        let changes = write::OrganizationChanges {
            id,
            expected_version: input.expected_version,
            legal_name: input.legal_name,
            display_name: input.display_name,
            country: input.country.map(|c| c.0),
            org_type: input.org_type.map(Into::into),
            registrations: input.registrations.map(|rs| rs.into_iter().map(Into::into).collect()),
            focus_areas: input.focus_areas,
            mission: input.mission.into(),
            website: input.website.into(),
            founded_year: input.founded_year.into(),
            staff_size: input.staff_size.map_value(Into::into).into(),
            annual_budget: input.annual_budget.map_value(money).into(),
            languages: input.languages,
            visibility: input.visibility.map(Into::into),
            contact_email: input.contact_email.into(),
            contact_phone: input.contact_phone.into(),
            contact_address: input.contact_address.into(),
        };
        let req = request(ctx)?;
        let scopes = write::WriteScopes { read: req.scope::<ReadableOrganizations>(), write: req.scope::<WritableOrganizations>() };
        let actor = Actor::of(&req.caller)?;
        let written = write::update(db(ctx)?, clock(ctx)?, &actor, &scopes, changes).await;
        let (organization, user_errors) = outcome(published(bus(ctx)?, written).await, Organization::from)?;
        Ok(UpdateOrganizationPayload { organization, user_errors })
    }

    /// Archives an organization: it leaves lists and counts but stays readable by ID.
    async fn archive_organization(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do.")] input: ArchiveOrganizationInput,
    ) -> Result<ArchiveOrganizationPayload> {
        let id = decode_uuid(&input.id, crate::organizations::types::Organization::KIND)?;
        authorize(ctx, Action::ChangeOrganization)?;
        let req = request(ctx)?;
        let scopes = write::WriteScopes { read: req.scope::<ReadableOrganizations>(), write: req.scope::<ArchivableOrganizations>() };
        let actor = Actor::of(&req.caller)?;
        let written = write::archive(db(ctx)?, clock(ctx)?, &actor, &scopes, id, input.expected_version).await;
        let (organization, user_errors) = outcome(published(bus(ctx)?, written).await, Organization::from)?;
        Ok(ArchiveOrganizationPayload { organization, user_errors })
    }
}
