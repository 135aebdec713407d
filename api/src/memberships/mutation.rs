//! Mutation root of memberships and invitations.

use async_graphql::{Context, Object, Result};
use entity::enums;

use super::{
    service,
    types::{
        AcceptInvitationInput, Invitation, InviteMemberInput, InviteMemberPayload, LeaveMembershipInput, Membership, MembershipPayload,
        node_kind,
    },
};
use crate::{
    error::ApiError,
    events::{Actor, published},
    graphql::{
        context::{bus, clock, db, mailer, policy, request, signed_in},
        relay::{decode_uuid, encode_uuid},
        user_error::outcome,
    },
};

/// Mutations of memberships.
#[derive(Default)]
pub struct MembershipMutation;

#[Object]
impl MembershipMutation {
    /// Invites someone by e-mail to a role in an organization (its owners; its
    /// admins for ADMIN or MEMBER), a partner or a donor (their admins).
    async fn invite_member(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The invitation.")] input: InviteMemberInput,
    ) -> Result<InviteMemberPayload> {
        let scope: enums::MembershipScope = input.scope.into();
        let scope_id = decode_uuid(&input.scope_id, node_kind(scope))?;
        let caller = &request(ctx)?.caller;
        policy(ctx)?.authorize_invite(caller, scope, scope_id, input.role.into())?;
        let new = service::NewInvitation {
            email: input.email,
            scope,
            scope_id,
            role: input.role.into(),
            invited_by: caller.user().map(|u| u.user_id),
        };
        let written = service::invite(db(ctx)?, clock(ctx)?, &Actor::of(caller)?, new).await;
        let sent = match published(bus(ctx)?, written).await {
            Ok(sent) => Ok(sent.deliver(mailer(ctx)?).await),
            Err(err) => Err(err),
        };
        let (invitation, user_errors) = outcome(sent, |i| Invitation {
            scope: i.scope.into(),
            scope_id: encode_uuid(node_kind(i.scope), i.scope_id),
            role: i.role.into(),
            expires_at: i.expires_at,
        })?;
        Ok(InviteMemberPayload { invitation, user_errors })
    }

    /// Accepts an invitation sent to the signed-in user's address.
    async fn accept_invitation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The token.")] input: AcceptInvitationInput,
    ) -> Result<MembershipPayload> {
        let user_id = policy(ctx)?.verified_user(&request(ctx)?.caller)?.user_id;
        let Some(user) = crate::accounts::service::by_id(db(ctx)?, user_id).await? else {
            return Err(ApiError::Unauthenticated("the account no longer exists".to_owned()).into());
        };
        let written = service::accept(db(ctx)?, clock(ctx)?, &Actor::User(user_id), &user, &input.token).await;
        let (membership, user_errors) = outcome(published(bus(ctx)?, written).await, Membership::from)?;
        Ok(MembershipPayload { membership, user_errors })
    }

    /// Gives up one's own role; the last owner of an organization cannot.
    async fn leave_membership(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to leave.")] input: LeaveMembershipInput,
    ) -> Result<MembershipPayload> {
        let user_id = signed_in(ctx)?.user_id;
        let scope: enums::MembershipScope = input.scope.into();
        let scope_id = decode_uuid(&input.scope_id, node_kind(scope))?;
        let written = service::leave(db(ctx)?, clock(ctx)?, &Actor::User(user_id), user_id, scope, scope_id).await;
        let (membership, user_errors) = outcome(published(bus(ctx)?, written).await, Membership::from)?;
        Ok(MembershipPayload { membership, user_errors })
    }
}
