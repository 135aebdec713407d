//! Rules of memberships and invitations.

use entity::enums::{MembershipScope, Role};
use uuid::Uuid;

use super::{Policy, Writer, forbidden, role_in, writer};
use crate::{auth::Caller, error::ApiError};

impl Policy {
    /// Inviting someone to a role: platform admins anywhere; an organization's
    /// owners (any role) and admins (admin, member); a partner's or a donor's admins.
    pub fn authorize_invite(&self, caller: &Caller, scope: MembershipScope, scope_id: Uuid, role: Role) -> Result<(), ApiError> {
        let user = match writer(caller, "invite")? {
            Writer::Unrestricted => return Ok(()),
            Writer::User(u) => u,
        };
        let allowed = match (scope, role_in(user, scope, scope_id)) {
            (MembershipScope::Organization, Some(Role::Owner)) => true,
            (MembershipScope::Organization, Some(Role::Admin)) => matches!(role, Role::Admin | Role::Member),
            (MembershipScope::Partner | MembershipScope::Donor, Some(Role::Admin)) => true,
            _ => false,
        };
        if allowed { Ok(()) } else { Err(forbidden("invite to this role")) }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{api_key, holding, outcome, platform_admin, unverified, user};
    use super::*;

    #[test]
    fn owners_invite_to_any_role_admins_to_admin_or_member_and_nobody_else_invites() {
        let policy = Policy;
        let org = Uuid::now_v7();
        let owner = holding(MembershipScope::Organization, org, Role::Owner);
        let admin = holding(MembershipScope::Organization, org, Role::Admin);
        let member = holding(MembershipScope::Organization, org, Role::Member);
        let callers = [
            ("platform admin", platform_admin()),
            ("owner", owner.clone()),
            ("admin", admin),
            ("member", member),
            ("stranger", user(vec![], vec![])),
            ("unverified owner", unverified(owner)),
            ("API key", api_key(&["organizations:read"])),
        ];
        let table = [
            (Role::Owner, ["ok", "ok", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "EMAIL_NOT_VERIFIED", "FORBIDDEN"]),
            (Role::Admin, ["ok", "ok", "ok", "FORBIDDEN", "FORBIDDEN", "EMAIL_NOT_VERIFIED", "FORBIDDEN"]),
            (Role::Member, ["ok", "ok", "ok", "FORBIDDEN", "FORBIDDEN", "EMAIL_NOT_VERIFIED", "FORBIDDEN"]),
        ];
        for (role, expected) in table {
            for ((who, caller), want) in callers.iter().zip(expected) {
                assert_eq!(outcome(policy.authorize_invite(caller, MembershipScope::Organization, org, role)), want, "{who} -> {role:?}");
            }
        }
        let partner = Uuid::now_v7();
        let partner_admin = holding(MembershipScope::Partner, partner, Role::Admin);
        let validator = holding(MembershipScope::Partner, partner, Role::Validator);
        assert_eq!(outcome(policy.authorize_invite(&partner_admin, MembershipScope::Partner, partner, Role::Validator)), "ok");
        assert_eq!(outcome(policy.authorize_invite(&validator, MembershipScope::Partner, partner, Role::Validator)), "FORBIDDEN");
        assert_eq!(outcome(policy.authorize_invite(&Caller::Anonymous, MembershipScope::Partner, partner, Role::Admin)), "UNAUTHENTICATED");
    }

    #[test]
    fn only_a_verified_user_changes_their_own_standing() {
        let policy = Policy;
        assert!(policy.verified_user(&user(vec![], vec![])).is_ok());
        assert!(matches!(policy.verified_user(&unverified(user(vec![], vec![]))), Err(ApiError::EmailNotVerified)));
        assert!(matches!(policy.verified_user(&Caller::Anonymous), Err(ApiError::Unauthenticated(_))));
        assert!(matches!(policy.verified_user(&api_key(&[])), Err(ApiError::Forbidden(_))));
    }
}
