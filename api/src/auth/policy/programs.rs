//! Rules of programs: who manages a donor's catalogue.

use entity::enums::{MembershipScope, Role};
use uuid::Uuid;

use super::{Policy, RequestFacts, forbidden, role_in, sign_in};
use crate::{
    auth::{ApiKeyCaller, ApiScope, Caller},
    error::ApiError,
};

/// A key of `donor` holding `scope`.
fn donor_key(key: &ApiKeyCaller, donor: Uuid, scope: ApiScope) -> bool {
    key.owner_scope == MembershipScope::Donor && key.owner_id == donor && key.has(scope)
}

impl Policy {
    /// Creating and changing a donor's programs: its admins, API keys of that
    /// donor holding `programs:write`, and platform admins.
    pub fn authorize_program_write(&self, caller: &Caller, donor: Uuid) -> Result<(), ApiError> {
        match caller {
            Caller::System => Ok(()),
            Caller::Anonymous => Err(sign_in()),
            Caller::ApiKey(key) if donor_key(key, donor, ApiScope::ProgramsWrite) => Ok(()),
            Caller::ApiKey(_) => {
                Err(forbidden("manage this donor's programs with this key: it needs programs:write and to belong to the donor"))
            }
            Caller::User(u) if !u.email_verified => Err(ApiError::EmailNotVerified),
            Caller::User(u) if u.is_platform_admin || role_in(u, MembershipScope::Donor, donor) == Some(Role::Admin) => Ok(()),
            Caller::User(_) => Err(forbidden("manage this donor's programs: ask one of its admins")),
        }
    }
}

/// Donor roles that read the requests to its programs.
const DONOR_STAFF: [Role; 2] = [Role::Admin, Role::Integrator];

impl Policy {
    /// Requesting a donation for an organization: its members (any role) and
    /// platform admins.
    pub fn authorize_donation_request(&self, caller: &Caller, organization: Uuid) -> Result<(), ApiError> {
        match caller {
            Caller::System => Ok(()),
            Caller::Anonymous => Err(sign_in()),
            Caller::ApiKey(_) => Err(forbidden("request donations with an API key")),
            Caller::User(u) if !u.email_verified => Err(ApiError::EmailNotVerified),
            Caller::User(u) if u.is_platform_admin || u.organization_role(organization).is_some() => Ok(()),
            Caller::User(_) => Err(forbidden("request donations for this organization: only its members may")),
        }
    }

    /// Deciding and fulfilling requests to a donor's programs: its admins,
    /// its API keys holding `requests:write`, and platform admins.
    pub fn authorize_request_decision(&self, caller: &Caller, donor: Uuid) -> Result<(), ApiError> {
        match caller {
            Caller::System => Ok(()),
            Caller::Anonymous => Err(sign_in()),
            Caller::ApiKey(key) if donor_key(key, donor, ApiScope::RequestsWrite) => Ok(()),
            Caller::ApiKey(_) => {
                Err(forbidden("decide this donor's requests with this key: it needs requests:write and to belong to the donor"))
            }
            Caller::User(u) if !u.email_verified => Err(ApiError::EmailNotVerified),
            Caller::User(u) if u.is_platform_admin || role_in(u, MembershipScope::Donor, donor) == Some(Role::Admin) => Ok(()),
            Caller::User(_) => Err(forbidden("decide this donor's requests: ask one of its admins")),
        }
    }

    /// Reading a request: the organization's members, the donor's staff and
    /// its keys holding `requests:read`, and platform admins.
    pub fn may_read_request(&self, caller: &Caller, request: RequestFacts) -> bool {
        match caller {
            Caller::System => true,
            Caller::Anonymous => false,
            Caller::ApiKey(key) => donor_key(key, request.donor, ApiScope::RequestsRead),
            Caller::User(u) if !u.email_verified => false,
            Caller::User(u) => {
                u.is_platform_admin
                    || u.organization_role(request.organization).is_some()
                    || role_in(u, MembershipScope::Donor, request.donor).is_some_and(|r| DONOR_STAFF.contains(&r))
            }
        }
    }

    /// Listing an organization's requests: its members and platform admins.
    pub fn may_list_organization_requests(&self, caller: &Caller, organization: Uuid) -> bool {
        match caller {
            Caller::System => true,
            Caller::User(u) if u.email_verified => u.is_platform_admin || u.organization_role(organization).is_some(),
            _ => false,
        }
    }

    /// Listing the requests to a donor's programs: its staff, its keys
    /// holding `requests:read`, and platform admins.
    pub fn may_list_donor_requests(&self, caller: &Caller, donor: Uuid) -> bool {
        match caller {
            Caller::System => true,
            Caller::ApiKey(key) => donor_key(key, donor, ApiScope::RequestsRead),
            Caller::User(u) if u.email_verified => {
                u.is_platform_admin || role_in(u, MembershipScope::Donor, donor).is_some_and(|r| DONOR_STAFF.contains(&r))
            }
            _ => false,
        }
    }

    /// Seeing the organization that made a request, whatever its visibility:
    /// whoever may read the request. Asking a donor for a donation shares
    /// the organization's profile (and its validation badge) with that
    /// donor's staff, as it must for them to decide; its private fields
    /// (contact, validation case, evidence) keep their own rules.
    pub fn may_see_requesting_organization(&self, caller: &Caller, request: RequestFacts) -> bool {
        self.may_read_request(caller, request)
    }

    /// Reading a request's fulfilment details (license keys, a shipment
    /// reference): the organization's members and the donor's staff and keys only.
    pub fn may_read_fulfilment(&self, caller: &Caller, request: RequestFacts) -> bool {
        match caller {
            Caller::User(u) if u.is_platform_admin => {
                u.organization_role(request.organization).is_some() || role_in(u, MembershipScope::Donor, request.donor).is_some()
            }
            _ => self.may_read_request(caller, request),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{api_key, holding, platform_admin, unverified};
    use super::*;

    #[test]
    fn members_request_donor_admins_decide_and_fulfilment_stays_between_them() {
        let (org, donor, other) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        let facts = RequestFacts { organization: org, donor };
        let key = |owner: Uuid, scopes: &[&str]| match api_key(scopes) {
            Caller::ApiKey(mut k) => {
                k.owner_scope = MembershipScope::Donor;
                k.owner_id = owner;
                Caller::ApiKey(k)
            }
            other => other,
        };
        // (caller, requests, decides, reads, reads the fulfilment)
        let table: Vec<(&str, Caller, [bool; 4])> = vec![
            ("organization member", holding(MembershipScope::Organization, org, Role::Member), [true, false, true, true]),
            ("member of another organization", holding(MembershipScope::Organization, other, Role::Owner), [false, false, false, false]),
            ("donor admin", holding(MembershipScope::Donor, donor, Role::Admin), [false, true, true, true]),
            ("donor integrator", holding(MembershipScope::Donor, donor, Role::Integrator), [false, false, true, true]),
            ("admin of another donor", holding(MembershipScope::Donor, other, Role::Admin), [false, false, false, false]),
            ("the donor's key (requests:read)", key(donor, &["requests:read"]), [false, false, true, true]),
            ("the donor's key (requests:write)", key(donor, &["requests:write"]), [false, true, false, false]),
            ("another donor's key", key(other, &["requests:read", "requests:write"]), [false, false, false, false]),
            ("platform admin", platform_admin(), [true, true, true, false]),
            ("unverified member", unverified(holding(MembershipScope::Organization, org, Role::Member)), [false, false, false, false]),
            ("anonymous", Caller::Anonymous, [false, false, false, false]),
        ];
        for (who, caller, [requests, decides, reads, fulfilment]) in table {
            assert_eq!(Policy.authorize_donation_request(&caller, org).is_ok(), requests, "{who} requests");
            assert_eq!(Policy.authorize_request_decision(&caller, donor).is_ok(), decides, "{who} decides");
            assert_eq!(Policy.may_read_request(&caller, facts), reads, "{who} reads");
            assert_eq!(Policy.may_read_fulfilment(&caller, facts), fulfilment, "{who} reads the fulfilment");
        }
    }

    #[test]
    fn donor_admins_their_keys_and_platform_admins_manage_programs() {
        let (donor, other) = (Uuid::now_v7(), Uuid::now_v7());
        let key = |owner: Uuid, scopes: &[&str]| match api_key(scopes) {
            Caller::ApiKey(mut k) => {
                k.owner_scope = MembershipScope::Donor;
                k.owner_id = owner;
                Caller::ApiKey(k)
            }
            other => other,
        };
        let table: Vec<(&str, Caller, bool)> = vec![
            ("system", Caller::System, true),
            ("platform admin", platform_admin(), true),
            ("donor admin", holding(MembershipScope::Donor, donor, Role::Admin), true),
            ("donor integrator", holding(MembershipScope::Donor, donor, Role::Integrator), false),
            ("admin of another donor", holding(MembershipScope::Donor, other, Role::Admin), false),
            ("unverified donor admin", unverified(holding(MembershipScope::Donor, donor, Role::Admin)), false),
            ("the donor's key with programs:write", key(donor, &["programs:write"]), true),
            ("the donor's key without it", key(donor, &["programs:read"]), false),
            ("another donor's key", key(other, &["programs:write"]), false),
            ("anonymous", Caller::Anonymous, false),
        ];
        for (who, caller, may) in table {
            assert_eq!(Policy.authorize_program_write(&caller, donor).is_ok(), may, "{who}");
        }
    }
}

impl Policy {
    /// Asking whether an organization is eligible for programs
    /// (`Program.eligibility`, `programs(filter: {eligibleFor})`,
    /// `Organization.eligiblePrograms`): whoever may see the organization
    /// (its visibility decides, as [`Policy::organization_scope`] says), but
    /// an API key (an integration) only with `programs:read`.
    pub fn may_check_eligibility(&self, caller: &Caller) -> Result<(), ApiError> {
        match caller {
            Caller::ApiKey(key) if !key.has(ApiScope::ProgramsRead) => {
                Err(forbidden("check eligibility with this key: it needs the programs:read scope"))
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod eligibility_tests {
    use super::super::testing::{api_key, holding, outcome, platform_admin, unverified};
    use super::*;

    #[test]
    fn keys_need_programs_read_to_check_eligibility_and_people_need_only_to_see_the_organization() {
        let org = Uuid::now_v7();
        for (who, caller, want) in [
            ("anonymous (public organizations only)", Caller::Anonymous, "ok"),
            ("organization member", holding(MembershipScope::Organization, org, Role::Member), "ok"),
            ("donor integrator", holding(MembershipScope::Donor, Uuid::now_v7(), Role::Integrator), "ok"),
            ("unverified user", unverified(holding(MembershipScope::Organization, org, Role::Member)), "ok"),
            ("platform admin", platform_admin(), "ok"),
            ("system", Caller::System, "ok"),
            ("key with programs:read", api_key(&["programs:read", "organizations:read"]), "ok"),
            ("key with organizations:read only", api_key(&["organizations:read"]), "FORBIDDEN"),
            ("key with programs:write only", api_key(&["programs:write"]), "FORBIDDEN"),
        ] {
            assert_eq!(outcome(Policy.may_check_eligibility(&caller)), want, "{who}");
        }
    }
}
