//! Rules of the needs map: who reads and sets an organization's challenges,
//! who reads a country's map, and which of its cells are suppressed.
//!
//! An organization's challenges say what it lacks, which for a group working
//! where civic space is shrinking is sensitive: its members, the staff of the
//! partners serving its country and platform admins read them; its owners
//! and admins set them. The map of a country is for the staff of the
//! partners serving it (they decide what to teach there) and platform
//! admins; a cell of fewer than [`MIN_CELL_ORGANIZATIONS`] organizations is
//! never shown, whoever asks, so no organization can be singled out by it.

use entity::enums::Role;
use uuid::Uuid;

use super::{Policy, Writer, forbidden, writer};
use crate::{auth::Caller, error::ApiError};

/// The fewest organizations a cell of the needs map must count to be shown.
pub const MIN_CELL_ORGANIZATIONS: i64 = 3;

impl Policy {
    /// An organization's challenges: its members, staff of the partners
    /// serving its country, platform admins.
    pub fn may_read_challenges(&self, caller: &Caller, organization: Uuid, country: &str) -> bool {
        match caller {
            Caller::System => true,
            Caller::Anonymous | Caller::ApiKey(_) => false,
            Caller::User(u) if !u.email_verified => false,
            Caller::User(u) => {
                u.is_platform_admin
                    || u.organization_role(organization).is_some()
                    || u.partner_countries.iter().any(|(c, _, _)| c == country)
            }
        }
    }

    /// Setting an organization's challenges: its owners and admins, and
    /// platform admins. Decided on the id alone, before the organization is
    /// read, so a refusal says nothing of whether it exists.
    pub fn authorize_challenges(&self, caller: &Caller, organization: Uuid) -> Result<(), ApiError> {
        match writer(caller, "set an organization's challenges")? {
            Writer::Unrestricted => Ok(()),
            Writer::User(u) if matches!(u.organization_role(organization), Some(Role::Owner | Role::Admin)) => Ok(()),
            Writer::User(_) => Err(forbidden("set this organization's challenges: ask one of its owners or admins")),
        }
    }

    /// The needs map of `country`: staff (any role) of the partners serving
    /// it, and platform admins.
    pub fn authorize_needs_map(&self, caller: &Caller, country: &str) -> Result<(), ApiError> {
        match writer(caller, "read the needs map")? {
            Writer::Unrestricted => Ok(()),
            Writer::User(u) if u.partner_countries.iter().any(|(c, _, _)| c == country) => Ok(()),
            Writer::User(_) => Err(forbidden("read this country's needs map: only the staff of the partners serving it may")),
        }
    }

    /// Which cells of a needs map to leave out, given each cell's number of
    /// organizations: those of fewer than [`MIN_CELL_ORGANIZATIONS`]. The
    /// map shows cells only (no totals per row or column), so a suppressed
    /// cell cannot be worked out from the others.
    pub fn suppressed_cells(&self, organizations: &[i64]) -> Vec<bool> {
        organizations.iter().map(|n| *n < MIN_CELL_ORGANIZATIONS).collect()
    }
}

#[cfg(test)]
mod tests {
    use entity::enums::MembershipScope;

    use super::*;
    use crate::auth::policy::testing::{api_key, holding, platform_admin, unverified, user};

    #[test]
    fn who_reads_and_sets_challenges_and_reads_the_map() {
        let org = Uuid::now_v7();
        let partner = Uuid::now_v7();
        let table: [(&str, Caller, bool, bool, bool); 9] = [
            // (who, caller, reads challenges, sets them, reads KE's map)
            ("owner", holding(MembershipScope::Organization, org, Role::Owner), true, true, false),
            ("admin", holding(MembershipScope::Organization, org, Role::Admin), true, true, false),
            ("member", holding(MembershipScope::Organization, org, Role::Member), true, false, false),
            ("owner of another", holding(MembershipScope::Organization, Uuid::now_v7(), Role::Owner), false, false, false),
            ("partner staff serving KE", user(vec![], vec![("KE".to_owned(), partner, Role::ProgramManager)]), true, false, true),
            ("partner staff elsewhere", user(vec![], vec![("UG".to_owned(), partner, Role::Validator)]), false, false, false),
            ("unverified owner", unverified(holding(MembershipScope::Organization, org, Role::Owner)), false, false, false),
            ("platform admin", platform_admin(), true, true, true),
            ("api key", api_key(&["organizations:read"]), false, false, false),
        ];
        for (who, caller, reads, sets, map) in &table {
            assert_eq!(Policy.may_read_challenges(caller, org, "KE"), *reads, "{who} reads");
            assert_eq!(Policy.authorize_challenges(caller, org).is_ok(), *sets, "{who} sets");
            assert_eq!(Policy.authorize_needs_map(caller, "KE").is_ok(), *map, "{who} map");
        }
        assert!(!Policy.may_read_challenges(&Caller::Anonymous, org, "KE"));
        assert!(Policy.authorize_needs_map(&Caller::Anonymous, "KE").is_err());
    }

    #[test]
    fn cells_of_fewer_than_three_organizations_are_suppressed() {
        assert_eq!(Policy.suppressed_cells(&[1, 2, 3, 7]), vec![true, true, false, false]);
    }
}
