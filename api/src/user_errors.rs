//! Errors the caller can fix: a list of field errors that a mutation answers as
//! `userErrors`, changing nothing.

use crate::{domain::text, error::ApiError};

/// Stable codes of user errors.
#[derive(async_graphql::Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum UserErrorCode {
    /// A required value is missing or blank.
    Blank,
    /// A value is too long.
    TooLong,
    /// A value has the wrong format.
    Invalid,
    /// A number is outside the accepted range.
    OutOfRange,
    /// Too many items in a list.
    TooMany,
    /// The same item is given twice.
    Duplicate,
    /// Not an assigned ISO 3166-1 country code.
    UnknownCountry,
    /// Not an ISO 4217 currency code.
    UnknownCurrency,
    /// Not a focus area of the taxonomy.
    UnknownFocusArea,
    /// The value is already used by another record.
    Taken,
    /// The record changed since the caller read it (its `version` moved on).
    StaleVersion,
    /// The record does not exist or the caller may not see it.
    NotFound,
    /// The record is archived and can no longer change.
    Archived,
    /// The password breaks the password policy.
    WeakPassword,
    /// E-mail and password do not match an account (or the current password is wrong).
    InvalidCredentials,
    /// A one-time token is unknown, used or expired.
    InvalidToken,
    /// The last owner of an organization cannot leave it or stop being its owner.
    LastOwner,
    /// The record's status does not allow this step; the message names the status.
    InvalidTransition,
    /// No partner vets organizations in this country yet (no criteria there).
    NoReviewer,
    /// The partner requires a second validator's approval: another validator must approve.
    SecondApprovalRequired,
    /// Evidence the partner requires is not attached yet; the message names it.
    EvidenceMissing,
    /// The file is larger than accepted; the message gives the limit.
    FileTooLarge,
    /// The file's bytes are not of an accepted type (checked on the content, not the name).
    UnsupportedFileType,
    /// Amounts that must share a currency do not.
    CurrencyMismatch,
    /// The organization may not request this program now; the message starts
    /// with the eligibility reason's code (`NOT_VALIDATED: ...`).
    NotEligible,
    /// A program's stock may not go below the units already reserved by
    /// approved requests; the message gives how many are reserved.
    StockBelowReserved,
    /// An end is not after its start.
    EndsBeforeStart,
    /// A registration deadline falls after the start of what it registers for.
    DeadlineAfterStart,
    /// Not an IANA time zone name (e.g. `America/Sao_Paulo`).
    UnknownTimeZone,
    /// Not a topic of the training taxonomy.
    UnknownTopic,
    /// Registrations for the session closed at its registration deadline.
    RegistrationClosed,
    /// The person already holds a registration (REGISTERED or WAITLISTED)
    /// for this session.
    AlreadyRegistered,
    /// The session is CANCELLED or COMPLETED: it takes no registrations.
    SessionNotOpen,
    /// The session's training is a DRAFT or ARCHIVED: it takes no registrations.
    TrainingNotOpen,
    /// The caller is not a member of the organization named.
    NotAMember,
    /// A session's capacity may not go below the seats already taken; the
    /// message gives how many are taken.
    CapacityBelowRegistered,
    /// The session has not started yet: attendance is marked once it has.
    SessionNotStarted,
    /// The training's scheduled sessions do not fit the new format (a venue
    /// in person, a link online, both hybrid): change or cancel them first.
    SessionsDoNotFit,
    /// This was given once already and cannot be given again (feedback on a
    /// training session).
    AlreadyGiven,
    /// A webhook URL whose host is not a public address (loopback, private,
    /// link-local, cloud metadata...) or does not resolve: refused in production.
    TargetNotAllowed,
    /// The webhook endpoint is disabled: enable it first.
    EndpointDisabled,
}

/// One thing wrong with the input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// Path to the field inside the mutation's arguments, e.g. `["input", "registrations", "0", "number"]`.
    pub field: Vec<String>,
    /// What is wrong, in English.
    pub message: String,
    /// Stable code.
    pub code: UserErrorCode,
}

/// The outcome of a write that may be refused for fixable reasons.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// Fixable input problems; nothing was changed.
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// Anything else.
    #[error(transparent)]
    Api(#[from] ApiError),
}

impl From<sea_orm::DbErr> for WriteError {
    fn from(err: sea_orm::DbErr) -> Self {
        Self::Api(err.into())
    }
}

impl From<FieldError> for WriteError {
    fn from(err: FieldError) -> Self {
        Self::Invalid(vec![err])
    }
}

/// Collects field errors while checking an input.
#[derive(Debug, Default)]
pub struct Errors(Vec<FieldError>);

impl Errors {
    /// Adds an error at `path` (relative to `input`).
    pub fn add(&mut self, path: &[&str], code: UserErrorCode, message: impl Into<String>) {
        let mut field = vec!["input".to_owned()];
        field.extend(path.iter().map(|s| (*s).to_owned()));
        self.0.push(FieldError { field, message: message.into(), code });
    }

    /// Records the error of a check and returns its value, if any.
    pub fn check<T, E: std::fmt::Display>(
        &mut self,
        path: &[&str],
        result: Result<T, E>,
        code_of: impl Fn(&E) -> UserErrorCode,
    ) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                let code = code_of(&e);
                self.add(path, code, e.to_string());
                None
            }
        }
    }

    /// True when nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok` when nothing was recorded, else the errors.
    pub fn ok(self) -> Result<(), WriteError> {
        if self.0.is_empty() { Ok(()) } else { Err(WriteError::Invalid(self.0)) }
    }
}

/// The code of a text check's error.
pub fn text_code(err: &crate::domain::text::TextError) -> UserErrorCode {
    use crate::domain::text::TextError;
    match err {
        TextError::Blank => UserErrorCode::Blank,
        TextError::TooLong(_) => UserErrorCode::TooLong,
        TextError::ControlCharacters | TextError::Invalid(_) => UserErrorCode::Invalid,
    }
}

/// A user error at `path` (relative to `input`).
pub fn field_error(path: &[&str], code: UserErrorCode, message: impl Into<String>) -> WriteError {
    let mut errors = Errors::default();
    errors.add(path, code, message);
    WriteError::Invalid(errors.0)
}

/// A checked value that is missing although its check passed: a bug, not the caller's fault.
pub fn checked<T>(value: Option<T>) -> Result<T, WriteError> {
    value.ok_or_else(|| WriteError::Api(ApiError::internal(std::io::Error::other("a checked value is missing"))))
}

/// Most language tags in a list.
pub const MAX_LANGUAGES: usize = 20;

/// Checks a list of BCP 47 language tags (at `languages`): at most
/// [`MAX_LANGUAGES`], each well-formed, none twice.
pub fn check_languages(errors: &mut Errors, languages: &[String]) -> Vec<String> {
    if languages.len() > MAX_LANGUAGES {
        errors.add(&["languages"], UserErrorCode::TooMany, format!("at most {MAX_LANGUAGES} languages"));
        return Vec::new();
    }
    let mut out: Vec<String> = Vec::new();
    for (i, lang) in languages.iter().enumerate() {
        let index = i.to_string();
        if let Some(tag) = errors.check(&["languages", &index], text::language(lang), text_code) {
            if out.iter().any(|t| t.eq_ignore_ascii_case(&tag)) {
                errors.add(&["languages", &index], UserErrorCode::Duplicate, format!("{tag} is listed twice"));
            } else {
                out.push(tag);
            }
        }
    }
    out
}
