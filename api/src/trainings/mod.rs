//! Trainings (issue 12): courses and events organized by network
//! partners, their sessions, registrations, attendance, certificates,
//! feedback and the partners' figures.
//!
//! - Trainings: `createTraining`, `updateTraining`, `publishTraining`,
//!   `archiveTraining` ([`write`]); sessions: `scheduleTrainingSession`,
//!   `updateTrainingSession`, `cancelTrainingSession` ([`sessions`]). Each
//!   managed by the organizing partner's admins and program managers
//!   (`auth/policy/trainings.rs`), checked as a whole, recording its event
//!   in its transaction.
//! - Reads ([`service`]): `trainings(filter)` and `upcomingSessions`,
//!   keyset-paginated; relations through the loaders of [`loader`]. A DRAFT
//!   exists only for its managers; a session's online link is theirs and
//!   its REGISTERED participants'.
//! - Registrations (second slice): `registerForTrainingSession` (a seat
//!   while any remain, else the waitlist, in the strict order the session
//!   accepted them; capacity held under concurrency by a conditional update
//!   of the session's seat counter) and `cancelTrainingRegistration` (the
//!   seat goes to the first waitlisted at once) in [`registrations`];
//!   `markTrainingAttendance` in bulk, issuing certificates with a public
//!   verification code, in [`attendance`]; cancelling a session e-mails its
//!   people through a job ([`notify`]). Reads in [`registration_service`]:
//!   `TrainingSession.registrations` (managers), `seatsLeft`,
//!   `viewerRegistration`, `viewer { trainingRegistrations certificates }`
//!   and the public `certificate(code:)`, which answers four facts only.
//! - Calendars ([`calendar`], [`ical`], [`calendar_http`]): each session's
//!   public iCalendar feed, and each user's private feed at a secret URL
//!   (`createCalendarFeed`, `revokeCalendarFeed`, `myCalendarFeed`).
//! - Certificates as PDF ([`certificate_pdf`]), at
//!   `GET /certificates/{code}.pdf` ([`certificate_http`]).
//! - Feedback ([`feedback`], [`feedback_types`]): `giveTrainingFeedback`,
//!   once per ATTENDED registration (a unique index settles two at once);
//!   `TrainingSession.feedback` (count, average, ratings, comments) for the
//!   training's managers, never naming who said what, through one grouped
//!   statement per page of sessions; `TrainingRegistration.feedback` for its
//!   person alone.
//! - Partner figures ([`figures`], [`figures_types`]): `trainingFigures`,
//!   participants, organizations reached, attendance rate and average
//!   rating grouped by training, partner, country and month in one SQL
//!   GROUP BY on either backend, for platform admins and each partner's
//!   own staff.
//! - Sessions that have ended become COMPLETED through a job every 15
//!   minutes ([`completion`]).

pub mod attendance;
pub mod bench_seed;
pub mod calendar;
pub mod calendar_http;
pub mod calendar_mutation;
pub mod calendar_query;
pub mod calendar_types;
pub mod certificate_http;
pub mod certificate_pdf;
pub mod completion;
pub mod feedback;
pub mod feedback_types;
pub mod figures;
pub mod figures_types;
pub mod ical;
pub mod loader;
pub mod matching;
pub mod mutation;
pub mod notify;
pub mod query;
pub mod registration_mutation;
pub mod registration_service;
pub mod registration_types;
pub mod registrations;
pub mod seed;
pub mod service;
pub mod sessions;
pub mod subscription;
pub mod types;
pub mod write;
