//! Mutation root of organizations.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result};

use super::{
    types::{
        ArchiveOrganizationPayload, CreateOrganizationPayload, Organization, OrganizationType, RegistrationKind, StaffSize,
        UpdateOrganizationPayload, Visibility,
    },
    write,
};
use crate::{
    auth::Action,
    events::{Actor, published},
    graphql::{
        context::{authorize, bus, clock, db, request, store},
        relay::{NodeType, decode_uuid},
        scalars::{CountryCode, MoneyValue},
        user_error::outcome,
    },
};

/// An official identifier to record.
#[derive(InputObject)]
pub struct RegistrationInput {
    /// Kind of identifier.
    pub kind: RegistrationKind,
    /// The number (2 to 64 letters, digits and - / .; spaces are dropped, letters upper-cased).
    pub number: String,
}

impl From<RegistrationInput> for write::RegistrationInput {
    fn from(r: RegistrationInput) -> Self {
        Self { kind: r.kind.into(), number: r.number }
    }
}

fn money(m: MoneyValue) -> write::MoneyInput {
    write::MoneyInput { amount: m.amount, currency: m.currency }
}

fn maybe<T, U>(v: MaybeUndefined<T>, f: impl FnOnce(T) -> U) -> Option<Option<U>> {
    match v {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(v) => Some(Some(f(v))),
    }
}

/// Input of `createOrganization`.
#[derive(InputObject)]
pub struct CreateOrganizationInput {
    /// Name as registered, or as the group calls itself (1 to 300 characters).
    pub legal_name: String,
    /// Short name for lists; the legal name when absent.
    pub display_name: Option<String>,
    /// The country it works in.
    pub country: CountryCode,
    /// Kind of organization.
    #[graphql(name = "type")]
    pub org_type: OrganizationType,
    /// Official identifiers (at most 10); leave empty for unregistered groups.
    #[graphql(default)]
    pub registrations: Vec<RegistrationInput>,
    /// Focus-area slugs (at most 10), see `focusAreas`.
    #[graphql(default)]
    pub focus_areas: Vec<String>,
    /// Mission statement (at most 2000 characters).
    pub mission: Option<String>,
    /// Web site (http or https).
    pub website: Option<String>,
    /// Year founded (1800 to this year).
    pub founded_year: Option<i32>,
    /// Band of paid staff.
    pub staff_size: Option<StaffSize>,
    /// Annual budget: 0 to 10^15 minor units of an ISO 4217 currency.
    pub annual_budget: Option<MoneyValue>,
    /// BCP 47 language tags (at most 20).
    #[graphql(default)]
    pub languages: Vec<String>,
    /// Who may see it; NETWORK (signed-in network users) when absent, so nothing
    /// is public unless chosen.
    pub visibility: Option<Visibility>,
    /// Contact e-mail (visible only to its members, its partner and admins).
    pub contact_email: Option<String>,
    /// Contact phone (same visibility as the e-mail).
    pub contact_phone: Option<String>,
    /// Postal address (same visibility as the e-mail).
    pub contact_address: Option<String>,
}

/// Input of `updateOrganization`: absent fields stay as they are; null clears an optional field.
#[derive(InputObject)]
pub struct UpdateOrganizationInput {
    /// The organization.
    pub id: ID,
    /// The `version` you read; the update is refused with STALE_VERSION if it moved on.
    pub expected_version: i32,
    /// New legal name.
    pub legal_name: Option<String>,
    /// New display name.
    pub display_name: Option<String>,
    /// New country (its registrations move with it).
    pub country: Option<CountryCode>,
    /// New type.
    #[graphql(name = "type")]
    pub org_type: Option<OrganizationType>,
    /// New registrations (replace the list).
    pub registrations: Option<Vec<RegistrationInput>>,
    /// New focus areas (replace the list).
    pub focus_areas: Option<Vec<String>>,
    /// New mission; null clears it.
    pub mission: MaybeUndefined<String>,
    /// New web site; null clears it.
    pub website: MaybeUndefined<String>,
    /// New year founded; null clears it.
    pub founded_year: MaybeUndefined<i32>,
    /// New staff band; null clears it.
    pub staff_size: MaybeUndefined<StaffSize>,
    /// New annual budget; null clears it.
    pub annual_budget: MaybeUndefined<MoneyValue>,
    /// New languages (replace the list).
    pub languages: Option<Vec<String>>,
    /// New visibility.
    pub visibility: Option<Visibility>,
    /// New contact e-mail; null clears it.
    pub contact_email: MaybeUndefined<String>,
    /// New contact phone; null clears it.
    pub contact_phone: MaybeUndefined<String>,
    /// New postal address; null clears it.
    pub contact_address: MaybeUndefined<String>,
}

/// Input of `archiveOrganization`.
#[derive(InputObject)]
pub struct ArchiveOrganizationInput {
    /// The organization.
    pub id: ID,
    /// The `version` you read, if you want the archive refused when it moved on.
    pub expected_version: Option<i32>,
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
        let id = decode_uuid(&input.id, NodeType::Organization)?;
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
            mission: maybe(input.mission, |v| v),
            website: maybe(input.website, |v| v),
            founded_year: maybe(input.founded_year, |v| v),
            staff_size: maybe(input.staff_size, Into::into),
            annual_budget: maybe(input.annual_budget, money),
            languages: input.languages,
            visibility: input.visibility.map(Into::into),
            contact_email: maybe(input.contact_email, |v| v),
            contact_phone: maybe(input.contact_phone, |v| v),
            contact_address: maybe(input.contact_address, |v| v),
        };
        let req = request(ctx)?;
        let scopes = write::WriteScopes { read: req.org_scope.clone(), write: req.org_write_scope.clone() };
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
        let id = decode_uuid(&input.id, NodeType::Organization)?;
        authorize(ctx, Action::ChangeOrganization)?;
        let req = request(ctx)?;
        let scopes = write::WriteScopes { read: req.org_scope.clone(), write: req.org_archive_scope.clone() };
        let actor = Actor::of(&req.caller)?;
        let written = write::archive(db(ctx)?, clock(ctx)?, &actor, &scopes, id, input.expected_version).await;
        let (organization, user_errors) = outcome(published(bus(ctx)?, written).await, Organization::from)?;
        Ok(ArchiveOrganizationPayload { organization, user_errors })
    }
}
