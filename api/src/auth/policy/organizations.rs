//! Rules of organizations: who reads which, who changes and archives them, who
//! sees their contact details and their possible duplicates.

use entity::enums::{MembershipScope, Role, Visibility};
use uuid::Uuid;

use super::{OrgScope, Policy};
use crate::auth::{ApiScope, Caller, UserCaller};

/// Partner roles that may change the organizations of their countries.
const PARTNER_WRITERS: [Role; 2] = [Role::Admin, Role::Validator];
/// Partner roles that see every organization of their countries.
const PARTNER_STAFF: [Role; 3] = [Role::Admin, Role::Validator, Role::ProgramManager];

impl Policy {
    /// Which organizations `caller` may read.
    pub fn organization_scope(&self, caller: &Caller) -> OrgScope {
        match caller {
            Caller::System => OrgScope::all(),
            Caller::Anonymous => OrgScope::public(),
            Caller::User(u) if !u.email_verified => OrgScope::public(),
            // Integrations never see hidden organizations; without the scope, none at all.
            Caller::ApiKey(k) if k.has(ApiScope::OrganizationsRead) => {
                OrgScope { visibilities: vec![Visibility::Public, Visibility::Network], ..OrgScope::default() }
            }
            Caller::ApiKey(_) => OrgScope::default(),
            Caller::User(u) if u.is_platform_admin => OrgScope::all(),
            Caller::User(u) => OrgScope {
                all: false,
                visibilities: if u.is_network_member() { vec![Visibility::Public, Visibility::Network] } else { vec![Visibility::Public] },
                organization_ids: member_organizations(u, &[Role::Owner, Role::Admin, Role::Member]),
                countries: partner_countries(u, &PARTNER_STAFF),
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
            Caller::User(u) => u.is_platform_admin || partner_countries(u, &PARTNER_STAFF).iter().any(|c| c == country),
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
    user.grants.iter().filter(|g| g.scope == MembershipScope::Organization && roles.contains(&g.role)).map(|g| g.scope_id).collect()
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
    use super::super::{
        Action,
        testing::{api_key, holding, outcome, platform_admin, unverified, user},
    };
    use super::*;
    use crate::{auth::caller::Grant, error::ApiError};

    /// Staff of a partner serving `country`.
    fn staff(country: &str, role: Role) -> Caller {
        let partner = Uuid::now_v7();
        user(vec![Grant { scope: MembershipScope::Partner, scope_id: partner, role }], vec![(country.to_owned(), partner, role)])
    }

    #[test]
    fn who_reads_changes_archives_and_sees_the_contact_of_an_organization() {
        let policy = Policy;
        let org = Uuid::now_v7();
        // (caller, reads PUBLIC, reads NETWORK, reads HIDDEN, changes, archives, sees contact, reviews duplicates),
        // for a HIDDEN organization in UG (the visibility columns ask the read scope alone).
        let table: Vec<(&str, Caller, [bool; 7])> = vec![
            ("system", Caller::System, [true, true, true, true, true, true, true]),
            ("platform admin", platform_admin(), [true, true, true, true, true, true, true]),
            ("owner", holding(MembershipScope::Organization, org, Role::Owner), [true, true, true, true, true, true, false]),
            ("admin", holding(MembershipScope::Organization, org, Role::Admin), [true, true, true, true, false, true, false]),
            ("member", holding(MembershipScope::Organization, org, Role::Member), [true, true, true, false, false, true, false]),
            ("UG partner admin", staff("UG", Role::Admin), [true, true, true, true, true, true, true]),
            ("UG validator", staff("UG", Role::Validator), [true, true, true, true, false, true, true]),
            ("UG program manager", staff("UG", Role::ProgramManager), [true, true, true, false, false, true, true]),
            ("KE validator", staff("KE", Role::Validator), [true, true, false, false, false, false, false]),
            ("account without a role", user(vec![], vec![]), [true, false, false, false, false, false, false]),
            (
                "unverified owner",
                unverified(holding(MembershipScope::Organization, org, Role::Owner)),
                [true, false, false, false, false, false, false],
            ),
            ("API key with organizations:read", api_key(&["organizations:read"]), [true, true, false, false, false, false, false]),
            ("API key without it", api_key(&["partners:read"]), [false, false, false, false, false, false, false]),
            ("anonymous", Caller::Anonymous, [true, false, false, false, false, false, false]),
        ];
        for (who, caller, want) in table {
            let read = policy.organization_scope(&caller);
            let got = [
                read.contains(Uuid::now_v7(), "KE", Visibility::Public),
                read.contains(Uuid::now_v7(), "KE", Visibility::Network),
                read.contains(org, "UG", Visibility::Hidden),
                policy.organization_write_scope(&caller).contains(org, "UG", Visibility::Hidden),
                policy.organization_archive_scope(&caller).contains(org, "UG", Visibility::Hidden),
                policy.may_see_organization_contact(&caller, org, "UG"),
                policy.may_review_duplicates(&caller, "UG"),
            ];
            assert_eq!(got, want, "{who}");
        }
    }

    #[test]
    fn creating_an_organization_needs_a_verified_account() {
        let policy = Policy;
        for (who, caller, want) in [
            ("user", user(vec![], vec![]), "ok"),
            ("unverified", unverified(user(vec![], vec![])), "EMAIL_NOT_VERIFIED"),
            ("API key", api_key(&["organizations:read"]), "FORBIDDEN"),
            ("anonymous", Caller::Anonymous, "UNAUTHENTICATED"),
        ] {
            assert_eq!(outcome(policy.authorize(&caller, Action::CreateOrganization)), want, "{who}");
        }
        assert!(matches!(policy.authorize(&Caller::Anonymous, Action::CreateOrganization), Err(ApiError::Unauthenticated(_))));
        let member = holding(MembershipScope::Donor, Uuid::now_v7(), Role::Integrator);
        assert!(policy.organization_scope(&member).contains(Uuid::now_v7(), "KE", Visibility::Network), "staff of a donor is a member");
    }
}
