//! The one error type of the service and its stable codes.
//!
//! Policy:
//! - Service functions return [`ApiError`] for what stops a request, and
//!   [`crate::user_errors::Invalid`] for input the caller can fix (mutations turn
//!   it into `userErrors`).
//! - Every GraphQL error carries `extensions.code`, one of [`ErrorCode`]; the
//!   mapping happens once, in `graphql::errors`.
//! - Internal failures are logged with their cause chain and answered with a fixed
//!   message: nothing of a database error's text reaches a client.

use sea_orm::{DbErr, RuntimeErr, SqlErr};

/// Stable machine-readable codes of GraphQL errors (`extensions.code`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorCode {
    /// The request body or parameters are not a GraphQL request.
    BadRequest,
    /// The document does not parse.
    GraphqlParseFailed,
    /// The document is not valid against the schema (unknown field, wrong type, too deep).
    GraphqlValidationFailed,
    /// An argument is well-formed but not acceptable.
    BadUserInput,
    /// A global ID is malformed or of the wrong type.
    InvalidId,
    /// A pagination cursor is malformed or belongs to another ordering.
    InvalidCursor,
    /// The object does not exist (or the caller may not know it exists).
    NotFound,
    /// The caller must sign in.
    Unauthenticated,
    /// The caller may not do this.
    Forbidden,
    /// The write conflicts with the current state.
    Conflict,
    /// Too many requests.
    RateLimited,
    /// A backing service (database, Redis) is unreachable.
    ServiceUnavailable,
    /// A bug or an unexpected failure; details are in the logs.
    InternalServerError,
    /// The signed-in account has not confirmed its e-mail address yet: until it
    /// does, it reads what anonymous callers read and changes nothing but itself.
    EmailNotVerified,
    /// The document expands to too many fields, aliases or root fields, or
    /// nests fragments too deep (checked before validation).
    DocumentTooLarge,
    /// The answer is larger than the server sends in one response.
    ResponseTooLarge,
    /// The request body (an uploaded file) is larger than accepted.
    PayloadTooLarge,
    /// A subscription fell too far behind the events it follows and ended:
    /// subscribe again and reload what it shows.
    SubscriptionLagged,
    /// The connection holds as many subscriptions as it may.
    TooManySubscriptions,
}

impl ErrorCode {
    /// The SCREAMING_SNAKE_CASE code sent to clients.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::BadRequest => "BAD_REQUEST",
            Self::GraphqlParseFailed => "GRAPHQL_PARSE_FAILED",
            Self::GraphqlValidationFailed => "GRAPHQL_VALIDATION_FAILED",
            Self::BadUserInput => "BAD_USER_INPUT",
            Self::InvalidId => "INVALID_ID",
            Self::InvalidCursor => "INVALID_CURSOR",
            Self::NotFound => "NOT_FOUND",
            Self::Unauthenticated => "UNAUTHENTICATED",
            Self::Forbidden => "FORBIDDEN",
            Self::Conflict => "CONFLICT",
            Self::RateLimited => "RATE_LIMITED",
            Self::ServiceUnavailable => "SERVICE_UNAVAILABLE",
            Self::InternalServerError => "INTERNAL_SERVER_ERROR",
            Self::EmailNotVerified => "EMAIL_NOT_VERIFIED",
            Self::DocumentTooLarge => "DOCUMENT_TOO_LARGE",
            Self::ResponseTooLarge => "RESPONSE_TOO_LARGE",
            Self::PayloadTooLarge => "PAYLOAD_TOO_LARGE",
            Self::SubscriptionLagged => "SUBSCRIPTION_LAGGED",
            Self::TooManySubscriptions => "TOO_MANY_SUBSCRIPTIONS",
        }
    }
}

/// What stops a request.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// An argument the caller can fix; the message says how.
    #[error("{0}")]
    BadUserInput(String),
    /// A malformed global ID.
    #[error("invalid ID: {0}")]
    InvalidId(String),
    /// A malformed or foreign cursor.
    #[error("invalid cursor: {0}")]
    InvalidCursor(String),
    /// Nothing the caller may see has this identity.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The caller must sign in (again); the message says why.
    #[error("{0}")]
    Unauthenticated(String),
    /// The caller may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// The write conflicts with the current state.
    #[error("{0}")]
    Conflict(String),
    /// Too many attempts; retry after the given seconds.
    #[error("too many attempts: retry in {0} seconds")]
    RateLimited(u64),
    /// A backing service is unreachable.
    #[error("service temporarily unavailable, try again later")]
    Unavailable(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// Anything unexpected.
    #[error("internal server error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// A subscription fell behind and ended.
    #[error("this subscription fell too far behind the events it follows and ended: subscribe again and reload")]
    SubscriptionLagged,
    /// The account must confirm its e-mail address before doing this.
    #[error("confirm your e-mail address first (verifyEmail): until then an account reads public data and changes only itself")]
    EmailNotVerified,
}

impl ApiError {
    /// The stable code of this error.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::BadUserInput(_) => ErrorCode::BadUserInput,
            Self::InvalidId(_) => ErrorCode::InvalidId,
            Self::InvalidCursor(_) => ErrorCode::InvalidCursor,
            Self::NotFound(_) => ErrorCode::NotFound,
            Self::Unauthenticated(_) => ErrorCode::Unauthenticated,
            Self::Forbidden(_) => ErrorCode::Forbidden,
            Self::Conflict(_) => ErrorCode::Conflict,
            Self::RateLimited(_) => ErrorCode::RateLimited,
            Self::Unavailable(_) => ErrorCode::ServiceUnavailable,
            Self::Internal(_) => ErrorCode::InternalServerError,
            Self::EmailNotVerified => ErrorCode::EmailNotVerified,
            Self::SubscriptionLagged => ErrorCode::SubscriptionLagged,
        }
    }

    /// Wraps an unexpected failure.
    #[track_caller]
    pub fn internal(err: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self::Internal(Box::new(err))
    }

    /// True for failures that are logged as errors (not the caller's fault).
    pub fn is_server_fault(&self) -> bool {
        matches!(self, Self::Unavailable(_) | Self::Internal(_))
    }
}

impl From<DbErr> for ApiError {
    fn from(err: DbErr) -> Self {
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => {
                return Self::Conflict("the write conflicts with an existing record".to_owned());
            }
            Some(SqlErr::ForeignKeyConstraintViolation(_)) => {
                return Self::Conflict("the write refers to a record that does not exist".to_owned());
            }
            _ => {}
        }
        match &err {
            DbErr::ConnectionAcquire(_) | DbErr::Conn(RuntimeErr::SqlxError(_)) => Self::Unavailable(Box::new(err)),
            _ => Self::Internal(Box::new(err)),
        }
    }
}

/// Renders an error and its causes on one line, for logs.
pub fn cause_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_errors_never_leak_their_text() {
        let err = ApiError::from(DbErr::Custom("password=hunter2 relation users".to_owned()));
        assert_eq!(err.code(), ErrorCode::InternalServerError);
        assert_eq!(err.to_string(), "internal server error");
        assert!(cause_chain(&err).contains("hunter2"), "the log keeps the cause");
    }

    #[test]
    fn a_lost_pool_is_unavailable_not_internal() {
        let err = ApiError::from(DbErr::ConnectionAcquire(sea_orm::ConnAcquireErr::Timeout));
        assert_eq!(err.code(), ErrorCode::ServiceUnavailable);
        assert!(err.is_server_fault());
    }

    #[test]
    fn codes_are_screaming_snake_case() {
        for code in [ErrorCode::BadRequest, ErrorCode::InvalidCursor, ErrorCode::InternalServerError, ErrorCode::GraphqlValidationFailed] {
            let s = code.as_str();
            assert!(s.chars().all(|c| c.is_ascii_uppercase() || c == '_'), "{s}");
        }
    }
}
