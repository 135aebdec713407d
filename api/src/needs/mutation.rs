//! Mutation root of the needs map.

use async_graphql::{Context, Object, Result};

use super::{
    service::{self, ChallengeInput},
    types::{OrganizationChallenge, SetOrganizationChallengesInput, SetOrganizationChallengesPayload},
};
use crate::{
    auth::OrgScope,
    error::ApiError,
    events::{Actor, published},
    graphql::{
        context::{bus, clock, db, policy, request},
        relay::decode_uuid,
        user_error::outcome,
    },
    organizations::types::Organization,
};

/// Mutations of the needs map.
#[derive(Default)]
pub struct NeedsMutation;

#[Object]
impl NeedsMutation {
    /// Saves an organization's ranked list of challenges, replacing the one
    /// saved before (its owners and admins, and platform admins). Every
    /// problem is reported at once in `userErrors` (BLANK, TOO_LONG,
    /// DUPLICATE, OUT_OF_RANGE, TOO_MANY) and nothing is saved then.
    async fn set_organization_challenges(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The organization and its list.")] input: SetOrganizationChallengesInput,
    ) -> Result<SetOrganizationChallengesPayload> {
        let organization_id = decode_uuid(&input.organization, Organization::KIND)?;
        let caller = &request(ctx)?.caller;
        policy(ctx)?.authorize_challenges(caller, organization_id)?;
        let db = db(ctx)?;
        let organization = crate::organizations::service::by_ids(db, &OrgScope::all(), &[organization_id])
            .await?
            .into_iter()
            .next()
            .ok_or(ApiError::NotFound("organization"))?;
        let list = input
            .challenges
            .into_iter()
            .map(|c| ChallengeInput {
                title: c.title,
                category: c.category.into(),
                urgency: c.urgency,
                technology_level: c.technology_level.into(),
            })
            .collect();
        let actor = Actor::of(caller)?;
        let written = service::set(db, clock(ctx)?, &actor, &organization, list).await;
        let (challenges, user_errors) =
            outcome(published(bus(ctx)?, written).await, |rows| rows.into_iter().map(OrganizationChallenge).collect())?;
        Ok(SetOrganizationChallengesPayload { challenges, user_errors })
    }
}
