//! Rules of validations: who sets a partner's criteria, who opens and submits
//! an organization's case, who reviews, decides and revokes it, who reads it.
//!
//! Reviewers are validators (and admins) of the partner reviewing the case,
//! who must serve the organization's country, or platform admins; nobody
//! reviews a case of an organization they belong to, whatever their role.

use entity::enums::{MembershipScope, Role, Visibility};
use uuid::Uuid;

use super::{CaseFacts, LookupGrant, OrgScope, Policy, Writer, forbidden, sign_in, writer};
use crate::{
    auth::{ApiScope, Caller, UserCaller},
    error::ApiError,
};

/// Partner roles that review cases.
const REVIEWERS: [Role; 2] = [Role::Admin, Role::Validator];

fn serves(user: &UserCaller, partner: Uuid, country: &str, roles: &[Role]) -> bool {
    user.partner_countries.iter().any(|(c, p, r)| *p == partner && c == country && roles.contains(r))
}

impl Policy {
    /// Setting a partner's criteria: its admins and platform admins.
    pub fn authorize_criteria(&self, caller: &Caller, partner: Uuid) -> Result<(), ApiError> {
        match writer(caller, "set validation criteria")? {
            Writer::Unrestricted => Ok(()),
            Writer::User(u) if u.partner_role(partner) == Some(Role::Admin) => Ok(()),
            Writer::User(_) => Err(forbidden("set the validation criteria of this partner: ask one of its admins")),
        }
    }

    /// A partner's queue, its counts and turnaround: its validators and
    /// admins, and platform admins.
    pub fn may_work_queue(&self, caller: &Caller, partner: Uuid) -> Result<(), ApiError> {
        match writer(caller, "read validation queues")? {
            Writer::Unrestricted => Ok(()),
            Writer::User(u) if u.partner_role(partner).is_some_and(|r| REVIEWERS.contains(&r)) => Ok(()),
            Writer::User(_) => Err(forbidden("read this partner's validation queue: only its validators and admins may")),
        }
    }

    /// Following the cases of a country as they move (`validationQueueChanged`):
    /// validators and admins of a partner serving it, and platform admins.
    pub fn may_watch_validation_queue(&self, caller: &Caller, country: &str) -> Result<(), ApiError> {
        match writer(caller, "follow validation queues")? {
            Writer::Unrestricted => Ok(()),
            Writer::User(u) if u.partner_countries.iter().any(|(c, _, r)| c == country && REVIEWERS.contains(r)) => Ok(()),
            Writer::User(_) => Err(forbidden("follow this country's validations: only validators of a partner serving it may")),
        }
    }

    /// Filtering organizations by the status of their case: platform admins
    /// (everywhere: `None`) and partner staff (in their partners' countries);
    /// others may not, since a case's status is for its readers.
    pub fn case_status_countries(&self, caller: &Caller) -> Result<Option<Vec<String>>, ApiError> {
        match writer(caller, "filter organizations by validation status")? {
            Writer::Unrestricted => Ok(None),
            Writer::User(u) if !u.partner_countries.is_empty() => {
                let mut countries: Vec<String> = u.partner_countries.iter().map(|(c, _, _)| c.clone()).collect();
                countries.sort();
                countries.dedup();
                Ok(Some(countries))
            }
            Writer::User(_) => Err(forbidden("filter organizations by validation status: only partner staff may")),
        }
    }

    /// Opening and submitting an organization's case, and attaching evidence:
    /// its owners and admins (and platform admins).
    pub fn authorize_case_owner(&self, caller: &Caller, organization: Uuid) -> Result<(), ApiError> {
        match writer(caller, "change a validation case")? {
            Writer::Unrestricted => Ok(()),
            Writer::User(u) if matches!(u.organization_role(organization), Some(Role::Owner | Role::Admin)) => Ok(()),
            Writer::User(_) => Err(forbidden("change this organization's validation: ask one of its owners or admins")),
        }
    }

    /// Reviewing a case (taking it, approving, rejecting, asking for
    /// information): validators and admins of its partner serving the
    /// organization's country, or platform admins; never a member of the
    /// organization.
    pub fn authorize_review(&self, caller: &Caller, case: CaseFacts<'_>) -> Result<(), ApiError> {
        if let Caller::User(u) = caller
            && u.organization_role(case.organization).is_some()
        {
            return Err(forbidden("review a validation of an organization you belong to"));
        }
        match writer(caller, "review validations")? {
            Writer::Unrestricted => Ok(()),
            Writer::User(u) if case.partner.is_some_and(|p| serves(u, p, case.country, &REVIEWERS)) => Ok(()),
            Writer::User(_) => Err(forbidden("review this validation: only validators of the partner reviewing it may")),
        }
    }

    /// Revoking an approval: the same people as reviewing it.
    pub fn authorize_revoke(&self, caller: &Caller, case: CaseFacts<'_>) -> Result<(), ApiError> {
        self.authorize_review(caller, case)
    }

    /// Reading a whole case (evidence, notes, history): members of the
    /// organization, staff of the partners serving its country, platform admins.
    pub fn may_read_case(&self, caller: &Caller, case: CaseFacts<'_>) -> bool {
        match caller {
            Caller::System => true,
            Caller::Anonymous | Caller::ApiKey(_) => false,
            Caller::User(u) if !u.email_verified => false,
            Caller::User(u) => {
                u.is_platform_admin
                    || u.grants.iter().any(|g| g.scope == MembershipScope::Organization && g.scope_id == case.organization)
                    || u.partner_countries.iter().any(|(c, _, _)| c == case.country)
            }
        }
    }

    /// Seeing and downloading a case's evidence documents: the organization's
    /// owners and admins (who attach them), validators and admins of the
    /// partner reviewing the case (once submitted) in the organization's
    /// country, and platform admins. Staff of other partners serving the
    /// country read the case, never its documents; API keys never do.
    pub fn may_see_evidence(&self, caller: &Caller, case: CaseFacts<'_>) -> bool {
        match caller {
            Caller::System => true,
            Caller::Anonymous | Caller::ApiKey(_) => false,
            Caller::User(u) if !u.email_verified => false,
            Caller::User(u) => {
                u.is_platform_admin
                    || matches!(u.organization_role(case.organization), Some(Role::Owner | Role::Admin))
                    || case.partner.is_some_and(|p| serves(u, p, case.country, &REVIEWERS))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{api_key, holding, platform_admin, unverified, user};
    use super::*;
    use crate::auth::caller::Grant;

    fn staff(partner: Uuid, country: &str, role: Role) -> Caller {
        user(vec![Grant { scope: MembershipScope::Partner, scope_id: partner, role }], vec![(country.to_owned(), partner, role)])
    }

    #[test]
    fn who_sets_criteria_opens_reviews_and_reads_a_case() {
        let policy = Policy;
        let (org, partner, other_partner) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        let case = CaseFacts { organization: org, country: "UG", partner: Some(partner) };
        // A validator of the reviewing partner who is also a member of the organization.
        let member_validator = user(
            vec![
                Grant { scope: MembershipScope::Partner, scope_id: partner, role: Role::Validator },
                Grant { scope: MembershipScope::Organization, scope_id: org, role: Role::Member },
            ],
            vec![("UG".to_owned(), partner, Role::Validator)],
        );
        // (caller, sets the partner's criteria, owns the case, reviews, reads)
        let table: Vec<(&str, Caller, [bool; 4])> = vec![
            ("system", Caller::System, [true, true, true, true]),
            ("platform admin", platform_admin(), [true, true, true, true]),
            ("organization owner", holding(MembershipScope::Organization, org, Role::Owner), [false, true, false, true]),
            ("organization admin", holding(MembershipScope::Organization, org, Role::Admin), [false, true, false, true]),
            ("organization member", holding(MembershipScope::Organization, org, Role::Member), [false, false, false, true]),
            ("partner admin", staff(partner, "UG", Role::Admin), [true, false, true, true]),
            ("partner validator", staff(partner, "UG", Role::Validator), [false, false, true, true]),
            ("partner program manager", staff(partner, "UG", Role::ProgramManager), [false, false, false, true]),
            ("validator of the partner elsewhere", staff(partner, "KE", Role::Validator), [false, false, false, false]),
            ("validator of another partner in UG", staff(other_partner, "UG", Role::Validator), [false, false, false, true]),
            ("validator who is a member", member_validator, [false, false, false, true]),
            ("account without a role", user(vec![], vec![]), [false, false, false, false]),
            ("unverified owner", unverified(holding(MembershipScope::Organization, org, Role::Owner)), [false, false, false, false]),
            ("anonymous", Caller::Anonymous, [false, false, false, false]),
            ("API key", api_key(&["validations:read"]), [false, false, false, false]),
        ];
        for (who, caller, [criteria, owns, reviews, reads]) in table {
            assert_eq!(policy.authorize_criteria(&caller, partner).is_ok(), criteria, "{who} sets criteria");
            assert_eq!(policy.authorize_case_owner(&caller, org).is_ok(), owns, "{who} owns the case");
            assert_eq!(policy.authorize_review(&caller, case).is_ok(), reviews, "{who} reviews");
            assert_eq!(policy.authorize_revoke(&caller, case).is_ok(), reviews, "{who} revokes");
            assert_eq!(policy.may_read_case(&caller, case), reads, "{who} reads");
        }
        for (who, caller, may) in [
            ("partner validator", staff(partner, "UG", Role::Validator), true),
            ("partner admin", staff(partner, "KE", Role::Admin), true),
            ("partner program manager", staff(partner, "UG", Role::ProgramManager), false),
            ("validator of another partner", staff(other_partner, "UG", Role::Validator), false),
            ("platform admin", platform_admin(), true),
            ("organization owner", holding(MembershipScope::Organization, org, Role::Owner), false),
            ("anonymous", Caller::Anonymous, false),
            ("API key", api_key(&["validations:read"]), false),
        ] {
            assert_eq!(policy.may_work_queue(&caller, partner).is_ok(), may, "{who} works the queue");
        }
        assert_eq!(policy.case_status_countries(&platform_admin()).ok(), Some(None), "admins filter everywhere");
        assert_eq!(policy.case_status_countries(&staff(partner, "UG", Role::ProgramManager)).ok(), Some(Some(vec!["UG".to_owned()])));
        assert!(policy.case_status_countries(&holding(MembershipScope::Organization, org, Role::Owner)).is_err());
        assert!(policy.case_status_countries(&Caller::Anonymous).is_err());
        for (who, caller, sees) in [
            ("organization owner", holding(MembershipScope::Organization, org, Role::Owner), true),
            ("organization admin", holding(MembershipScope::Organization, org, Role::Admin), true),
            ("organization member", holding(MembershipScope::Organization, org, Role::Member), false),
            ("partner validator", staff(partner, "UG", Role::Validator), true),
            ("partner admin", staff(partner, "UG", Role::Admin), true),
            ("partner program manager", staff(partner, "UG", Role::ProgramManager), false),
            ("validator of the partner elsewhere", staff(partner, "KE", Role::Validator), false),
            ("validator of another partner in UG", staff(other_partner, "UG", Role::Validator), false),
            ("platform admin", platform_admin(), true),
            ("unverified owner", unverified(holding(MembershipScope::Organization, org, Role::Owner)), false),
            ("anonymous", Caller::Anonymous, false),
            ("API key", api_key(&["validations:read"]), false),
        ] {
            assert_eq!(policy.may_see_evidence(&caller, case), sees, "{who} sees the evidence");
        }
        assert!(
            !policy.may_see_evidence(&staff(partner, "UG", Role::Validator), CaseFacts { partner: None, ..case }),
            "no partner sees a draft's documents"
        );
        // Before submission nobody but the unrestricted reviews.
        let unsubmitted = CaseFacts { partner: None, ..case };
        assert!(policy.authorize_review(&staff(partner, "UG", Role::Validator), unsubmitted).is_err());
    }
}

/// Donor roles that look up validations for their company (and redeem share tokens).
const DONOR_STAFF: [Role; 2] = [Role::Admin, Role::Integrator];

fn donor_roles(user: &UserCaller) -> Vec<Uuid> {
    let mut donors: Vec<Uuid> =
        user.grants.iter().filter(|g| g.scope == MembershipScope::Donor && DONOR_STAFF.contains(&g.role)).map(|g| g.scope_id).collect();
    donors.sort();
    donors.dedup();
    donors
}

impl Policy {
    /// Looking up validation statuses (`validationStatus`): API keys holding
    /// `validations:read` (of donors or partners), verified staff of a donor
    /// (admins, integrators), partner staff and platform admins. They see
    /// PUBLIC and NETWORK organizations, plus what [`Policy::organization_scope`]
    /// grants signed-in users (their own organizations, every organization of
    /// their partners' countries; everything for platform admins), plus the
    /// HIDDEN ones that shared themselves with their donor ([`LookupGrant::with_shared`]).
    pub fn authorize_validation_lookup(&self, caller: &Caller) -> Result<LookupGrant, ApiError> {
        let network = || OrgScope { visibilities: vec![Visibility::Public, Visibility::Network], ..OrgScope::default() };
        match caller {
            Caller::System => Ok(LookupGrant { scope: OrgScope::all(), donors: Vec::new() }),
            Caller::Anonymous => Err(sign_in()),
            Caller::ApiKey(k) if k.has(ApiScope::ValidationsRead) => {
                let donors = if k.owner_scope == MembershipScope::Donor { vec![k.owner_id] } else { Vec::new() };
                Ok(LookupGrant { scope: network(), donors })
            }
            Caller::ApiKey(_) => Err(forbidden("look up validations with a key without the validations:read scope")),
            Caller::User(u) if !u.email_verified => Err(ApiError::EmailNotVerified),
            Caller::User(u) => {
                let donors = donor_roles(u);
                if !(u.is_platform_admin || !donors.is_empty() || !u.partner_countries.is_empty()) {
                    return Err(forbidden("look up validations: they are for donors, partners and their integrations"));
                }
                let mut scope = self.organization_scope(caller);
                scope.visibilities = network().visibilities;
                Ok(LookupGrant { scope, donors })
            }
        }
    }

    /// Who checked an organization's validation (`organization.validationLookups`)
    /// and its share tokens: its owners and admins, and platform admins.
    pub fn may_see_validation_sharing(&self, caller: &Caller, organization: Uuid) -> bool {
        match caller {
            Caller::System => true,
            Caller::Anonymous | Caller::ApiKey(_) => false,
            Caller::User(u) if !u.email_verified => false,
            Caller::User(u) => u.is_platform_admin || matches!(u.organization_role(organization), Some(Role::Owner | Role::Admin)),
        }
    }

    /// Issuing and revoking an organization's share tokens: its owners and
    /// admins, and platform admins (never with an API key).
    pub fn authorize_share_token(&self, caller: &Caller, organization: Uuid) -> Result<(), ApiError> {
        match writer(caller, "share an organization's validation")? {
            Writer::Unrestricted => Ok(()),
            Writer::User(u) if matches!(u.organization_role(organization), Some(Role::Owner | Role::Admin)) => Ok(()),
            Writer::User(_) => Err(forbidden("share this organization's validation: ask one of its owners or admins")),
        }
    }

    /// Redeeming a share token: for one donor, by its admins and integrators
    /// or by its API keys holding `validations:read`. Answers the donor.
    pub fn authorize_redeem_share_token(&self, caller: &Caller) -> Result<Uuid, ApiError> {
        match caller {
            Caller::Anonymous => Err(sign_in()),
            Caller::ApiKey(k) if k.owner_scope == MembershipScope::Donor && k.has(ApiScope::ValidationsRead) => Ok(k.owner_id),
            Caller::ApiKey(_) => Err(forbidden("redeem a share token with a key other than a donor's with validations:read")),
            Caller::User(u) if !u.email_verified => Err(ApiError::EmailNotVerified),
            Caller::System => Err(forbidden("redeem a share token without a donor")),
            Caller::User(u) => match donor_roles(u).as_slice() {
                [donor] => Ok(*donor),
                [] => Err(forbidden("redeem a share token: only a donor's admins and integrators may")),
                _ => Err(ApiError::BadUserInput(
                    "you work for several donors: redeem the token with an API key of the donor it is for".to_owned(),
                )),
            },
        }
    }
}

#[cfg(test)]
mod lookup_tests {
    use super::super::testing::{api_key, holding, outcome, platform_admin, unverified, user};
    use super::*;
    use crate::auth::{ApiKeyCaller, caller::Grant};

    fn donor_key(donor: Uuid, scopes: &[&str]) -> Caller {
        match api_key(scopes) {
            Caller::ApiKey(k) => Caller::ApiKey(ApiKeyCaller { owner_scope: MembershipScope::Donor, owner_id: donor, ..k }),
            other => other,
        }
    }

    #[test]
    fn who_looks_up_validations_sees_what_and_shares() {
        let policy = Policy;
        let (org, donor, partner) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        let staff = user(
            vec![Grant { scope: MembershipScope::Partner, scope_id: partner, role: Role::ProgramManager }],
            vec![("UG".to_owned(), partner, Role::ProgramManager)],
        );
        // (caller, lookup outcome, sees a HIDDEN organization of UG, its donor, sees lookups, shares, redeems)
        type Row = (&'static str, Caller, &'static str, bool, Option<Uuid>, bool, &'static str, &'static str);
        let table: Vec<Row> = vec![
            ("donor key", donor_key(donor, &["validations:read"]), "ok", false, Some(donor), false, "FORBIDDEN", "ok"),
            (
                "donor key without the scope",
                donor_key(donor, &["organizations:read"]),
                "FORBIDDEN",
                false,
                None,
                false,
                "FORBIDDEN",
                "FORBIDDEN",
            ),
            ("partner key", api_key(&["validations:read"]), "ok", false, None, false, "FORBIDDEN", "FORBIDDEN"),
            ("donor admin", holding(MembershipScope::Donor, donor, Role::Admin), "ok", false, Some(donor), false, "FORBIDDEN", "ok"),
            (
                "donor integrator",
                holding(MembershipScope::Donor, donor, Role::Integrator),
                "ok",
                false,
                Some(donor),
                false,
                "FORBIDDEN",
                "ok",
            ),
            ("UG partner staff", staff, "ok", true, None, false, "FORBIDDEN", "FORBIDDEN"),
            ("platform admin", platform_admin(), "ok", true, None, true, "ok", "FORBIDDEN"),
            (
                "organization owner",
                holding(MembershipScope::Organization, org, Role::Owner),
                "FORBIDDEN",
                false,
                None,
                true,
                "ok",
                "FORBIDDEN",
            ),
            (
                "organization admin",
                holding(MembershipScope::Organization, org, Role::Admin),
                "FORBIDDEN",
                false,
                None,
                true,
                "ok",
                "FORBIDDEN",
            ),
            (
                "organization member",
                holding(MembershipScope::Organization, org, Role::Member),
                "FORBIDDEN",
                false,
                None,
                false,
                "FORBIDDEN",
                "FORBIDDEN",
            ),
            ("account without a role", user(vec![], vec![]), "FORBIDDEN", false, None, false, "FORBIDDEN", "FORBIDDEN"),
            (
                "unverified donor admin",
                unverified(holding(MembershipScope::Donor, donor, Role::Admin)),
                "EMAIL_NOT_VERIFIED",
                false,
                None,
                false,
                "EMAIL_NOT_VERIFIED",
                "EMAIL_NOT_VERIFIED",
            ),
            ("anonymous", Caller::Anonymous, "UNAUTHENTICATED", false, None, false, "UNAUTHENTICATED", "UNAUTHENTICATED"),
        ];
        for (who, caller, lookup, hidden, donor_of, sees_lookups, shares, redeems) in table {
            let grant = policy.authorize_validation_lookup(&caller);
            let code = match &grant {
                Ok(_) => "ok",
                Err(e) => e.code().as_str(),
            };
            assert_eq!(code, lookup, "{who} looks up");
            if let Ok(grant) = &grant {
                assert!(grant.scope.contains(Uuid::now_v7(), "KE", Visibility::Network), "{who} sees NETWORK");
                assert_eq!(grant.scope.contains(org, "UG", Visibility::Hidden), hidden, "{who} sees HIDDEN");
                assert!(grant.with_shared(vec![org]).contains(org, "UG", Visibility::Hidden), "{who} sees what was shared");
                assert_eq!(grant.donors.first().copied(), donor_of, "{who} looks up for");
            }
            assert_eq!(policy.may_see_validation_sharing(&caller, org), sees_lookups, "{who} sees lookups");
            assert_eq!(outcome(policy.authorize_share_token(&caller, org)), shares, "{who} shares");
            assert_eq!(outcome(policy.authorize_redeem_share_token(&caller).map(|_| ())), redeems, "{who} redeems");
        }
    }
}
