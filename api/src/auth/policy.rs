//! The one place that decides who may read and write what.
//!
//! - Every mutation calls [`Policy::authorize`] (or asks for a write scope).
//! - Every path that reaches an organization (lists, counts, search,
//!   `node(id:)`, relations) filters by [`Policy::organization_scope`].
//! - Sensitive fields ask [`Policy::may_see_organization_contact`].
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

use entity::enums::{Role, Visibility};
use uuid::Uuid;

use super::{Caller, UserCaller};
use crate::error::ApiError;

/// A write someone wants to make.
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
    /// Change or archive an organization (which ones: the write scopes).
    ChangeOrganization,
    /// Create a donor company.
    CreateDonor,
}

/// A set of organizations, as SQL can filter it: every organization, or those
/// with one of `visibilities`, plus `organization_ids`, plus those in `countries`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
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

    /// True when an organization is in the scope.
    pub fn contains(&self, id: Uuid, country: &str, visibility: Visibility) -> bool {
        self.all
            || self.visibilities.contains(&visibility)
            || self.organization_ids.contains(&id)
            || self.countries.iter().any(|c| c == country)
    }
}

/// The policy. It holds no state today; it is passed as a value so that
/// deployment-specific rules can be added without touching every caller.
#[derive(Clone, Copy, Debug, Default)]
pub struct Policy;

const PARTNER_WRITERS: [Role; 2] = [Role::Admin, Role::Validator];

fn sign_in() -> ApiError {
    ApiError::Unauthenticated("sign in to do this".to_owned())
}

fn forbidden(what: &str) -> ApiError {
    ApiError::Forbidden(format!("you may not {what}"))
}

impl Policy {
    /// Allows or refuses a write that does not depend on an organization's data.
    pub fn authorize(&self, caller: &Caller, action: Action) -> Result<(), ApiError> {
        let user = match caller {
            Caller::System => return Ok(()),
            Caller::Anonymous => return Err(sign_in()),
            // No scope of an API key covers the directory's writes yet.
            Caller::ApiKey(_) => return Err(forbidden("do this with an API key")),
            Caller::User(u) if !u.email_verified => return Err(ApiError::EmailNotVerified),
            Caller::User(u) if u.is_platform_admin => return Ok(()),
            Caller::User(u) => u,
        };
        match action {
            Action::CreateOrganization | Action::ChangeOrganization => Ok(()),
            Action::CreateDonor => Err(forbidden("add donor companies")),
            Action::UpdatePartner(id) if user.partner_role(id) == Some(Role::Admin) => Ok(()),
            Action::CreatePartner | Action::UpdatePartner(_) | Action::ChangePartnerCountries(_) | Action::ArchivePartner(_) => {
                Err(forbidden("change network partners"))
            }
        }
    }

    /// Which organizations `caller` may read.
    pub fn organization_scope(&self, caller: &Caller) -> OrgScope {
        let public = || OrgScope { visibilities: vec![Visibility::Public], ..OrgScope::default() };
        match caller {
            Caller::System => OrgScope::all(),
            Caller::Anonymous => public(),
            Caller::User(u) if !u.email_verified => public(),
            // Integrations never see hidden organizations; without the scope, none at all.
            Caller::ApiKey(k) if k.has("organizations:read") => {
                OrgScope { visibilities: vec![Visibility::Public, Visibility::Network], ..OrgScope::default() }
            }
            Caller::ApiKey(_) => OrgScope::default(),
            Caller::User(u) if u.is_platform_admin => OrgScope::all(),
            Caller::User(u) => OrgScope {
                all: false,
                visibilities: if u.is_network_member() { vec![Visibility::Public, Visibility::Network] } else { vec![Visibility::Public] },
                organization_ids: member_organizations(u, &[Role::Owner, Role::Admin, Role::Member]),
                countries: partner_countries(u, &[Role::Admin, Role::Validator, Role::ProgramManager]),
            },
        }
    }

    /// Which organizations `caller` may change: their owners and admins, staff
    /// (admin, validator) of the partners serving their country, platform admins.
    pub fn organization_write_scope(&self, caller: &Caller) -> OrgScope {
        managing_scope(caller, &[Role::Owner, Role::Admin], &PARTNER_WRITERS)
    }

    /// Which organizations `caller` may archive: their owners, partner admins of
    /// their country, platform admins.
    pub fn organization_archive_scope(&self, caller: &Caller) -> OrgScope {
        managing_scope(caller, &[Role::Owner], &[Role::Admin])
    }

    /// Contact details (e-mail, phone, address) of an organization: its members,
    /// staff of the partners serving its country, platform admins.
    pub fn may_see_organization_contact(&self, caller: &Caller, id: Uuid, country: &str) -> bool {
        match caller {
            Caller::System => true,
            Caller::Anonymous | Caller::ApiKey(_) => false,
            Caller::User(u) if !u.email_verified => false,
            Caller::User(u) => {
                u.is_platform_admin || u.organization_role(id).is_some() || u.partner_countries.iter().any(|(c, _, _)| c == country)
            }
        }
    }

    /// Reading the audit log: platform admins only.
    pub fn authorize_audit_read(&self, caller: &Caller) -> Result<(), ApiError> {
        match caller {
            Caller::System => Ok(()),
            Caller::User(u) if !u.email_verified => Err(ApiError::EmailNotVerified),
            Caller::User(u) if u.is_platform_admin => Ok(()),
            Caller::User(_) | Caller::ApiKey(_) => Err(forbidden("read the audit log")),
            Caller::Anonymous => Err(sign_in()),
        }
    }

    /// Inviting someone to a role: platform admins anywhere; an organization's
    /// owners (any role) and admins (admin, member); a partner's or a donor's admins.
    pub fn authorize_invite(
        &self,
        caller: &Caller,
        scope: entity::enums::MembershipScope,
        scope_id: Uuid,
        role: Role,
    ) -> Result<(), ApiError> {
        use entity::enums::MembershipScope as S;
        match caller {
            Caller::System => Ok(()),
            Caller::Anonymous => Err(sign_in()),
            Caller::ApiKey(_) => Err(forbidden("invite with an API key")),
            Caller::User(u) if !u.email_verified => Err(ApiError::EmailNotVerified),
            Caller::User(u) if u.is_platform_admin => Ok(()),
            Caller::User(u) => {
                let held = u.grants.iter().find(|g| g.scope == scope && g.scope_id == scope_id).map(|g| g.role);
                let allowed = match (scope, held) {
                    (S::Organization, Some(Role::Owner)) => true,
                    (S::Organization, Some(Role::Admin)) => matches!(role, Role::Admin | Role::Member),
                    (S::Partner | S::Donor, Some(Role::Admin)) => true,
                    _ => false,
                };
                if allowed { Ok(()) } else { Err(forbidden("invite to this role")) }
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

    /// Creating, listing and revoking the API keys of a partner or donor: its
    /// admins and platform admins.
    pub fn authorize_api_key_admin(&self, caller: &Caller, scope: entity::enums::MembershipScope, owner_id: Uuid) -> Result<(), ApiError> {
        match caller {
            Caller::System => Ok(()),
            Caller::Anonymous => Err(sign_in()),
            Caller::ApiKey(_) => Err(forbidden("manage API keys with an API key")),
            Caller::User(u) if !u.email_verified => Err(ApiError::EmailNotVerified),
            Caller::User(u) if u.is_platform_admin => Ok(()),
            Caller::User(u) => {
                let admin = u.grants.iter().any(|g| g.scope == scope && g.scope_id == owner_id && g.role == Role::Admin);
                if admin { Ok(()) } else { Err(forbidden("manage this owner's API keys")) }
            }
        }
    }

    /// Possible duplicates of an organization in `country` (others sharing a
    /// registration identifier): staff (admin, validator, program manager) of the
    /// partners serving the country, who may see every organization there, and
    /// platform admins. Anyone else would learn from them that organizations they
    /// may not see exist.
    pub fn may_review_duplicates(&self, caller: &Caller, country: &str) -> bool {
        match caller {
            Caller::System => true,
            Caller::Anonymous | Caller::ApiKey(_) => false,
            Caller::User(u) if !u.email_verified => false,
            Caller::User(u) => {
                u.is_platform_admin
                    || partner_countries(u, &[Role::Admin, Role::Validator, Role::ProgramManager]).iter().any(|c| c == country)
            }
        }
    }
}

/// Organizations a caller may manage: those where they hold one of
/// `organization_roles`, those in the countries of partners where they hold one
/// of `partner_roles`, or all of them for platform admins.
fn managing_scope(caller: &Caller, organization_roles: &[Role], partner_roles: &[Role]) -> OrgScope {
    match caller {
        Caller::System => OrgScope::all(),
        Caller::Anonymous | Caller::ApiKey(_) => OrgScope::default(),
        Caller::User(u) if !u.email_verified => OrgScope::default(),
        Caller::User(u) if u.is_platform_admin => OrgScope::all(),
        Caller::User(u) => OrgScope {
            all: false,
            visibilities: Vec::new(),
            organization_ids: member_organizations(u, organization_roles),
            countries: partner_countries(u, partner_roles),
        },
    }
}

fn member_organizations(user: &UserCaller, roles: &[Role]) -> Vec<Uuid> {
    user.grants
        .iter()
        .filter(|g| g.scope == entity::enums::MembershipScope::Organization && roles.contains(&g.role))
        .map(|g| g.scope_id)
        .collect()
}

fn partner_countries(user: &UserCaller, roles: &[Role]) -> Vec<String> {
    let mut countries: Vec<String> =
        user.partner_countries.iter().filter(|(_, _, r)| roles.contains(r)).map(|(c, _, _)| c.clone()).collect();
    countries.sort();
    countries.dedup();
    countries
}

#[cfg(test)]
mod tests {
    use entity::enums::MembershipScope;

    use super::*;
    use crate::auth::caller::Grant;

    fn user(grants: Vec<Grant>, partner_countries: Vec<(String, Uuid, Role)>) -> Caller {
        Caller::User(UserCaller {
            user_id: Uuid::now_v7(),
            session_id: Uuid::now_v7(),
            is_platform_admin: false,
            email_verified: true,
            grants,
            partner_countries,
        })
    }

    #[test]
    fn anonymous_callers_see_public_organizations_only_and_may_not_write() {
        let policy = Policy;
        let scope = policy.organization_scope(&Caller::Anonymous);
        assert!(scope.contains(Uuid::nil(), "KE", Visibility::Public));
        assert!(!scope.contains(Uuid::nil(), "KE", Visibility::Network));
        assert!(matches!(policy.authorize(&Caller::Anonymous, Action::CreateOrganization), Err(ApiError::Unauthenticated(_))));
    }

    #[test]
    fn hidden_organizations_are_seen_by_members_and_partner_staff_of_their_country() {
        let policy = Policy;
        let org = Uuid::now_v7();
        let member = user(vec![Grant { scope: MembershipScope::Organization, scope_id: org, role: Role::Member }], vec![]);
        let partner = user(vec![], vec![("UG".to_owned(), Uuid::now_v7(), Role::Validator)]);
        let stranger = user(vec![], vec![("KE".to_owned(), Uuid::now_v7(), Role::Validator)]);
        assert!(policy.organization_scope(&member).contains(org, "UG", Visibility::Hidden));
        assert!(policy.organization_scope(&partner).contains(org, "UG", Visibility::Hidden));
        assert!(!policy.organization_scope(&stranger).contains(org, "UG", Visibility::Hidden));
        assert!(policy.may_see_organization_contact(&partner, org, "UG"));
        assert!(!policy.may_see_organization_contact(&stranger, org, "UG"));
        assert!(!policy.organization_write_scope(&member).contains(org, "UG", Visibility::Hidden), "members do not edit");
    }

    fn unverified(caller: Caller) -> Caller {
        match caller {
            Caller::User(u) => Caller::User(UserCaller { email_verified: false, ..u }),
            other => other,
        }
    }

    #[test]
    fn network_organizations_are_for_members_of_the_network_only() {
        let policy = Policy;
        let org = Uuid::now_v7();
        let member = user(vec![Grant { scope: MembershipScope::Donor, scope_id: Uuid::now_v7(), role: Role::Integrator }], vec![]);
        let loner = user(vec![], vec![]);
        assert!(policy.organization_scope(&member).contains(org, "KE", Visibility::Network));
        assert!(!policy.organization_scope(&loner).contains(org, "KE", Visibility::Network), "an account alone is not membership");
        assert!(policy.organization_scope(&loner).contains(org, "KE", Visibility::Public));
    }

    #[test]
    fn an_unverified_account_reads_like_anonymous_and_writes_nothing() {
        let policy = Policy;
        let org = Uuid::now_v7();
        let grants = vec![Grant { scope: MembershipScope::Organization, scope_id: org, role: Role::Owner }];
        let caller = unverified(user(grants, vec![("UG".to_owned(), Uuid::now_v7(), Role::Admin)]));
        assert_eq!(policy.organization_scope(&caller), policy.organization_scope(&Caller::Anonymous));
        assert!(!policy.may_see_organization_contact(&caller, org, "UG"));
        assert!(!policy.organization_write_scope(&caller).contains(org, "UG", Visibility::Public));
        assert!(matches!(policy.authorize(&caller, Action::CreateOrganization), Err(ApiError::EmailNotVerified)));
        assert!(matches!(policy.verified_user(&caller), Err(ApiError::EmailNotVerified)));
        assert!(matches!(
            policy.authorize_invite(&caller, MembershipScope::Organization, org, Role::Member),
            Err(ApiError::EmailNotVerified)
        ));
    }

    #[test]
    fn possible_duplicates_are_for_partner_staff_of_the_country_and_platform_admins_only() {
        let policy = Policy;
        let org = Uuid::now_v7();
        let staff = |role| user(vec![], vec![("UG".to_owned(), Uuid::now_v7(), role)]);
        let owner = user(vec![Grant { scope: MembershipScope::Organization, scope_id: org, role: Role::Owner }], vec![]);
        let elsewhere = user(vec![], vec![("KE".to_owned(), Uuid::now_v7(), Role::Admin)]);
        let admin = Caller::User(UserCaller {
            user_id: Uuid::now_v7(),
            session_id: Uuid::now_v7(),
            is_platform_admin: true,
            email_verified: true,
            grants: vec![],
            partner_countries: vec![],
        });
        for role in [Role::Admin, Role::Validator, Role::ProgramManager] {
            assert!(policy.may_review_duplicates(&staff(role), "UG"), "{role:?}");
        }
        assert!(policy.may_review_duplicates(&admin, "UG"));
        assert!(!policy.may_review_duplicates(&owner, "UG"), "an organization's own people do not see other organizations");
        assert!(!policy.may_review_duplicates(&elsewhere, "UG"));
        assert!(!policy.may_review_duplicates(&Caller::Anonymous, "UG"));
    }
}
