//! Mutation and query roots of registrations: register, cancel, mark
//! attendance in bulk; verify a certificate.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};

use super::{
    attendance::{self, MAX_MARKS},
    registration_types::{self, TrainingAttendance, TrainingCertificate, TrainingRegistration},
    registrations::{self, RegistrationInput},
    types::TrainingSession,
};
use crate::{
    auth::ReadableOrganizations,
    events::published,
    graphql::{
        context::{bus, clock, db, request},
        relay::decode_uuid,
        user_error::{UserError, outcome, payload},
    },
    organizations::types::Organization,
    user_errors::{FieldError, UserErrorCode, WriteError},
};

/// Input of `registerForTrainingSession`.
#[derive(InputObject)]
pub struct RegisterForTrainingSessionInput {
    /// The session (SCHEDULED, of a PUBLISHED training, before its registration deadline).
    pub session: ID,
    /// The organization you register on behalf of (you are a member of it, else NOT_A_MEMBER).
    pub organization: Option<ID>,
}

/// Input of `cancelTrainingRegistration`.
#[derive(InputObject)]
pub struct CancelTrainingRegistrationInput {
    /// The registration (REGISTERED or WAITLISTED, its session not started).
    pub registration: ID,
    /// The `version` you read; when given and stale, STALE_VERSION and nothing changes.
    pub expected_version: Option<i32>,
}

/// One mark of `markTrainingAttendance`.
#[derive(InputObject)]
pub struct TrainingAttendanceMarkInput {
    /// A REGISTERED registration of the session.
    pub registration: ID,
    /// Attended (issues the certificate once) or no-show.
    pub attendance: TrainingAttendance,
}

/// Input of `markTrainingAttendance`.
#[derive(InputObject)]
pub struct MarkTrainingAttendanceInput {
    /// The session (started, not cancelled).
    pub session: ID,
    /// Up to 100 marks, each taken on its own.
    pub marks: Vec<TrainingAttendanceMarkInput>,
}

/// The outcome of one mark.
#[derive(SimpleObject)]
pub struct TrainingAttendanceResult {
    /// The registration as given.
    pub registration_id: ID,
    /// The registration after the mark; null when it was refused.
    pub registration: Option<TrainingRegistration>,
    /// Why this one was refused (user errors, their field inside `input.marks`); empty when taken.
    pub user_errors: Vec<UserError>,
    /// A refusal that is not the caller's to fix (INVALID_ID, CONFLICT), by its code.
    pub error_code: Option<String>,
}

/// Result of `markTrainingAttendance`: one result per mark, in order.
#[derive(SimpleObject)]
pub struct MarkTrainingAttendancePayload {
    /// The results, in the order of the marks.
    pub results: Vec<TrainingAttendanceResult>,
    /// How many were taken.
    pub marked: i32,
    /// Problems with the whole input (too many marks, the session unknown,
    /// cancelled or not started); nothing was marked then.
    pub user_errors: Vec<UserError>,
}

payload! {
    /// Result of `registerForTrainingSession`.
    RegisterForTrainingSessionPayload { registration: TrainingRegistration, "Your registration (REGISTERED or WAITLISTED)" }
    /// Result of `cancelTrainingRegistration`.
    CancelTrainingRegistrationPayload { registration: TrainingRegistration, "The cancelled registration" }
}

/// A mark's user error, its field inside `input.marks[at]`.
fn within_mark(mut error: UserError, at: usize) -> UserError {
    let rest = match error.field.first().map(String::as_str) {
        Some("input") => error.field.split_off(1),
        _ => std::mem::take(&mut error.field),
    };
    error.field = ["input".to_owned(), "marks".to_owned(), at.to_string()].into_iter().chain(rest).collect();
    error
}

/// Mutations of registrations.
#[derive(Default)]
pub struct TrainingRegistrationMutation;

#[Object]
impl TrainingRegistrationMutation {
    /// Registers you (signed in, address confirmed) for a session: a seat
    /// while seats remain, else a place on the waitlist, served in order.
    /// Every user error at once (NOT_FOUND, TRAINING_NOT_OPEN,
    /// SESSION_NOT_OPEN, REGISTRATION_CLOSED, ALREADY_REGISTERED, and for the
    /// organization NOT_FOUND, ARCHIVED or NOT_A_MEMBER);
    /// nothing is written on any.
    async fn register_for_training_session(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The session, and the organization you register on behalf of.")] input: RegisterForTrainingSessionInput,
    ) -> Result<RegisterForTrainingSessionPayload> {
        let asked = RegistrationInput {
            session: decode_uuid(&input.session, TrainingSession::KIND)?,
            organization: input.organization.map(|o| decode_uuid(&o, Organization::KIND)).transpose()?,
        };
        let req = request(ctx)?;
        let scope = req.scope::<ReadableOrganizations>();
        let written = registrations::register(db(ctx)?, clock(ctx)?, &req.caller, &scope, asked).await;
        let (registration, user_errors) = outcome(published(bus(ctx)?, written).await, TrainingRegistration)?;
        Ok(RegisterForTrainingSessionPayload { registration, user_errors })
    }

    /// Cancels a registration before its session starts (its person, or the
    /// training's managers). A seat it held goes at once to the first
    /// person on the waitlist.
    async fn cancel_training_registration(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The registration and the version you read.")] input: CancelTrainingRegistrationInput,
    ) -> Result<CancelTrainingRegistrationPayload> {
        let id = decode_uuid(&input.registration, TrainingRegistration::KIND)?;
        let written = registrations::cancel(db(ctx)?, clock(ctx)?, &request(ctx)?.caller, id, input.expected_version).await;
        let (registration, user_errors) = outcome(published(bus(ctx)?, written).await, TrainingRegistration)?;
        Ok(CancelTrainingRegistrationPayload { registration, user_errors })
    }

    /// Marks the attendance of up to 100 REGISTERED people of a session that
    /// has started (the training's managers), each on its own: one refused
    /// does not stop the others. ATTENDED issues the person's certificate
    /// (once: marking again keeps its code).
    async fn mark_training_attendance(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The session and the marks.")] input: MarkTrainingAttendanceInput,
    ) -> Result<MarkTrainingAttendancePayload> {
        let refused = |errors: Vec<FieldError>| MarkTrainingAttendancePayload {
            results: Vec::new(),
            marked: 0,
            user_errors: errors.into_iter().map(UserError::from).collect(),
        };
        if input.marks.len() > MAX_MARKS {
            return Ok(refused(vec![FieldError {
                field: vec!["input".to_owned(), "marks".to_owned()],
                message: format!("at most {MAX_MARKS} marks at once"),
                code: UserErrorCode::TooMany,
            }]));
        }
        let (db, clock, caller) = (db(ctx)?, clock(ctx)?, &request(ctx)?.caller);
        let session = decode_uuid(&input.session, TrainingSession::KIND)?;
        let (session, training) = match attendance::session_for_marking(db, clock, caller, session).await {
            Ok(found) => found,
            Err(WriteError::Invalid(errors)) => return Ok(refused(errors)),
            Err(WriteError::Api(e)) => return Err(e.into()),
        };
        let mut results = Vec::with_capacity(input.marks.len());
        for (at, mark) in input.marks.into_iter().enumerate() {
            let given = mark.registration.clone();
            let Ok(id) = decode_uuid(&mark.registration, TrainingRegistration::KIND) else {
                results.push(TrainingAttendanceResult {
                    registration_id: given,
                    registration: None,
                    user_errors: Vec::new(),
                    error_code: Some("INVALID_ID".to_owned()),
                });
                continue;
            };
            let written = attendance::mark(db, clock, caller, (&session, &training), id, mark.attendance.into()).await;
            let result = match outcome(published(bus(ctx)?, written).await, TrainingRegistration) {
                Ok((registration, user_errors)) => TrainingAttendanceResult {
                    registration_id: given,
                    registration,
                    user_errors: user_errors.into_iter().map(|e| within_mark(e, at)).collect(),
                    error_code: None,
                },
                Err(e) => {
                    if e.is_server_fault() {
                        tracing::error!(error = %e, "a mark of a bulk attendance failed");
                    }
                    TrainingAttendanceResult {
                        registration_id: given,
                        registration: None,
                        user_errors: Vec::new(),
                        error_code: Some(e.code().as_str().to_owned()),
                    }
                }
            };
            results.push(result);
        }
        let marked = i32::try_from(results.iter().filter(|r| r.registration.is_some()).count()).unwrap_or(i32::MAX);
        Ok(MarkTrainingAttendancePayload { results, marked, user_errors: Vec::new() })
    }
}

/// Queries of registrations.
#[derive(Default)]
pub struct TrainingRegistrationQuery;

#[Object]
impl TrainingRegistrationQuery {
    /// Verifies a training certificate by its code (public): the person's
    /// name, the training, the session's date and the partner, nothing else.
    /// Null for a code that is unknown, malformed or no longer in force, all
    /// alike. Codes carry 128 random bits, so they cannot be guessed; a
    /// request holds at most 10 lookups (each costs 5,000 of the 50,000
    /// complexity allowed) and every request counts against the caller's
    /// rate limit.
    #[graphql(complexity = 5000)]
    async fn certificate(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The code printed on the certificate (case, spaces and hyphens do not matter).")] code: String,
    ) -> Result<Option<TrainingCertificate>> {
        registration_types::certificate(ctx, &code).await
    }
}
