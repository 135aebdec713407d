//! Query root of the donor lookup and of an organization's share tokens.

use async_graphql::{Context, ID, Object, Result};

use super::{
    lookup::MAX_LOOKUPS,
    lookup_types::{
        RegistrationLookup, ValidationLookup, ValidationShareToken, ValidationStatusResult, lookup_key, statuses, tokens_field,
    },
};
use crate::{
    error::ApiError,
    graphql::{connection::Conn, relay::decode_uuid},
    organizations::types::Organization,
};

/// Queries of the donor lookup (API keys with `validations:read`, donor and
/// partner staff, platform admins).
#[derive(Default)]
pub struct ValidationLookupQuery;

#[Object]
impl ValidationLookupQuery {
    /// Whether an organization is vetted and eligible, by its ID or by one of
    /// its registration identifiers (exactly one of the two). Null when not
    /// found; an organization you may not see answers exactly the same. For
    /// API keys with `validations:read` (donors' and partners'), donor staff
    /// (admins, integrators), partner staff and platform admins; HIDDEN
    /// organizations only when they shared themselves with your donor. Every
    /// organization a donor finds is recorded and listed to its owners and admins.
    async fn validation_status(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The organization's global ID.")] organization: Option<ID>,
        #[graphql(desc = "One of its registration identifiers (when several organizations hold it, the oldest you may see).")]
        registration: Option<RegistrationLookup>,
    ) -> Result<Option<ValidationStatusResult>> {
        let key = lookup_key(organization, registration)?;
        Ok(statuses(ctx, &[key]).await?.into_iter().next().flatten())
    }

    /// `validationStatus` for up to 100 organizations at once, answered in the
    /// order asked, with null for each one not found (or not visible).
    async fn validation_statuses(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The lookups (at most 100), each with exactly one of `organization` and `registration`.")] lookups: Vec<
            ValidationLookup,
        >,
    ) -> Result<Vec<Option<ValidationStatusResult>>> {
        if lookups.len() > MAX_LOOKUPS {
            return Err(ApiError::BadUserInput(format!("at most {MAX_LOOKUPS} lookups at once, not {}", lookups.len())).into());
        }
        let keys = lookups.into_iter().map(|l| lookup_key(l.organization, l.registration)).collect::<Result<Vec<_>, _>>()?;
        statuses(ctx, &keys).await
    }

    /// The share tokens an organization issued, newest first: for its owners
    /// and admins and platform admins (null for everyone else).
    async fn validation_share_tokens(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The organization's global ID.")] organization: ID,
        #[graphql(desc = "Page size (at most 100).")] first: Option<i32>,
        #[graphql(desc = "Cursor to start after.")] after: Option<String>,
    ) -> Result<Option<Conn<ValidationShareToken>>> {
        let organization = decode_uuid(&organization, Organization::KIND)?;
        tokens_field(ctx, organization, first, after).await
    }
}
