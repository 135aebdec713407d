//! Rules of aggregate reports (impact reports): which groups a caller sees.
//!
//! A report counts organizations, some of which the caller may not see
//! (HIDDEN ones outside their reach; NETWORK ones for callers outside the
//! network). A group of fewer than [`MIN_GROUP_ORGANIZATIONS`] organizations
//! that includes such an organization is suppressed (primary suppression):
//! its figures could single it out. So that the suppressed figures cannot be
//! recovered by subtracting the groups shown from the report's total (which
//! the same report grouped by nothing answers), a report that suppresses
//! anything suppresses at least two groups holding together at least
//! [`MIN_GROUP_ORGANIZATIONS`] organizations, adding the smallest groups
//! shown (secondary suppression). Combining reports of other groupings or
//! periods can still narrow figures down; the threshold keeps what they
//! narrow to a crowd rather than one organization.

use super::Policy;

/// The fewest organizations a group may count and still be shown when it
/// includes one the caller may not see.
pub const MIN_GROUP_ORGANIZATIONS: i64 = 5;

/// What the suppression rule needs to know of one group of a report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GroupFacts {
    /// Distinct organizations counted in the group.
    pub organizations: i64,
    /// Of which the caller may not see.
    pub unseen: i64,
}

impl Policy {
    /// For each group of a report, in order: whether it is suppressed for
    /// the caller whose unseen organizations were counted.
    pub fn suppressed_groups(&self, groups: &[GroupFacts]) -> Vec<bool> {
        let mut suppressed: Vec<bool> = groups.iter().map(|g| g.unseen > 0 && g.organizations < MIN_GROUP_ORGANIZATIONS).collect();
        if !suppressed.contains(&true) {
            return suppressed;
        }
        // The groups shown, smallest first (ties: the later group first, so
        // the report's first groups stay when they can).
        let mut shown: Vec<usize> = (0..groups.len()).filter(|&i| !suppressed[i]).collect();
        shown.sort_by_key(|&i| (groups[i].organizations, std::cmp::Reverse(i)));
        let mut shown = shown.into_iter();
        loop {
            let count = suppressed.iter().filter(|s| **s).count();
            let organizations: i64 = groups.iter().zip(&suppressed).filter(|(_, s)| **s).map(|(g, _)| g.organizations).sum();
            if count >= 2 && organizations >= MIN_GROUP_ORGANIZATIONS {
                break;
            }
            match shown.next() {
                Some(i) => suppressed[i] = true,
                None => break,
            }
        }
        suppressed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(organizations: i64, unseen: i64) -> GroupFacts {
        GroupFacts { organizations, unseen }
    }

    #[test]
    fn small_groups_with_an_unseen_organization_are_suppressed_with_enough_others_to_hide_them() {
        let table: Vec<(&str, Vec<GroupFacts>, Vec<bool>)> = vec![
            ("nothing unseen", vec![g(1, 0), g(2, 0), g(9, 0)], vec![false, false, false]),
            ("unseen in a large group", vec![g(5, 1), g(1, 0)], vec![false, false]),
            // The 1-organization group holds a hidden one; alone it would be
            // the total minus the rest, so the smallest other group goes too,
            // then the next until 5 organizations are covered.
            ("one small group", vec![g(1, 1), g(2, 0), g(3, 0), g(40, 0)], vec![true, true, true, false]),
            ("two small groups", vec![g(4, 1), g(1, 1), g(30, 0)], vec![true, true, false]),
            ("ties take the later group", vec![g(6, 0), g(4, 1), g(6, 0)], vec![false, true, true]),
            ("all suppressed when too few", vec![g(1, 1), g(1, 0)], vec![true, true]),
            ("a single group", vec![g(3, 2)], vec![true]),
            ("empty", vec![], vec![]),
        ];
        for (case, groups, expected) in table {
            assert_eq!(Policy.suppressed_groups(&groups), expected, "{case}");
        }
    }
}
