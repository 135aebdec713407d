//! The scopes an API key can hold: typed inside the service, named on the wire
//! (`organizations:read`, ...) exactly as integrations send and store them.

use std::fmt;

/// One permission of an API key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ApiScope {
    /// Read PUBLIC and NETWORK organizations (never HIDDEN ones).
    OrganizationsRead,
    /// Read network partners.
    PartnersRead,
    /// Read validations (vetting) of organizations.
    ValidationsRead,
    /// Read the programs (donation offers) of the key's donor.
    ProgramsRead,
    /// Manage the programs of the key's donor.
    ProgramsWrite,
    /// Read donation requests to the key's programs.
    RequestsRead,
    /// Decide donation requests to the key's programs.
    RequestsWrite,
    /// Manage the webhook endpoints of the key's partner or donor.
    WebhooksWrite,
}

impl ApiScope {
    /// Every scope, in the order the API lists them.
    pub const ALL: [Self; 8] = [
        Self::OrganizationsRead,
        Self::PartnersRead,
        Self::ValidationsRead,
        Self::ProgramsRead,
        Self::ProgramsWrite,
        Self::RequestsRead,
        Self::RequestsWrite,
        Self::WebhooksWrite,
    ];

    /// The wire name, e.g. `organizations:read`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OrganizationsRead => "organizations:read",
            Self::PartnersRead => "partners:read",
            Self::ValidationsRead => "validations:read",
            Self::ProgramsRead => "programs:read",
            Self::ProgramsWrite => "programs:write",
            Self::RequestsRead => "requests:read",
            Self::RequestsWrite => "requests:write",
            Self::WebhooksWrite => "webhooks:write",
        }
    }

    /// The scope with this wire name, if any.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// The wire names, comma-separated (for messages).
    pub fn names() -> String {
        Self::ALL.map(Self::as_str).join(", ")
    }
}

impl fmt::Display for ApiScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_round_trip_and_unknown_names_are_none() {
        for scope in ApiScope::ALL {
            assert_eq!(ApiScope::parse(scope.as_str()), Some(scope));
        }
        assert_eq!(ApiScope::parse("organizations:write"), None);
        assert_eq!(ApiScope::parse("Organizations:Read"), None, "names are exact");
        assert!(ApiScope::names().starts_with("organizations:read, partners:read"));
    }
}
