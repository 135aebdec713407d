//! Rules of the directory's reference areas: network partners and donor companies.

use entity::enums::{MembershipScope, Role};

use super::{Action, forbidden, role_in};
use crate::{auth::UserCaller, error::ApiError};

/// Partners are managed by platform admins; a partner's admin may edit its details.
pub(super) fn change_partner(user: &UserCaller, action: Action) -> Result<(), ApiError> {
    match action {
        Action::UpdatePartner(id) if role_in(user, MembershipScope::Partner, id) == Some(Role::Admin) => Ok(()),
        _ => Err(forbidden("change network partners")),
    }
}

/// Donor companies are added by platform admins.
pub(super) fn create_donor(_user: &UserCaller) -> Result<(), ApiError> {
    Err(forbidden("add donor companies"))
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::super::{
        Policy,
        testing::{api_key, holding, outcome, platform_admin, unverified, user},
    };
    use super::*;
    use crate::auth::Caller;

    #[test]
    fn partners_and_donors_are_changed_by_platform_admins_and_a_partner_by_its_admin() {
        let policy = Policy;
        let partner = Uuid::now_v7();
        let admin_of_it = holding(MembershipScope::Partner, partner, Role::Admin);
        let validator_of_it = holding(MembershipScope::Partner, partner, Role::Validator);
        let callers: [(&str, Caller); 7] = [
            ("system", Caller::System),
            ("platform admin", platform_admin()),
            ("partner admin", admin_of_it.clone()),
            ("partner validator", validator_of_it),
            ("plain user", user(vec![], vec![])),
            ("unverified partner admin", unverified(admin_of_it)),
            ("API key", api_key(&["partners:read"])),
        ];
        // Expected outcome per caller, in the order above, for each action.
        let table: [(Action, [&str; 7]); 4] = [
            (Action::CreatePartner, ["ok", "ok", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "EMAIL_NOT_VERIFIED", "FORBIDDEN"]),
            (Action::UpdatePartner(partner), ["ok", "ok", "ok", "FORBIDDEN", "FORBIDDEN", "EMAIL_NOT_VERIFIED", "FORBIDDEN"]),
            (Action::ArchivePartner(partner), ["ok", "ok", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "EMAIL_NOT_VERIFIED", "FORBIDDEN"]),
            (Action::CreateDonor, ["ok", "ok", "FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "EMAIL_NOT_VERIFIED", "FORBIDDEN"]),
        ];
        for (action, expected) in table {
            for ((who, caller), want) in callers.iter().zip(expected) {
                assert_eq!(outcome(policy.authorize(caller, action)), want, "{who} {action:?}");
            }
        }
        assert_eq!(outcome(policy.authorize(&Caller::Anonymous, Action::CreatePartner)), "UNAUTHENTICATED");
    }
}
