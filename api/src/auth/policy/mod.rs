//! The one place that decides who may read and write what: the caller logic
//! shared by every rule here, then one file per area with that area's rules.
//!
//! - Every mutation asks its area's rule (`authorize_*`, or a write scope).
//! - Every path that reaches an organization (lists, counts, search,
//!   `node(id:)`, relations) filters by [`Policy::organization_scope`].
//! - Sensitive fields ask their rule (e.g. [`Policy::may_see_organization_contact`]).
//!
//! Visibility of organizations: PUBLIC (anyone), NETWORK (members of the
//! network: verified accounts holding a role in a partner, a donor or an
//! organization, and API keys of partners and donors with
//! `organizations:read`), HIDDEN (only its members, staff of the partners
//! serving its country and platform admins). Outside a caller's scope an
//! organization does not exist.
//!
//! An account that has not confirmed its e-mail address is treated as
//! anonymous for reads and may change nothing but itself (its verification,
//! profile, password and sessions, which do not ask the policy): anyone can
//! open an account for any address.

mod api_keys;
mod audit;
mod directory;
mod donors;
mod memberships;
mod needs_map;
mod organizations;
mod programs;
mod reports;
pub mod training_feedback;
pub mod trainings;
mod validations;
pub mod webhooks;

pub use needs_map::MIN_CELL_ORGANIZATIONS;
pub use reports::{GroupFacts, MIN_GROUP_ORGANIZATIONS};

use entity::enums::{MembershipScope, Role, Visibility};
use uuid::Uuid;

use super::{Caller, UserCaller};
use crate::error::ApiError;

/// A write someone wants to make, decided without reading its rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Create a network partner.
    CreatePartner,
    /// Change a partner.
    UpdatePartner(Uuid),
    /// Change the countries a partner serves.
    ChangePartnerCountries(Uuid),
    /// Archive a partner.
    ArchivePartner(Uuid),
    /// Create an organization.
    CreateOrganization,
    /// Change or archive an organization: any verified user may try; which
    /// organizations they may change is [`Policy::organization_write_scope`].
    ChangeOrganization,
    /// Create a donor company.
    CreateDonor,
}

/// A purpose for which a caller reaches organizations (reading, changing,
/// archiving): the request asks the policy for its scope the first time a
/// resolver needs it (`RequestContext::scope`), then reuses it.
pub trait ScopeKind: 'static {
    /// The organizations `caller` may reach for this purpose.
    fn scope(policy: &Policy, caller: &Caller) -> OrgScope;
}

/// Organizations the caller may read ([`Policy::organization_scope`]).
pub struct ReadableOrganizations;
/// Organizations the caller may change ([`Policy::organization_write_scope`]).
pub struct WritableOrganizations;
/// Organizations the caller may archive ([`Policy::organization_archive_scope`]).
pub struct ArchivableOrganizations;

impl ScopeKind for ReadableOrganizations {
    fn scope(policy: &Policy, caller: &Caller) -> OrgScope {
        policy.organization_scope(caller)
    }
}

impl ScopeKind for WritableOrganizations {
    fn scope(policy: &Policy, caller: &Caller) -> OrgScope {
        policy.organization_write_scope(caller)
    }
}

impl ScopeKind for ArchivableOrganizations {
    fn scope(policy: &Policy, caller: &Caller) -> OrgScope {
        policy.organization_archive_scope(caller)
    }
}

/// A set of organizations, as SQL can filter it: every organization, or those
/// with one of `visibilities`, plus `organization_ids`, plus those in `countries`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct OrgScope {
    /// Every organization.
    pub all: bool,
    /// Organizations with these visibilities.
    pub visibilities: Vec<Visibility>,
    /// These organizations, whatever their visibility.
    pub organization_ids: Vec<Uuid>,
    /// Organizations in these countries, whatever their visibility.
    pub countries: Vec<String>,
}

impl OrgScope {
    /// Everything.
    pub fn all() -> Self {
        Self { all: true, ..Self::default() }
    }

    /// Only PUBLIC organizations.
    pub fn public() -> Self {
        Self { visibilities: vec![Visibility::Public], ..Self::default() }
    }

    /// True when an organization is in the scope.
    pub fn contains(&self, id: Uuid, country: &str, visibility: Visibility) -> bool {
        self.all
            || self.visibilities.contains(&visibility)
            || self.organization_ids.contains(&id)
            || self.countries.iter().any(|c| c == country)
    }
}

/// What a rule about one donation request needs to know of it.
#[derive(Clone, Copy, Debug)]
pub struct RequestFacts {
    /// The requesting organization.
    pub organization: Uuid,
    /// The donor of the program.
    pub donor: Uuid,
}

/// What a rule about one case needs to know of it.
#[derive(Clone, Copy, Debug)]
pub struct CaseFacts<'a> {
    /// The organization vetted.
    pub organization: Uuid,
    /// Its country.
    pub country: &'a str,
    /// The partner reviewing it (none before submission).
    pub partner: Option<Uuid>,
}

/// Who asks for validation statuses ([`Policy::authorize_validation_lookup`], validations' rules).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LookupGrant {
    /// The organizations the caller may look up, before share tokens.
    pub scope: OrgScope,
    /// The donors the caller looks up for: their lookups are recorded, and the
    /// organizations shared with them are added to `scope`.
    pub donors: Vec<Uuid>,
}

impl LookupGrant {
    /// The scope once the organizations shared with the caller's donors are added.
    pub fn with_shared(&self, shared: Vec<Uuid>) -> OrgScope {
        let mut scope = self.scope.clone();
        scope.organization_ids.extend(shared);
        scope
    }
}

/// The policy. It holds no state today; it is passed as a value so that
/// deployment-specific rules can be added without touching every caller.
#[derive(Clone, Copy, Debug, Default)]
pub struct Policy;

fn sign_in() -> ApiError {
    ApiError::Unauthenticated("sign in to do this".to_owned())
}

fn forbidden(what: &str) -> ApiError {
    ApiError::Forbidden(format!("you may not {what}"))
}

/// Who asks, once the cases every rule shares are decided.
enum Writer<'a> {
    /// The system or a platform admin: may do everything.
    Unrestricted,
    /// A verified user, whose roles the rule checks.
    User(&'a UserCaller),
}

/// The prologue of every write rule: anonymous callers must sign in, API keys
/// are refused (`what` names the write), unverified accounts must confirm their
/// address, the system and platform admins may do everything.
fn writer<'a>(caller: &'a Caller, what: &str) -> Result<Writer<'a>, ApiError> {
    match caller {
        Caller::System => Ok(Writer::Unrestricted),
        Caller::Anonymous => Err(sign_in()),
        Caller::ApiKey(_) => Err(forbidden(&format!("{what} with an API key"))),
        Caller::User(u) if !u.email_verified => Err(ApiError::EmailNotVerified),
        Caller::User(u) if u.is_platform_admin => Ok(Writer::Unrestricted),
        Caller::User(u) => Ok(Writer::User(u)),
    }
}

/// The role a user holds in one organization, partner or donor.
fn role_in(user: &UserCaller, scope: MembershipScope, id: Uuid) -> Option<Role> {
    user.grants.iter().find(|g| g.scope == scope && g.scope_id == id).map(|g| g.role)
}

impl Policy {
    /// Allows or refuses a write that does not depend on its rows' data.
    pub fn authorize(&self, caller: &Caller, action: Action) -> Result<(), ApiError> {
        let user = match writer(caller, "do this")? {
            Writer::Unrestricted => return Ok(()),
            Writer::User(u) => u,
        };
        match action {
            Action::CreateOrganization | Action::ChangeOrganization => Ok(()),
            Action::CreateDonor => directory::create_donor(user),
            Action::CreatePartner | Action::UpdatePartner(_) | Action::ChangePartnerCountries(_) | Action::ArchivePartner(_) => {
                directory::change_partner(user, action)
            }
        }
    }

    /// A write that changes the caller's own standing in the network (accepting
    /// an invitation): a signed-in user with a confirmed address.
    pub fn verified_user<'a>(&self, caller: &'a Caller) -> Result<&'a UserCaller, ApiError> {
        match caller {
            Caller::User(u) if u.email_verified => Ok(u),
            Caller::User(_) => Err(ApiError::EmailNotVerified),
            Caller::ApiKey(_) => Err(forbidden("do this with an API key")),
            Caller::Anonymous | Caller::System => Err(sign_in()),
        }
    }
}

#[cfg(test)]
pub(crate) mod testing {
    //! Callers for the table-driven tests of each area's rules.

    use super::*;
    use crate::auth::caller::Grant;

    /// A verified user with these roles.
    pub fn user(grants: Vec<Grant>, partner_countries: Vec<(String, Uuid, Role)>) -> Caller {
        Caller::User(UserCaller {
            user_id: Uuid::now_v7(),
            session_id: Uuid::now_v7(),
            is_platform_admin: false,
            email_verified: true,
            grants,
            partner_countries,
        })
    }

    /// A user holding `role` in `scope_id`.
    pub fn holding(scope: MembershipScope, scope_id: Uuid, role: Role) -> Caller {
        user(vec![Grant { scope, scope_id, role }], vec![])
    }

    /// A platform admin.
    pub fn platform_admin() -> Caller {
        match user(vec![], vec![]) {
            Caller::User(u) => Caller::User(UserCaller { is_platform_admin: true, ..u }),
            other => other,
        }
    }

    /// The same caller before confirming its address.
    pub fn unverified(caller: Caller) -> Caller {
        match caller {
            Caller::User(u) => Caller::User(UserCaller { email_verified: false, ..u }),
            other => other,
        }
    }

    /// An API key with these scopes.
    pub fn api_key(scopes: &[&str]) -> Caller {
        Caller::ApiKey(crate::auth::ApiKeyCaller {
            key_id: Uuid::now_v7(),
            owner_scope: MembershipScope::Partner,
            owner_id: Uuid::now_v7(),
            scopes: scopes.iter().filter_map(|s| crate::auth::ApiScope::parse(s)).collect(),
        })
    }

    /// The code of an authorization outcome: "ok" or the error's code.
    pub fn outcome(result: Result<(), ApiError>) -> &'static str {
        match result {
            Ok(()) => "ok",
            Err(e) => e.code().as_str(),
        }
    }
}
