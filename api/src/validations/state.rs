//! The one state machine of a validation case. Every change of a case's status
//! goes through [`Step::apply`]; nothing else decides which moves are legal.
//!
//! ```text
//! DRAFT ──submit──▶ SUBMITTED ──start review──▶ IN_REVIEW ──approve──▶ APPROVED ──expire──▶ EXPIRED
//!                     ▲                           │  │                    └──revoke──▶ REVOKED
//!                     └──submit── NEEDS_INFORMATION ◀┘  └──reject──▶ REJECTED
//! ```
//!
//! With the partner's four-eyes rule, the first approval of a case in review
//! is recorded and the case stays IN_REVIEW; a second validator's approval
//! moves it to APPROVED.

use entity::enums::ValidationStatus as Status;

/// A move a case can make.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Step {
    /// The organization sends its case (first time, or with the information asked).
    Submit,
    /// A validator takes the case.
    StartReview,
    /// A validator approves it (the first of two under four eyes).
    Approve,
    /// A validator rejects it.
    Reject,
    /// A validator sends it back for more information.
    RequestInformation,
    /// Its validity ended (the expiry job).
    Expire,
    /// A partner or a platform admin withdraws an approval.
    Revoke,
}

/// Every step, for tables and tests.
pub const STEPS: [Step; 7] =
    [Step::Submit, Step::StartReview, Step::Approve, Step::Reject, Step::RequestInformation, Step::Expire, Step::Revoke];

/// Every status, for tables and tests.
pub const STATUSES: [Status; 8] = [
    Status::Draft,
    Status::Submitted,
    Status::InReview,
    Status::NeedsInformation,
    Status::Approved,
    Status::Rejected,
    Status::Expired,
    Status::Revoked,
];

/// A step the case's status does not allow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the case is {}, so it cannot be {} (only from {})", status_name(*.from), step.past_tense(), step.allowed_from_text())]
pub struct IllegalStep {
    /// The case's current status.
    pub from: Status,
    /// The step asked for.
    pub step: Step,
}

impl Step {
    /// The status the step leads to from `from`. `second_approval_needed`: the
    /// partner requires two approvals and this is the first.
    pub fn apply(self, from: Status, second_approval_needed: bool) -> Result<Status, IllegalStep> {
        let to = match (self, from) {
            (Self::Submit, Status::Draft | Status::NeedsInformation) => Status::Submitted,
            (Self::StartReview, Status::Submitted) => Status::InReview,
            (Self::Approve, Status::InReview) if second_approval_needed => Status::InReview,
            (Self::Approve, Status::InReview) => Status::Approved,
            (Self::Reject, Status::InReview) => Status::Rejected,
            (Self::RequestInformation, Status::InReview) => Status::NeedsInformation,
            (Self::Expire, Status::Approved) => Status::Expired,
            (Self::Revoke, Status::Approved) => Status::Revoked,
            _ => return Err(IllegalStep { from, step: self }),
        };
        Ok(to)
    }

    /// The statuses the step may start from.
    pub fn allowed_from(self) -> &'static [Status] {
        match self {
            Self::Submit => &[Status::Draft, Status::NeedsInformation],
            Self::StartReview => &[Status::Submitted],
            Self::Approve | Self::Reject | Self::RequestInformation => &[Status::InReview],
            Self::Expire | Self::Revoke => &[Status::Approved],
        }
    }

    fn allowed_from_text(self) -> String {
        let names: Vec<_> = self.allowed_from().iter().map(|s| status_name(*s)).collect();
        names.join(" or ")
    }

    /// How the step reads in messages ("... cannot be approved").
    pub fn past_tense(self) -> &'static str {
        match self {
            Self::Submit => "submitted",
            Self::StartReview => "taken into review",
            Self::Approve => "approved",
            Self::Reject => "rejected",
            Self::RequestInformation => "sent back for information",
            Self::Expire => "expired",
            Self::Revoke => "revoked",
        }
    }
}

/// A case is still in progress (the organization may have one at a time).
pub fn is_open(status: Status) -> bool {
    matches!(status, Status::Draft | Status::Submitted | Status::InReview | Status::NeedsInformation)
}

/// The status as the API writes it.
pub fn status_name(status: Status) -> &'static str {
    match status {
        Status::Draft => "DRAFT",
        Status::Submitted => "SUBMITTED",
        Status::InReview => "IN_REVIEW",
        Status::NeedsInformation => "NEEDS_INFORMATION",
        Status::Approved => "APPROVED",
        Status::Rejected => "REJECTED",
        Status::Expired => "EXPIRED",
        Status::Revoked => "REVOKED",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The whole machine, written out: (step, from, to) for every legal move.
    const LEGAL: &[(Step, Status, Status)] = &[
        (Step::Submit, Status::Draft, Status::Submitted),
        (Step::Submit, Status::NeedsInformation, Status::Submitted),
        (Step::StartReview, Status::Submitted, Status::InReview),
        (Step::Approve, Status::InReview, Status::Approved),
        (Step::Reject, Status::InReview, Status::Rejected),
        (Step::RequestInformation, Status::InReview, Status::NeedsInformation),
        (Step::Expire, Status::Approved, Status::Expired),
        (Step::Revoke, Status::Approved, Status::Revoked),
    ];

    #[test]
    fn every_pair_of_step_and_status_is_legal_exactly_as_the_table_says() {
        for step in STEPS {
            for from in STATUSES {
                let expected = LEGAL.iter().find(|(s, f, _)| *s == step && *f == from).map(|(_, _, to)| *to);
                match (step.apply(from, false), expected) {
                    (Ok(to), Some(want)) => assert_eq!(to, want, "{step:?} from {from:?}"),
                    (Err(e), None) => {
                        assert_eq!(e, IllegalStep { from, step });
                        assert!(!step.allowed_from().contains(&from), "{step:?} from {from:?}");
                        assert!(e.to_string().contains(status_name(from)), "{e}");
                    }
                    (got, want) => panic!("{step:?} from {from:?}: got {got:?}, the table says {want:?}"),
                }
            }
        }
    }

    #[test]
    fn four_eyes_keeps_the_first_approval_in_review() {
        assert_eq!(Step::Approve.apply(Status::InReview, true), Ok(Status::InReview));
        assert_eq!(Step::Approve.apply(Status::InReview, false), Ok(Status::Approved));
        assert!(Step::Approve.apply(Status::Submitted, true).is_err());
    }

    #[test]
    fn the_message_names_the_current_state_and_what_is_allowed() {
        let e = Step::Approve.apply(Status::Draft, false).expect_err("illegal");
        assert_eq!(e.to_string(), "the case is DRAFT, so it cannot be approved (only from IN_REVIEW)");
        assert!(is_open(Status::NeedsInformation) && !is_open(Status::Approved));
    }
}
