//! The one state machine of donation requests:
//!
//! SUBMITTED → APPROVED (the donor, or at once for an automatic program) →
//! FULFILLED (with the details of the delivery); SUBMITTED or APPROVED →
//! REJECTED (the donor, with a reason) or CANCELLED (the organization, before
//! fulfilment). Approval reserves stock and cap; rejecting or cancelling an
//! approved request releases them.

use entity::enums::DonationRequestStatus as Status;

/// A step asked of a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequestStep {
    /// The donor approves (stock and cap reserved).
    Approve,
    /// The donor refuses.
    Reject,
    /// The donor delivered.
    Fulfil,
    /// The organization withdraws it.
    Cancel,
}

/// Every status, in the order the API lists them.
pub const STATUSES: [Status; 5] = [Status::Submitted, Status::Approved, Status::Fulfilled, Status::Rejected, Status::Cancelled];

/// The API's name of a status (`SUBMITTED`, ...).
pub fn status_name(status: Status) -> &'static str {
    match status {
        Status::Submitted => "SUBMITTED",
        Status::Approved => "APPROVED",
        Status::Fulfilled => "FULFILLED",
        Status::Rejected => "REJECTED",
        Status::Cancelled => "CANCELLED",
    }
}

/// A step the status does not allow; the message names the status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("a request that is {} cannot be {}", status_name(*from), step.past_tense())]
pub struct IllegalStep {
    /// The status.
    pub from: Status,
    /// The step.
    pub step: RequestStep,
}

impl RequestStep {
    /// `approved`, `rejected`, ...
    pub fn past_tense(self) -> &'static str {
        match self {
            Self::Approve => "approved",
            Self::Reject => "rejected",
            Self::Fulfil => "fulfilled",
            Self::Cancel => "cancelled",
        }
    }

    /// The status after the step, or why it is not allowed.
    pub fn apply(self, from: Status) -> Result<Status, IllegalStep> {
        match (self, from) {
            (Self::Approve, Status::Submitted) => Ok(Status::Approved),
            (Self::Reject, Status::Submitted | Status::Approved) => Ok(Status::Rejected),
            (Self::Fulfil, Status::Approved) => Ok(Status::Fulfilled),
            (Self::Cancel, Status::Submitted | Status::Approved) => Ok(Status::Cancelled),
            _ => Err(IllegalStep { from, step: self }),
        }
    }

    /// Whether taking the step from `from` gives back reserved units.
    pub fn releases(self, from: Status) -> bool {
        from == Status::Approved && matches!(self, Self::Reject | Self::Cancel)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_step_from_every_status() {
        use RequestStep::*;
        use Status::*;
        // (step, from, to or None when refused)
        let table = [
            (Approve, Submitted, Some(Approved)),
            (Approve, Approved, None),
            (Approve, Fulfilled, None),
            (Approve, Rejected, None),
            (Approve, Cancelled, None),
            (Reject, Submitted, Some(Rejected)),
            (Reject, Approved, Some(Rejected)),
            (Reject, Fulfilled, None),
            (Reject, Rejected, None),
            (Reject, Cancelled, None),
            (Fulfil, Submitted, None),
            (Fulfil, Approved, Some(Fulfilled)),
            (Fulfil, Fulfilled, None),
            (Fulfil, Rejected, None),
            (Fulfil, Cancelled, None),
            (Cancel, Submitted, Some(Cancelled)),
            (Cancel, Approved, Some(Cancelled)),
            (Cancel, Fulfilled, None),
            (Cancel, Rejected, None),
            (Cancel, Cancelled, None),
        ];
        for (step, from, to) in table {
            assert_eq!(step.apply(from).ok(), to, "{step:?} from {from:?}");
        }
        let refused = RequestStep::Fulfil.apply(Status::Submitted).expect_err("refused");
        assert_eq!(refused.to_string(), "a request that is SUBMITTED cannot be fulfilled");
        assert!(RequestStep::Cancel.releases(Status::Approved) && !RequestStep::Cancel.releases(Status::Submitted));
        assert!(RequestStep::Reject.releases(Status::Approved) && !RequestStep::Fulfil.releases(Status::Approved));
    }
}
