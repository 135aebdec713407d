//! Gives every GraphQL error a stable `extensions.code`, in one place
//! ([`finish_error`], applied by `AppSchema::execute`), and logs server faults
//! with their cause chain (the client gets a fixed message).

use std::sync::Arc;

use async_graphql::{ServerError, Value};

use crate::error::{ApiError, ErrorCode, cause_chain};

/// A request-level error (no path) carrying its stable code.
pub fn coded_error(message: impl Into<String>, pos: Option<async_graphql::Pos>, code: ErrorCode) -> ServerError {
    let mut error = ServerError::new(message, pos);
    set_code(&mut error, code);
    error
}

pub(crate) fn set_code(error: &mut ServerError, code: ErrorCode) {
    let ext = error.extensions.get_or_insert_with(Default::default);
    if ext.get("code").is_none() {
        ext.set("code", Value::from(code.as_str()));
    }
}

fn has_code(error: &ServerError) -> bool {
    error.extensions.as_ref().is_some_and(|e| e.get("code").is_some())
}

/// Maps one execution error: our own errors carry their code; the rest are input
/// coercion errors of async-graphql (wrong argument values).
pub fn map_execution_error(error: &mut ServerError) {
    let api = error.source::<ApiError>().or_else(|| error.source::<Arc<ApiError>>().map(AsRef::as_ref));
    match api {
        Some(api) => {
            if api.is_server_fault() {
                tracing::error!(error = %cause_chain(api), path = ?error.path, "request failed");
            }
            let code = api.code();
            error.message = api.to_string();
            set_code(error, code);
        }
        None if !has_code(error) => set_code(error, ErrorCode::BadUserInput),
        None => {}
    }
}

/// Gives an error of a response its stable code: request-level errors (no
/// path: validation, an unknown operation) are `GRAPHQL_VALIDATION_FAILED`;
/// the others are mapped by [`map_execution_error`]. Parse errors and the
/// limits' refusals carry their code already.
pub fn finish_error(error: &mut ServerError) {
    if has_code(error) {
        return;
    }
    let from_resolver = error.source::<ApiError>().is_some() || error.source::<Arc<ApiError>>().is_some();
    if error.path.is_empty() && !from_resolver {
        set_code(error, ErrorCode::GraphqlValidationFailed);
    } else {
        map_execution_error(error);
    }
}
