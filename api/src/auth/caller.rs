//! The caller's identity, decided once at the edge.

use entity::enums::{MembershipScope, Role};
use uuid::Uuid;

/// Who is making a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Caller {
    /// No credentials.
    Anonymous,
    /// A signed-in user, through an access token of an open session.
    User(UserCaller),
    /// An integration, through an API key.
    ApiKey(ApiKeyCaller),
    /// The service itself (command line, seed): trusted with everything.
    System,
}

/// A role the user holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Grant {
    /// Organization, partner or donor.
    pub scope: MembershipScope,
    /// Which one.
    pub scope_id: Uuid,
    /// The role.
    pub role: Role,
}

/// An integration calling with an API key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiKeyCaller {
    /// The key.
    pub key_id: Uuid,
    /// Partner or donor.
    pub owner_scope: MembershipScope,
    /// The owning partner or donor.
    pub owner_id: Uuid,
    /// Its scopes.
    pub scopes: Vec<super::ApiScope>,
}

impl ApiKeyCaller {
    /// True when the key holds `scope`.
    pub fn has(&self, scope: super::ApiScope) -> bool {
        self.scopes.contains(&scope)
    }
}

/// A signed-in user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserCaller {
    /// The user.
    pub user_id: Uuid,
    /// The session of the access token.
    pub session_id: Uuid,
    /// Platform administrators see and may do everything.
    pub is_platform_admin: bool,
    /// The account confirmed its e-mail address. Until it does, it reads what
    /// anonymous callers read and changes nothing but itself.
    pub email_verified: bool,
    /// Roles held.
    pub grants: Vec<Grant>,
    /// Countries served by the partners the user works for (any partner role),
    /// with the partner and the role.
    pub partner_countries: Vec<(String, Uuid, Role)>,
}

impl UserCaller {
    /// A member of the network: a verified account holding a role in a
    /// partner, a donor or an organization (platform admins too). Only members
    /// read NETWORK organizations.
    pub fn is_network_member(&self) -> bool {
        self.email_verified && (self.is_platform_admin || !self.grants.is_empty())
    }

    /// Roles in organization `id`.
    pub fn organization_role(&self, id: Uuid) -> Option<Role> {
        self.grants.iter().find(|g| g.scope == MembershipScope::Organization && g.scope_id == id).map(|g| g.role)
    }

    /// Role in partner `id`.
    pub fn partner_role(&self, id: Uuid) -> Option<Role> {
        self.grants.iter().find(|g| g.scope == MembershipScope::Partner && g.scope_id == id).map(|g| g.role)
    }
}

impl Caller {
    /// The signed-in user, if any.
    pub fn user(&self) -> Option<&UserCaller> {
        match self {
            Self::User(u) => Some(u),
            _ => None,
        }
    }
}
