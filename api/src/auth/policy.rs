//! The one place that decides who may read and write what.
//!
//! Every mutation calls [`Policy::authorize`]; every path that reaches an
//! organization (lists, counts, `node(id:)`, relations) filters by
//! [`Policy::organization_scope`].

use entity::enums::Visibility;
use uuid::Uuid;

use super::Caller;
use crate::{config::AppEnv, error::ApiError};

/// A write someone wants to make.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Create a network partner.
    CreatePartner,
    /// Change a partner.
    UpdatePartner(Uuid),
    /// Archive a partner.
    ArchivePartner(Uuid),
    /// Create an organization.
    CreateOrganization,
    /// Change an organization.
    UpdateOrganization(Uuid),
    /// Archive an organization.
    ArchiveOrganization(Uuid),
}

/// Which organizations a caller may see.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrgReadScope {
    /// Visibilities seen everywhere.
    pub visibilities: Vec<Visibility>,
}

impl OrgReadScope {
    /// Everything (the service itself).
    pub fn all() -> Self {
        Self { visibilities: vec![Visibility::Public, Visibility::Network, Visibility::Hidden] }
    }

    /// True when an organization with this visibility is in scope.
    pub fn allows(&self, visibility: Visibility) -> bool {
        self.visibilities.contains(&visibility)
    }
}

/// The policy, configured for the deployment.
#[derive(Clone, Copy, Debug)]
pub struct Policy {
    env: AppEnv,
}

impl Policy {
    /// A policy for this deployment.
    pub fn new(env: AppEnv) -> Self {
        Self { env }
    }

    /// Allows or refuses a write.
    ///
    /// Until accounts exist, a development deployment trusts anonymous writers (so
    /// GraphiQL works out of the box) and a production deployment refuses them.
    pub fn authorize(&self, caller: &Caller, action: Action) -> Result<(), ApiError> {
        match caller {
            Caller::System => Ok(()),
            Caller::User(u) if u.is_platform_admin => Ok(()),
            // Until roles land, signed-in users write as anonymous callers do.
            Caller::User(_) if self.env == AppEnv::Development => Ok(()),
            Caller::User(_) => Err(ApiError::Forbidden("only platform administrators may do this".to_owned())),
            Caller::Anonymous if self.env == AppEnv::Development => {
                tracing::debug!(?action, "anonymous write allowed in development");
                Ok(())
            }
            Caller::Anonymous => Err(ApiError::Unauthenticated("sign in to do this".to_owned())),
        }
    }

    /// Which organizations `caller` may read.
    pub fn organization_scope(&self, caller: &Caller) -> OrgReadScope {
        match caller {
            Caller::System => OrgReadScope::all(),
            Caller::User(u) if u.is_platform_admin => OrgReadScope::all(),
            Caller::User(_) => OrgReadScope { visibilities: vec![Visibility::Public, Visibility::Network] },
            Caller::Anonymous => OrgReadScope { visibilities: vec![Visibility::Public] },
        }
    }

    /// Which organizations `caller` may change: the ones it may write to at all.
    /// An organization outside this scope answers NOT_FOUND, as if it did not exist.
    pub fn organization_write_scope(&self, caller: &Caller) -> OrgReadScope {
        match caller {
            Caller::Anonymous | Caller::User(_) if self.env == AppEnv::Development => OrgReadScope::all(),
            other => self.organization_scope(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anonymous_callers_see_public_organizations_only() {
        let scope = Policy::new(AppEnv::Production).organization_scope(&Caller::Anonymous);
        assert!(scope.allows(Visibility::Public));
        assert!(!scope.allows(Visibility::Network));
        assert!(!scope.allows(Visibility::Hidden));
    }

    #[test]
    fn production_refuses_anonymous_writes() {
        let err = Policy::new(AppEnv::Production).authorize(&Caller::Anonymous, Action::CreateOrganization);
        assert!(matches!(err, Err(ApiError::Unauthenticated(_))));
        assert!(Policy::new(AppEnv::Development).authorize(&Caller::Anonymous, Action::CreateOrganization).is_ok());
    }
}
