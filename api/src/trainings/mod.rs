//! Trainings (issue 12, first slice): courses and events organized by
//! network partners, and their sessions.
//!
//! - Trainings: `createTraining`, `updateTraining`, `publishTraining`,
//!   `archiveTraining` ([`write`]); sessions: `scheduleTrainingSession`,
//!   `updateTrainingSession`, `cancelTrainingSession` ([`sessions`]). Each
//!   managed by the organizing partner's admins and program managers
//!   (`auth/policy/trainings.rs`), checked as a whole, recording its event
//!   in its transaction.
//! - Reads ([`service`]): `trainings(filter)` and `upcomingSessions`,
//!   keyset-paginated; relations through the loaders of [`loader`]. A DRAFT
//!   exists only for its managers; a session's online link is theirs alone.
//! - Calendars ([`calendar`], [`ical`], [`calendar_http`]): each session's
//!   public iCalendar feed, and each user's private feed at a secret URL
//!   (`createCalendarFeed`, `revokeCalendarFeed`, `myCalendarFeed`).
//! - Certificates as PDF ([`certificate_pdf`]).

pub mod calendar;
pub mod calendar_http;
pub mod calendar_mutation;
pub mod calendar_query;
pub mod calendar_types;
pub mod certificate_pdf;
pub mod ical;
pub mod loader;
pub mod mutation;
pub mod query;
pub mod service;
pub mod sessions;
pub mod types;
pub mod write;
