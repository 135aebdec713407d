//! Mutation root of consent-based sharing: issuing, revoking and redeeming
//! share tokens.

use async_graphql::{Context, Object, Result};

use super::{
    lookup::LookupKey,
    lookup_types::{
        CreateValidationShareTokenInput, CreateValidationShareTokenPayload, RedeemValidationShareTokenInput,
        RedeemValidationShareTokenPayload, RevokeValidationShareTokenInput, RevokeValidationShareTokenPayload, ValidationShareToken,
        statuses,
    },
    sharing,
};
use crate::{
    auth::ReadableOrganizations,
    events::published,
    graphql::{
        context::{bus, clock, db, request},
        relay::decode_uuid,
        user_error::outcome,
    },
    organizations::types::Organization,
};

/// Mutations of consent-based sharing.
#[derive(Default)]
pub struct ValidationSharingMutation;

#[Object]
impl ValidationSharingMutation {
    /// Issues a share token for an organization (its owners and admins,
    /// platform admins): the donor that redeems it sees the organization in its
    /// validation lookups even when HIDDEN, until it expires (60 days after
    /// issue) or is revoked. The token is shown this once.
    async fn create_validation_share_token(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do.")] input: CreateValidationShareTokenInput,
    ) -> Result<CreateValidationShareTokenPayload> {
        let organization = decode_uuid(&input.organization, Organization::KIND)?;
        let req = request(ctx)?;
        let scope = req.scope::<ReadableOrganizations>();
        let written = sharing::create(db(ctx)?, clock(ctx)?, &req.caller, &scope, organization, input.note).await;
        let (issued, user_errors) = outcome(published(bus(ctx)?, written).await, |i| i)?;
        let (token, share_token) = match issued {
            Some(i) => (Some(i.token), Some(ValidationShareToken::of(i.record, None))),
            None => (None, None),
        };
        Ok(CreateValidationShareTokenPayload { token, share_token, user_errors })
    }

    /// Revokes a share token (the organization's owners and admins, platform
    /// admins): the donor that redeemed it no longer sees a HIDDEN organization.
    async fn revoke_validation_share_token(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do.")] input: RevokeValidationShareTokenInput,
    ) -> Result<RevokeValidationShareTokenPayload> {
        let id = decode_uuid(&input.id, ValidationShareToken::KIND)?;
        let written = sharing::revoke(db(ctx)?, clock(ctx)?, &request(ctx)?.caller, id).await;
        let (revoked, user_errors) = outcome(published(bus(ctx)?, written).await, |row| row)?;
        let donors = match revoked.as_ref().and_then(|r| r.redeemed_donor_id) {
            Some(d) => sharing::donors_by_id(db(ctx)?, &[d]).await?,
            None => Vec::new(),
        };
        Ok(RevokeValidationShareTokenPayload {
            share_token: revoked.map(|row| ValidationShareToken::of(row, donors.into_iter().next())),
            user_errors,
        })
    }

    /// Redeems a share token for your donor (its admins and integrators, or its
    /// API keys with `validations:read`). An unknown, expired, revoked or
    /// already redeemed token is the user error INVALID_TOKEN.
    async fn redeem_validation_share_token(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do.")] input: RedeemValidationShareTokenInput,
    ) -> Result<RedeemValidationShareTokenPayload> {
        let written = sharing::redeem(db(ctx)?, clock(ctx)?, &request(ctx)?.caller, &input.token).await;
        let (redeemed, user_errors) = outcome(published(bus(ctx)?, written).await, |row| row)?;
        let validation_status = match redeemed {
            Some(row) => statuses(ctx, &[LookupKey::Organization(row.organization_id)]).await?.into_iter().next().flatten(),
            None => None,
        };
        Ok(RedeemValidationShareTokenPayload { validation_status, user_errors })
    }
}
