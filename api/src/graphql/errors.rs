//! Gives every GraphQL error a stable `extensions.code`, in one place, and logs
//! server faults with their cause chain (the client gets a fixed message).

use std::sync::Arc;

use async_graphql::{
    Response, ServerError, ServerResult, ValidationResult, Value, Variables,
    extensions::{Extension, ExtensionContext, ExtensionFactory, NextExecute, NextParseQuery, NextValidation},
    parser::types::ExecutableDocument,
};

use crate::error::{ApiError, ErrorCode, cause_chain};

/// The extension factory to register on the schema.
pub struct ErrorCodes;

impl ExtensionFactory for ErrorCodes {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(ErrorCodesExtension)
    }
}

struct ErrorCodesExtension;

/// A request-level error (no path) carrying its stable code.
pub fn coded_error(message: impl Into<String>, pos: Option<async_graphql::Pos>, code: ErrorCode) -> ServerError {
    let mut error = ServerError::new(message, pos);
    set_code(&mut error, code);
    error
}

fn set_code(error: &mut ServerError, code: ErrorCode) {
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

#[async_graphql::async_trait::async_trait]
impl Extension for ErrorCodesExtension {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        next.run(ctx, query, variables).await.map_err(|mut e| {
            set_code(&mut e, ErrorCode::GraphqlParseFailed);
            e
        })
    }

    async fn validation(&self, ctx: &ExtensionContext<'_>, next: NextValidation<'_>) -> Result<ValidationResult, Vec<ServerError>> {
        next.run(ctx).await.map_err(|mut errors| {
            for e in &mut errors {
                set_code(e, ErrorCode::GraphqlValidationFailed);
            }
            errors
        })
    }

    async fn execute(&self, ctx: &ExtensionContext<'_>, operation_name: Option<&str>, next: NextExecute<'_>) -> Response {
        let mut response = next.run(ctx, operation_name).await;
        for e in &mut response.errors {
            map_execution_error(e);
        }
        response
    }
}
