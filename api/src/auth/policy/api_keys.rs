//! Rules of API keys.

use entity::enums::{MembershipScope, Role};
use uuid::Uuid;

use super::{Policy, Writer, forbidden, role_in, writer};
use crate::{auth::Caller, error::ApiError};

impl Policy {
    /// Creating, listing and revoking the API keys of a partner or donor: its
    /// admins and platform admins.
    pub fn authorize_api_key_admin(&self, caller: &Caller, scope: MembershipScope, owner_id: Uuid) -> Result<(), ApiError> {
        match writer(caller, "manage API keys")? {
            Writer::Unrestricted => Ok(()),
            Writer::User(u) if role_in(u, scope, owner_id) == Some(Role::Admin) => Ok(()),
            Writer::User(_) => Err(forbidden("manage this owner's API keys")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{api_key, holding, outcome, platform_admin, unverified};
    use super::*;

    #[test]
    fn an_owners_admins_and_platform_admins_manage_its_api_keys() {
        let policy = Policy;
        let donor = Uuid::now_v7();
        for (who, caller, want) in [
            ("platform admin", platform_admin(), "ok"),
            ("donor admin", holding(MembershipScope::Donor, donor, Role::Admin), "ok"),
            ("donor integrator", holding(MembershipScope::Donor, donor, Role::Integrator), "FORBIDDEN"),
            ("admin of another donor", holding(MembershipScope::Donor, Uuid::now_v7(), Role::Admin), "FORBIDDEN"),
            ("admin of a partner with the same id", holding(MembershipScope::Partner, donor, Role::Admin), "FORBIDDEN"),
            ("unverified donor admin", unverified(holding(MembershipScope::Donor, donor, Role::Admin)), "EMAIL_NOT_VERIFIED"),
            ("API key", api_key(&["programs:write"]), "FORBIDDEN"),
            ("anonymous", Caller::Anonymous, "UNAUTHENTICATED"),
        ] {
            assert_eq!(outcome(policy.authorize_api_key_admin(&caller, MembershipScope::Donor, donor)), want, "{who}");
        }
    }
}
