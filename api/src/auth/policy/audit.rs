//! Rules of the audit log.

use super::{Policy, Writer, forbidden, writer};
use crate::{auth::Caller, error::ApiError};

impl Policy {
    /// Reading the audit log: platform admins only.
    pub fn authorize_audit_read(&self, caller: &Caller) -> Result<(), ApiError> {
        match writer(caller, "read the audit log")? {
            Writer::Unrestricted => Ok(()),
            Writer::User(_) => Err(forbidden("read the audit log")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{api_key, outcome, platform_admin, unverified, user};
    use super::*;

    #[test]
    fn only_platform_admins_read_the_audit_log() {
        let policy = Policy;
        for (who, caller, want) in [
            ("system", Caller::System, "ok"),
            ("platform admin", platform_admin(), "ok"),
            ("unverified platform admin", unverified(platform_admin()), "EMAIL_NOT_VERIFIED"),
            ("user", user(vec![], vec![]), "FORBIDDEN"),
            ("API key", api_key(&["organizations:read"]), "FORBIDDEN"),
            ("anonymous", Caller::Anonymous, "UNAUTHENTICATED"),
        ] {
            assert_eq!(outcome(policy.authorize_audit_read(&caller)), want, "{who}");
        }
    }
}
