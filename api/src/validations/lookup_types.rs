//! GraphQL types of the donor lookup and of consent-based sharing (issue 10,
//! items 7 and 8). A lookup answers the status and nothing more: no evidence,
//! notes, contacts or history.

use async_graphql::{Context, ID, InputObject, Result, SimpleObject, futures_util::FutureExt};
use chrono::{DateTime, Utc};

use super::{
    lookup::{self, LookupKey, RegistrationKey, StatusOf},
    sharing,
    types::ValidationStatus,
};
use crate::{
    donors::types::Donor,
    error::ApiError,
    graphql::{
        connection::{Conn, Listed, TotalCount, from_page},
        context::{db, policy, request},
        relay::{NodeKind, decode_uuid, encode_uuid},
        scalars::CountryCode,
        user_error::{UserError, payload},
    },
    organizations::types::{Organization, OrganizationType, RegistrationKind},
    pagination::PageRequest,
    partners::types::Partner,
};

/// A registration identifier to look an organization up by.
#[derive(InputObject, Clone, Debug)]
pub struct RegistrationLookup {
    /// The organization's country.
    pub country: CountryCode,
    /// Kind of identifier.
    pub kind: RegistrationKind,
    /// The number, matched as organizations store it (case and spaces do not matter).
    pub number: String,
}

/// One item of `validationStatuses`: exactly one of `organization` and `registration`.
#[derive(InputObject, Clone, Debug)]
pub struct ValidationLookup {
    /// The organization's global ID.
    pub organization: Option<ID>,
    /// One of its registration identifiers.
    pub registration: Option<RegistrationLookup>,
}

/// The key of a lookup, checked: exactly one of the two ways.
pub fn lookup_key(organization: Option<ID>, registration: Option<RegistrationLookup>) -> Result<LookupKey, ApiError> {
    match (organization, registration) {
        (Some(id), None) => Ok(LookupKey::Organization(decode_uuid(&id, Organization::KIND)?)),
        (None, Some(r)) => Ok(LookupKey::Registration(RegistrationKey { country: r.country.0, kind: r.kind.into(), number: r.number })),
        _ => Err(ApiError::BadUserInput("give exactly one of `organization` and `registration`".to_owned())),
    }
}

/// The organization a lookup found: who it is, nothing more.
#[derive(SimpleObject, Clone, Debug)]
pub struct ValidationStatusOrganization {
    /// Its global ID.
    pub id: ID,
    /// Its display name.
    pub display_name: String,
    /// Kind of organization.
    #[graphql(name = "type")]
    pub org_type: OrganizationType,
    /// The country it works in.
    pub country: CountryCode,
}

/// The partner that validated (or is validating) an organization.
#[derive(SimpleObject, Clone, Debug)]
pub struct ValidationStatusPartner {
    /// Its global ID.
    pub id: ID,
    /// Its name.
    pub name: String,
}

/// Whether an organization is vetted and eligible: the answer of the donor lookup.
#[derive(SimpleObject, Clone, Debug)]
pub struct ValidationStatusResult {
    /// The organization.
    pub organization: ValidationStatusOrganization,
    /// The status of its standing validation: an approval whose validity has
    /// not ended (also while a renewal case is open), else its newest case;
    /// null when it never opened one.
    pub status: Option<ValidationStatus>,
    /// For an approval (and an approval that expired or was revoked): when its validity ends.
    pub valid_until: Option<DateTime<Utc>>,
    /// The partner reviewing or having reviewed that case; null before it is submitted.
    pub partner: Option<ValidationStatusPartner>,
    /// True when it holds an approval whose validity has not ended (the same
    /// rule as `organizations(filter: {isValidated: true})`).
    pub eligible: bool,
}

impl From<StatusOf> for ValidationStatusResult {
    fn from(s: StatusOf) -> Self {
        Self {
            organization: ValidationStatusOrganization {
                id: encode_uuid(Organization::KIND, s.organization.id),
                display_name: s.organization.display_name,
                org_type: s.organization.org_type.into(),
                country: CountryCode(s.organization.country_code),
            },
            status: s.case.as_ref().map(|c| c.status.into()),
            valid_until: s.case.as_ref().and_then(|c| c.valid_until),
            partner: s.partner.map(|p| ValidationStatusPartner { id: encode_uuid(Partner::KIND, p.id), name: p.name }),
            eligible: s.eligible,
        }
    }
}

/// Runs lookups for the request's caller and shapes the answers.
pub async fn statuses(ctx: &Context<'_>, keys: &[LookupKey]) -> Result<Vec<Option<ValidationStatusResult>>> {
    let clock = crate::graphql::context::clock(ctx)?;
    let found = lookup::look_up(db(ctx)?, clock, &request(ctx)?.caller, keys).await?;
    Ok(found.into_iter().map(|s| s.map(ValidationStatusResult::from)).collect())
}

/// A donor's lookup of an organization's validation status.
#[derive(SimpleObject, Clone, Debug)]
pub struct ValidationLookupRecord {
    /// The donor on whose behalf (through its API key or its staff).
    pub donor: Option<Donor>,
    /// When.
    pub at: DateTime<Utc>,
}

impl Listed for ValidationLookupRecord {
    const CONNECTION: &'static str = "ValidationLookupConnection";
    const EDGE: &'static str = "ValidationLookupEdge";
}

/// `organization.validationLookups`: null unless the caller is one of the
/// organization's owners or admins or a platform admin.
pub async fn lookups_field(
    ctx: &Context<'_>,
    organization: uuid::Uuid,
    first: Option<i32>,
    after: Option<String>,
) -> Result<Option<Conn<ValidationLookupRecord>>> {
    if !policy(ctx)?.may_see_validation_sharing(&request(ctx)?.caller, organization) {
        return Ok(None);
    }
    let page = PageRequest::from_args(first, after.as_deref(), None, None)?;
    let db = db(ctx)?;
    let rows = lookup::lookups_of(db, organization, &page).await?;
    let counter = db.clone();
    let total = TotalCount::lazy(move || {
        let db = counter.clone();
        async move { lookup::count_lookups_of(&db, organization).await }.boxed()
    });
    Ok(Some(from_page(rows, total, |(row, donor)| ValidationLookupRecord { donor: donor.map(Donor::from), at: row.looked_up_at })))
}

/// A token an organization issued to share its validation status with one
/// donor, even when HIDDEN. The token itself is shown once, at creation.
#[derive(SimpleObject, Clone, Debug)]
pub struct ValidationShareToken {
    /// Global ID.
    pub id: ID,
    /// When it was issued.
    pub created_at: DateTime<Utc>,
    /// When it stops working (60 days after it was issued), redeemed or not.
    pub expires_at: DateTime<Utc>,
    /// When it was revoked.
    pub revoked_at: Option<DateTime<Utc>>,
    /// When a donor redeemed it.
    pub redeemed_at: Option<DateTime<Utc>>,
    /// The donor that redeemed it.
    pub redeemed_by: Option<Donor>,
    /// The organization's note (to whom it was given).
    pub note: Option<String>,
}

impl ValidationShareToken {
    /// The type of its global IDs.
    pub const KIND: NodeKind = NodeKind::new("ValidationShareToken");

    /// The object of a record and the donor that redeemed it.
    pub fn of(row: entity::validation_share_token::Model, donor: Option<entity::donor::Model>) -> Self {
        Self {
            id: encode_uuid(Self::KIND, row.id),
            created_at: row.created_at,
            expires_at: row.expires_at,
            revoked_at: row.revoked_at,
            redeemed_at: row.redeemed_at,
            redeemed_by: donor.map(Donor::from),
            note: row.note,
        }
    }
}

impl Listed for ValidationShareToken {
    const CONNECTION: &'static str = "ValidationShareTokenConnection";
    const EDGE: &'static str = "ValidationShareTokenEdge";
}

/// `validationShareTokens`: null unless the caller is one of the
/// organization's owners or admins or a platform admin.
pub async fn tokens_field(
    ctx: &Context<'_>,
    organization: uuid::Uuid,
    first: Option<i32>,
    after: Option<String>,
) -> Result<Option<Conn<ValidationShareToken>>> {
    if !policy(ctx)?.may_see_validation_sharing(&request(ctx)?.caller, organization) {
        return Ok(None);
    }
    let page = PageRequest::from_args(first, after.as_deref(), None, None)?;
    let db = db(ctx)?;
    let rows = sharing::tokens_of(db, organization, &page).await?;
    let counter = db.clone();
    let total = TotalCount::lazy(move || {
        let db = counter.clone();
        async move { sharing::count_tokens_of(&db, organization).await }.boxed()
    });
    Ok(Some(from_page(rows, total, |(row, donor)| ValidationShareToken::of(row, donor))))
}

/// Input of `createValidationShareToken`.
#[derive(InputObject)]
pub struct CreateValidationShareTokenInput {
    /// The organization sharing its validation (its owners and admins issue tokens).
    pub organization: ID,
    /// A note for the organization's owners and admins, e.g. to whom it is given (at most 500 characters).
    pub note: Option<String>,
}

/// Result of `createValidationShareToken`.
#[derive(SimpleObject)]
pub struct CreateValidationShareTokenPayload {
    /// The token, shown this once: give it to the donor, who redeems it with
    /// `redeemValidationShareToken`. Null when there are user errors.
    pub token: Option<String>,
    /// The token's record; null when there are user errors.
    pub share_token: Option<ValidationShareToken>,
    /// What the caller must fix; empty on success.
    pub user_errors: Vec<UserError>,
}

/// Input of `revokeValidationShareToken`.
#[derive(InputObject)]
pub struct RevokeValidationShareTokenInput {
    /// The share token's global ID.
    pub id: ID,
}

/// Input of `redeemValidationShareToken`.
#[derive(InputObject)]
pub struct RedeemValidationShareTokenInput {
    /// The token the organization gave.
    pub token: String,
}

payload! {
    /// Result of `revokeValidationShareToken`.
    RevokeValidationShareTokenPayload { share_token: ValidationShareToken, "The revoked token" }
    /// Result of `redeemValidationShareToken`.
    RedeemValidationShareTokenPayload { validation_status: ValidationStatusResult, "The shared organization's validation status, as your lookups now see it" }
}
