//! Rules of programs: who manages a donor's catalogue.

use entity::enums::{MembershipScope, Role};
use uuid::Uuid;

use super::{Policy, forbidden, role_in, sign_in};
use crate::{
    auth::{ApiScope, Caller},
    error::ApiError,
};

impl Policy {
    /// Creating and changing a donor's programs: its admins, API keys of that
    /// donor holding `programs:write`, and platform admins.
    pub fn authorize_program_write(&self, caller: &Caller, donor: Uuid) -> Result<(), ApiError> {
        match caller {
            Caller::System => Ok(()),
            Caller::Anonymous => Err(sign_in()),
            Caller::ApiKey(key)
                if key.owner_scope == MembershipScope::Donor && key.owner_id == donor && key.has(ApiScope::ProgramsWrite) =>
            {
                Ok(())
            }
            Caller::ApiKey(_) => {
                Err(forbidden("manage this donor's programs with this key: it needs programs:write and to belong to the donor"))
            }
            Caller::User(u) if !u.email_verified => Err(ApiError::EmailNotVerified),
            Caller::User(u) if u.is_platform_admin || role_in(u, MembershipScope::Donor, donor) == Some(Role::Admin) => Ok(()),
            Caller::User(_) => Err(forbidden("manage this donor's programs: ask one of its admins")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{api_key, holding, platform_admin, unverified};
    use super::*;

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
