//! GraphQL types and mutations of memberships and invitations.

use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use entity::enums;

use super::service;
use crate::{
    error::ApiError,
    events::{Actor, published},
    graphql::{
        context::{bus, clock, db, mailer, policy, request, signed_in},
        relay::{NodeType, decode_uuid, encode_uuid},
        user_error::{UserError, outcome},
    },
};

/// What a role is held in.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum MembershipScope {
    /// A civil-society organization.
    Organization,
    /// A network partner.
    Partner,
    /// A donor company.
    Donor,
}

impl From<MembershipScope> for enums::MembershipScope {
    fn from(s: MembershipScope) -> Self {
        match s {
            MembershipScope::Organization => Self::Organization,
            MembershipScope::Partner => Self::Partner,
            MembershipScope::Donor => Self::Donor,
        }
    }
}

impl From<enums::MembershipScope> for MembershipScope {
    fn from(s: enums::MembershipScope) -> Self {
        match s {
            enums::MembershipScope::Organization => Self::Organization,
            enums::MembershipScope::Partner => Self::Partner,
            enums::MembershipScope::Donor => Self::Donor,
        }
    }
}

/// A role. Organization: OWNER, ADMIN, MEMBER. Partner: ADMIN, VALIDATOR,
/// PROGRAM_MANAGER. Donor: ADMIN, INTEGRATOR.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Owns an organization.
    Owner,
    /// Administers an organization, partner or donor.
    Admin,
    /// A member of an organization.
    Member,
    /// Partner staff who vet organizations.
    Validator,
    /// Partner staff who run programs.
    ProgramManager,
    /// Donor staff who connect their systems.
    Integrator,
}

impl From<Role> for enums::Role {
    fn from(r: Role) -> Self {
        match r {
            Role::Owner => Self::Owner,
            Role::Admin => Self::Admin,
            Role::Member => Self::Member,
            Role::Validator => Self::Validator,
            Role::ProgramManager => Self::ProgramManager,
            Role::Integrator => Self::Integrator,
        }
    }
}

impl From<enums::Role> for Role {
    fn from(r: enums::Role) -> Self {
        match r {
            enums::Role::Owner => Self::Owner,
            enums::Role::Admin => Self::Admin,
            enums::Role::Member => Self::Member,
            enums::Role::Validator => Self::Validator,
            enums::Role::ProgramManager => Self::ProgramManager,
            enums::Role::Integrator => Self::Integrator,
        }
    }
}

fn node_type(scope: enums::MembershipScope) -> NodeType {
    match scope {
        enums::MembershipScope::Organization => NodeType::Organization,
        enums::MembershipScope::Partner => NodeType::Partner,
        enums::MembershipScope::Donor => NodeType::Donor,
    }
}

/// A role the viewer holds.
#[derive(SimpleObject)]
pub struct Membership {
    /// What the role is held in.
    pub scope: MembershipScope,
    /// Global ID of the organization, partner or donor.
    pub scope_id: ID,
    /// The role.
    pub role: Role,
    /// Since when.
    pub created_at: DateTime<Utc>,
}

impl From<entity::membership::Model> for Membership {
    fn from(m: entity::membership::Model) -> Self {
        Self { scope: m.scope.into(), scope_id: encode_uuid(node_type(m.scope), m.scope_id), role: m.role.into(), created_at: m.created_at }
    }
}

/// An invitation sent (its token went to the invitee only).
#[derive(SimpleObject)]
pub struct Invitation {
    /// What the role is in.
    pub scope: MembershipScope,
    /// Global ID of the organization, partner or donor.
    pub scope_id: ID,
    /// The role offered.
    pub role: Role,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
}

/// Input of `inviteMember`.
#[derive(InputObject)]
pub struct InviteMemberInput {
    /// The invitee's e-mail address.
    pub email: String,
    /// What to join.
    pub scope: MembershipScope,
    /// Global ID of the organization, partner or donor.
    pub scope_id: ID,
    /// The role offered.
    pub role: Role,
}

/// Input of `acceptInvitation`.
#[derive(InputObject)]
pub struct AcceptInvitationInput {
    /// The token from the invitation e-mail.
    pub token: String,
}

/// Input of `leaveMembership`.
#[derive(InputObject)]
pub struct LeaveMembershipInput {
    /// What to leave.
    pub scope: MembershipScope,
    /// Global ID of the organization, partner or donor.
    pub scope_id: ID,
}

/// Result of `inviteMember`.
#[derive(SimpleObject)]
pub struct InviteMemberPayload {
    /// The invitation; null when there are user errors.
    pub invitation: Option<Invitation>,
    /// What the caller must fix; empty on success.
    pub user_errors: Vec<UserError>,
}

/// Result of `acceptInvitation` and `leaveMembership`.
#[derive(SimpleObject)]
pub struct MembershipPayload {
    /// The role taken (or left); null when there are user errors.
    pub membership: Option<Membership>,
    /// What the caller must fix; empty on success.
    pub user_errors: Vec<UserError>,
}

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
        let scope_id = decode_uuid(&input.scope_id, node_type(scope))?;
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
            scope_id: encode_uuid(node_type(i.scope), i.scope_id),
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
        let scope_id = decode_uuid(&input.scope_id, node_type(scope))?;
        let written = service::leave(db(ctx)?, clock(ctx)?, &Actor::User(user_id), user_id, scope, scope_id).await;
        let (membership, user_errors) = outcome(published(bus(ctx)?, written).await, Membership::from)?;
        Ok(MembershipPayload { membership, user_errors })
    }
}
