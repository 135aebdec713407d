//! Notifications (issue 13, item 4): each user's inbox, written in the
//! transaction of the event it stems from ([`service::write_for`], called by
//! `events::record`), so a notification exists exactly when its change
//! committed. Kinds: a validation decided (approved, rejected, information
//! requested, expired, revoked) or ending soon, a donation request approved
//! or fulfilled (the organization's owners and admins), a seat given from
//! the waitlist (its person), a session cancelled (its registered and
//! waitlisted people). Read with `notifications(unreadOnly, first, after)`,
//! marked with `markNotificationsRead`, pushed by `notificationAdded`.

pub mod mutation;
pub mod query;
pub mod service;
pub mod subscription;
pub mod types;
