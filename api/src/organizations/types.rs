//! GraphQL types of organizations.

use async_graphql::{Context, Enum, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use entity::enums;

use crate::{
    countries::types::Country,
    focus_areas::{loader::FocusAreasByOrganization, types::FocusArea},
    graphql::{
        context::{db, loader, policy, request},
        enums::mirror_enum,
        order::order_input,
        relay::{NodeKind, encode_uuid},
        scalars::{CountryCode, MoneyValue},
        user_error::payload,
    },
    organizations::loader::{PossibleDuplicates, RegistrationsByOrganization},
    partners::{loader::PartnersByCountry, types::Partner},
};

mirror_enum! {
    /// Kind of civil-society organization.
    OrganizationType => enums::OrganizationType {
        /// A registered charity.
        Charity,
        /// A non-governmental organization.
        Ngo,
        /// A community-based group, often unregistered.
        CommunityGroup,
        /// A cooperative.
        Cooperative,
        /// A faith-based organization.
        FaithBased,
        /// An advocacy group.
        Advocacy,
        /// A social enterprise.
        SocialEnterprise,
        /// A public or community library.
        Library,
        /// A grant-making or operating foundation.
        Foundation,
        /// Anything else.
        Other,
    }
}

mirror_enum! {
    /// Who may see an organization.
    Visibility => enums::Visibility {
        /// Anyone, signed in or not.
        Public,
        /// Signed-in users of the network.
        Network,
        /// Only its members, the partner serving its country and platform admins.
        Hidden,
    }
}

/// Band of paid staff.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum StaffSize {
    /// No paid staff.
    VolunteerOnly,
    /// 1 to 10.
    #[graphql(name = "SIZE_1_10")]
    Size1To10,
    /// 11 to 50.
    #[graphql(name = "SIZE_11_50")]
    Size11To50,
    /// 51 to 200.
    #[graphql(name = "SIZE_51_200")]
    Size51To200,
    /// 201 to 1000.
    #[graphql(name = "SIZE_201_1000")]
    Size201To1000,
    /// More than 1000.
    #[graphql(name = "SIZE_1001_PLUS")]
    Size1001Plus,
}

impl From<enums::StaffSize> for StaffSize {
    fn from(v: enums::StaffSize) -> Self {
        use enums::StaffSize as E;
        match v {
            E::VolunteerOnly => Self::VolunteerOnly,
            E::Size1To10 => Self::Size1To10,
            E::Size11To50 => Self::Size11To50,
            E::Size51To200 => Self::Size51To200,
            E::Size201To1000 => Self::Size201To1000,
            E::Size1001Plus => Self::Size1001Plus,
        }
    }
}

impl From<StaffSize> for enums::StaffSize {
    fn from(v: StaffSize) -> Self {
        match v {
            StaffSize::VolunteerOnly => Self::VolunteerOnly,
            StaffSize::Size1To10 => Self::Size1To10,
            StaffSize::Size11To50 => Self::Size11To50,
            StaffSize::Size51To200 => Self::Size51To200,
            StaffSize::Size201To1000 => Self::Size201To1000,
            StaffSize::Size1001Plus => Self::Size1001Plus,
        }
    }
}

mirror_enum! {
    /// Kind of registration identifier.
    RegistrationKind => enums::RegistrationKind {
        /// A national registry of associations or companies.
        NationalRegistry,
        /// A charity register.
        CharityRegister,
        /// A tax identifier.
        TaxId,
        /// A register of cooperatives.
        CooperativeRegister,
        /// Any other official identifier.
        Other,
    }
}

/// How to reach an organization. Sensitive: its people may be at risk.
#[derive(SimpleObject, Clone, Debug)]
pub struct OrganizationContact {
    /// E-mail address.
    pub email: Option<String>,
    /// Phone number.
    pub phone: Option<String>,
    /// Postal address.
    pub address: Option<String>,
}

/// An official identifier of an organization in its country's registers.
#[derive(SimpleObject, Clone, Debug)]
pub struct Registration {
    /// Kind of identifier.
    pub kind: RegistrationKind,
    /// The number, normalized (upper case, no spaces).
    pub number: String,
}

/// A civil-society organization in the directory.
#[derive(Clone, Debug)]
pub struct Organization(pub entity::organization::Model);

impl Organization {
    /// The type of its global IDs: an organization.
    pub const KIND: NodeKind = NodeKind::new("Organization");
}

impl crate::graphql::connection::Listed for Organization {
    const CONNECTION: &'static str = "OrganizationConnection";
    const EDGE: &'static str = "OrganizationEdge";
}

impl From<entity::organization::Model> for Organization {
    fn from(model: entity::organization::Model) -> Self {
        Self(model)
    }
}

/// A civil-society organization in the directory.
#[Object]
impl Organization {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode_uuid(Organization::KIND, self.0.id)
    }

    /// Name as registered (or as the group calls itself when unregistered).
    async fn legal_name(&self) -> &str {
        &self.0.legal_name
    }

    /// Short name shown in lists.
    async fn display_name(&self) -> &str {
        &self.0.display_name
    }

    /// The country it works in.
    async fn country(&self) -> Option<Country> {
        Country::of(&self.0.country_code)
    }

    /// Kind of organization.
    #[graphql(name = "type")]
    async fn org_type(&self) -> OrganizationType {
        self.0.org_type.into()
    }

    /// Official identifiers; empty for unregistered groups.
    async fn registrations(&self, ctx: &Context<'_>) -> Result<Vec<Registration>> {
        let rows = loader::<RegistrationsByOrganization>(ctx)?.load_one(self.0.id).await?.unwrap_or_default();
        Ok(rows.into_iter().map(|r| Registration { kind: r.kind.into(), number: r.number }).collect())
    }

    /// What it works on, by name.
    async fn focus_areas(&self, ctx: &Context<'_>) -> Result<Vec<FocusArea>> {
        let rows = loader::<FocusAreasByOrganization>(ctx)?.load_one(self.0.id).await?.unwrap_or_default();
        Ok(rows.into_iter().map(FocusArea::from).collect())
    }

    /// The network partner serving its country (the longest-standing one when several do).
    async fn partner(&self, ctx: &Context<'_>) -> Result<Option<Partner>> {
        let partners = loader::<PartnersByCountry>(ctx)?.load_one(self.0.country_code.clone()).await?.unwrap_or_default();
        Ok(partners.into_iter().next().map(Partner::from))
    }

    /// Its current (newest) validation case, when you may read it: its members,
    /// staff of the partners serving its country and platform admins; null
    /// for everyone else and when it has none.
    async fn validation(&self, ctx: &Context<'_>) -> Result<Option<crate::validations::types::Validation>> {
        let facts = crate::auth::CaseFacts { organization: self.0.id, country: &self.0.country_code, partner: None };
        if !policy(ctx)?.may_read_case(&request(ctx)?.caller, facts) {
            return Ok(None);
        }
        let Some(case) = loader::<crate::validations::loader::CurrentValidation>(ctx)?.load_one(self.0.id).await? else {
            return Ok(None);
        };
        crate::validations::types::readable(ctx, case).await
    }

    /// Public proof that it is vetted: its approval in force (the partner and
    /// when it ends); null when it has none. Anyone who sees the organization
    /// sees this, as `isValidated` lets anyone filter on it.
    async fn validation_badge(&self, ctx: &Context<'_>) -> Result<Option<crate::validations::types::ValidationBadge>> {
        let Some(approval) = loader::<crate::validations::loader::ApprovalOf>(ctx)?.load_one(self.0.id).await? else {
            return Ok(None);
        };
        let now = crate::graphql::context::clock(ctx)?.now();
        Ok(approval.valid_until.is_some_and(|t| t > now).then_some(crate::validations::types::ValidationBadge(approval)))
    }

    /// Who looked up its validation status, newest first: the donor (through
    /// its API key or its staff) and when. Only its owners and admins and
    /// platform admins see it (null for everyone else).
    async fn validation_lookups(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Cursor to start after.")] after: Option<String>,
    ) -> Result<Option<crate::graphql::connection::Conn<crate::validations::lookup_types::ValidationLookupRecord>>> {
        crate::validations::lookup_types::lookups_field(ctx, self.0.id, first, after).await
    }

    /// Programs it may request now, newest first, each with the units still
    /// available: the same engine as `Program.eligibility`. Whoever sees the
    /// organization sees them; an API key needs `programs:read`.
    #[graphql(complexity = "first.or(last).unwrap_or(0).clamp(0, 100) as usize * child_complexity + 5")]
    async fn eligible_programs(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n items (0 to 100).")] first: Option<i32>,
        #[graphql(desc = "Returns the items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n items (0 to 100).")] last: Option<i32>,
        #[graphql(desc = "Returns the items before this cursor.")] before: Option<String>,
        #[graphql(desc = "Language of the eligibility messages (BCP 47, e.g. `fr`; else `Accept-Language`, else English).")] locale: Option<
            String,
        >,
    ) -> Result<crate::graphql::connection::Conn<crate::programs::catalogue_types::EligibleProgram>> {
        crate::programs::catalogue_types::eligible_programs_field(ctx, &self.0, (first, after, last, before), locale).await
    }

    /// Its donation requests, newest first (only those in `status` when
    /// given): only its members and platform admins see them (null for
    /// everyone else).
    #[graphql(complexity = "first.or(last).unwrap_or(0).clamp(0, 100) as usize * child_complexity + 5")]
    async fn donation_requests(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only requests in this status.")] status: Option<crate::programs::request_types::DonationRequestStatus>,
        #[graphql(desc = "Returns the first n items (0 to 100).")] first: Option<i32>,
        #[graphql(desc = "Returns the items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n items (0 to 100).")] last: Option<i32>,
        #[graphql(desc = "Returns the items before this cursor.")] before: Option<String>,
    ) -> Result<Option<crate::graphql::connection::Conn<crate::programs::request_types::DonationRequest>>> {
        crate::programs::by_organization::connection(ctx, self.0.id, status, (first, after, last, before)).await
    }

    /// Its challenges, most pressing first (the needs map): only its
    /// members, staff of the partners serving its country and platform
    /// admins see them (null for everyone else).
    async fn challenges(&self, ctx: &Context<'_>) -> Result<Option<Vec<crate::needs::types::OrganizationChallenge>>> {
        crate::needs::types::challenges_field(ctx, &self.0).await
    }

    /// Upcoming training sessions that answer its most urgent challenges
    /// (`challenges`), best first, each with the reason: sessions open for
    /// registration, held in its country or online. Visible to those who
    /// see its challenges (null for everyone else).
    async fn recommended_trainings(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many (1 to 20; 5 when not given).")] first: Option<i32>,
    ) -> Result<Option<Vec<crate::needs::types::TrainingRecommendation>>> {
        crate::needs::types::recommendations_field(ctx, &self.0, first.unwrap_or(5)).await
    }

    /// Contact details: only its members, staff of the partners serving its
    /// country and platform admins see them (null for everyone else). Reads of a
    /// hidden organization's contact details are written to the audit log.
    async fn contact(&self, ctx: &Context<'_>) -> Result<Option<OrganizationContact>> {
        let req = request(ctx)?;
        if !policy(ctx)?.may_see_organization_contact(&req.caller, self.0.id, &self.0.country_code) {
            return Ok(None);
        }
        let actor = req.caller.user().map(|u| u.user_id);
        let (email, phone, address) =
            crate::organizations::service::read_contact(db(ctx)?, crate::graphql::context::clock(ctx)?, &self.0, actor).await?;
        Ok(Some(OrganizationContact { email, phone, address }))
    }

    /// Other organizations of the same country that share a registration
    /// identifier (kind and number) with this one: possible duplicates to review.
    /// Registration numbers are not unique, so that creating an organization never
    /// reveals that another one exists. Only staff of the partners serving its
    /// country and platform admins see this list (null for everyone else); it
    /// never includes archived organizations or ones the caller may not see.
    async fn possible_duplicates(&self, ctx: &Context<'_>) -> Result<Option<Vec<Organization>>> {
        let req = request(ctx)?;
        if !policy(ctx)?.may_review_duplicates(&req.caller, &self.0.country_code) {
            return Ok(None);
        }
        let rows = loader::<PossibleDuplicates>(ctx)?.load_one(self.0.id).await?.unwrap_or_default();
        Ok(Some(rows.into_iter().map(Organization::from).collect()))
    }

    /// Mission statement.
    async fn mission(&self) -> Option<&str> {
        self.0.mission.as_deref()
    }

    /// Web site.
    async fn website(&self) -> Option<&str> {
        self.0.website.as_deref()
    }

    /// Year founded.
    async fn founded_year(&self) -> Option<i32> {
        self.0.founded_year
    }

    /// Band of paid staff.
    async fn staff_size(&self) -> Option<StaffSize> {
        self.0.staff_size.map(Into::into)
    }

    /// Annual budget.
    async fn annual_budget(&self) -> Option<MoneyValue> {
        match (self.0.budget_amount, &self.0.budget_currency) {
            (Some(amount), Some(currency)) => Some(MoneyValue { amount, currency: currency.clone() }),
            _ => None,
        }
    }

    /// BCP 47 language tags it works in.
    async fn languages(&self) -> &[String] {
        &self.0.languages.0
    }

    /// Who may see it.
    async fn visibility(&self) -> Visibility {
        self.0.visibility.into()
    }

    /// Creation time.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// Last update time.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }

    /// When it was archived, if it was.
    async fn archived_at(&self) -> Option<DateTime<Utc>> {
        self.0.archived_at
    }

    /// Version for optimistic concurrency: pass it as `expectedVersion` when updating.
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// Narrows the organization list.
#[derive(InputObject, Default)]
pub struct OrganizationFilter {
    /// Only this country.
    pub country: Option<CountryCode>,
    /// Only this type.
    #[graphql(name = "type")]
    pub org_type: Option<OrganizationType>,
    /// Only organizations working on this focus area (its slug, see `focusAreas`).
    #[graphql(validator(max_length = 60))]
    pub focus_area: Option<String>,
    /// Case-insensitive part of the legal or display name or the mission.
    #[graphql(validator(max_length = 100))]
    pub search: Option<String>,
    /// Only this visibility (within what the caller may see).
    pub visibility: Option<Visibility>,
    /// Include archived organizations (default false).
    #[graphql(default)]
    pub include_archived: bool,
    /// Only validated organizations (an approval not past its end), or with
    /// false only those that are not.
    pub is_validated: Option<bool>,
    /// Only organizations whose current validation case is in this status.
    /// For partner staff (within their partners' countries) and platform
    /// admins: FORBIDDEN for others.
    pub validation_status: Option<crate::validations::types::ValidationStatus>,
}

impl From<OrganizationFilter> for crate::organizations::service::OrganizationFilter {
    fn from(f: OrganizationFilter) -> Self {
        Self {
            country: f.country.map(|c| c.0),
            within_countries: None,
            org_type: f.org_type.map(Into::into),
            focus_area: f.focus_area,
            search: f.search,
            visibility: f.visibility.map(Into::into),
            include_archived: f.include_archived,
            // Set by `query::service_filter`, which knows the caller and the clock.
            validated: None,
            validation_status: None,
        }
    }
}

mirror_enum! {
    /// Fields organizations can be sorted by.
    OrganizationOrderField => crate::organizations::service::OrganizationOrderField {
        /// Display name.
        Name,
        /// Creation time.
        CreatedAt,
        /// Last update time.
        UpdatedAt,
    }
}

order_input! {
    /// Sort order of organizations.
    OrganizationOrder { field: OrganizationOrderField } => crate::organizations::service::OrganizationOrder
}

payload! {
    /// Result of `createOrganization`.
    CreateOrganizationPayload { organization: Organization, "The new organization" }
    /// Result of `updateOrganization`.
    UpdateOrganizationPayload { organization: Organization, "The updated organization" }
    /// Result of `archiveOrganization`.
    ArchiveOrganizationPayload { organization: Organization, "The archived organization" }
}

/// An official identifier to record.
#[derive(InputObject)]
pub struct RegistrationInput {
    /// Kind of identifier.
    pub kind: RegistrationKind,
    /// The number (2 to 64 letters, digits and - / .; spaces are dropped, letters upper-cased).
    pub number: String,
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
