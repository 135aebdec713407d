//! `userErrors` of mutation payloads.

use async_graphql::SimpleObject;

use crate::{
    error::ApiError,
    user_errors::{FieldError, UserErrorCode, WriteError},
};

/// Something the caller can fix in a mutation's input. When a payload has user
/// errors, nothing was changed.
#[derive(SimpleObject, Clone, Debug)]
pub struct UserError {
    /// Path to the offending input field, e.g. `["input", "registrations", "0", "number"]`.
    pub field: Vec<String>,
    /// What is wrong, in English (translate by `code`).
    pub message: String,
    /// Stable code.
    pub code: UserErrorCode,
}

impl From<FieldError> for UserError {
    fn from(e: FieldError) -> Self {
        Self { field: e.field, message: e.message, code: e.code }
    }
}

/// Declares mutation payloads: each the object its mutation returns (null
/// when there are user errors) and its `userErrors`:
/// `payload! { /// Result of `createThing`.  CreateThingPayload { thing: Thing, "The new thing" } ... }`.
#[macro_export]
#[doc(hidden)]
macro_rules! __payload {
    ($($(#[$meta:meta])* $name:ident { $field:ident: $ty:ty, $what:literal })+) => {$(
        $(#[$meta])*
        #[derive(async_graphql::SimpleObject)]
        pub struct $name {
            #[doc = concat!($what, "; null when there are user errors.")]
            pub $field: Option<$ty>,
            /// What the caller must fix; empty on success.
            pub user_errors: Vec<$crate::graphql::user_error::UserError>,
        }
    )+};
}

pub use crate::__payload as payload;

/// Splits a write's outcome into the payload's object and user errors; other
/// failures become GraphQL errors.
pub fn outcome<T, N>(result: Result<T, WriteError>, map: impl FnOnce(T) -> N) -> Result<(Option<N>, Vec<UserError>), ApiError> {
    match result {
        Ok(value) => Ok((Some(map(value)), Vec::new())),
        Err(WriteError::Invalid(errors)) => Ok((None, errors.into_iter().map(UserError::from).collect())),
        Err(WriteError::Api(err)) => Err(err),
    }
}
