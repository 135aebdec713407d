//! Rules of donors: who changes a donor's profile.

use entity::enums::{MembershipScope, Role};
use uuid::Uuid;

use super::{Policy, Writer, forbidden, role_in, writer};
use crate::{auth::Caller, error::ApiError};

impl Policy {
    /// Changing a donor's profile (name, description, logo, countries): its
    /// admins and platform admins.
    pub fn authorize_donor_update(&self, caller: &Caller, donor: Uuid) -> Result<(), ApiError> {
        match writer(caller, "change a donor")? {
            Writer::Unrestricted => Ok(()),
            Writer::User(u) if role_in(u, MembershipScope::Donor, donor) == Some(Role::Admin) => Ok(()),
            Writer::User(_) => Err(forbidden("change this donor: ask one of its admins")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{api_key, holding, platform_admin};
    use super::*;

    #[test]
    fn donor_admins_and_platform_admins_change_a_donor() {
        let (donor, other) = (Uuid::now_v7(), Uuid::now_v7());
        for (who, caller, may) in [
            ("donor admin", holding(MembershipScope::Donor, donor, Role::Admin), true),
            ("donor integrator", holding(MembershipScope::Donor, donor, Role::Integrator), false),
            ("admin of another donor", holding(MembershipScope::Donor, other, Role::Admin), false),
            ("platform admin", platform_admin(), true),
            ("API key", api_key(&["programs:write"]), false),
            ("anonymous", Caller::Anonymous, false),
        ] {
            assert_eq!(Policy.authorize_donor_update(&caller, donor).is_ok(), may, "{who}");
        }
    }
}
