//! GraphQL types of memberships and invitations: enum mirrors, objects, inputs
//! and payloads.

use async_graphql::{ID, InputObject, SimpleObject};
use chrono::{DateTime, Utc};
use entity::enums;

use crate::graphql::{
    enums::mirror_enum,
    relay::{NodeKind, encode_uuid},
    user_error::payload,
};

mirror_enum! {
    /// What a role is held in.
    MembershipScope => enums::MembershipScope {
        /// A civil-society organization.
        Organization,
        /// A network partner.
        Partner,
        /// A donor company.
        Donor,
    }
}

mirror_enum! {
    /// A role. Organization: OWNER, ADMIN, MEMBER. Partner: ADMIN, VALIDATOR,
    /// PROGRAM_MANAGER. Donor: ADMIN, INTEGRATOR.
    Role => enums::Role {
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
}

/// The type of the global IDs of a membership scope (organization, partner, donor).
pub fn node_kind(scope: enums::MembershipScope) -> NodeKind {
    match scope {
        enums::MembershipScope::Organization => crate::organizations::types::Organization::KIND,
        enums::MembershipScope::Partner => crate::partners::types::Partner::KIND,
        enums::MembershipScope::Donor => crate::donors::types::Donor::KIND,
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
        Self { scope: m.scope.into(), scope_id: encode_uuid(node_kind(m.scope), m.scope_id), role: m.role.into(), created_at: m.created_at }
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

payload! {
    /// Result of `inviteMember`.
    InviteMemberPayload { invitation: Invitation, "The invitation" }
    /// Result of `acceptInvitation` and `leaveMembership`.
    MembershipPayload { membership: Membership, "The role taken (or left)" }
}
