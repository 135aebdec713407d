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

pub mod certificate_pdf;
pub mod ical;
pub mod loader;
pub mod mutation;
pub mod query;
pub mod service;
pub mod sessions;
pub mod types;
pub mod write;
