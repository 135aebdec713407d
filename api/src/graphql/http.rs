//! GraphQL over HTTP (the GraphQL-over-HTTP specification): POST with
//! `application/json` (or `multipart/form-data` carrying files, the GraphQL
//! multipart request specification), GET for queries only, answers in
//! `application/graphql-response+json` (with its status codes) or
//! `application/json` (always 200 for a well-formed GraphQL response), as the
//! client's `Accept` asks.

use actix_web::{
    HttpRequest, HttpResponse,
    http::{StatusCode, header},
    web,
};
use async_graphql::{ServerError, Variables, parser::types::OperationType};
use futures_util::StreamExt;
use serde::Deserialize;

use super::{
    context::RequestContext,
    prepare::{Origin, Refusal, prepare},
};
use crate::{
    app::AppState,
    auth::identify::Credentials,
    error::{ApiError, ErrorCode},
    ratelimit::Decision,
};

/// The media type of the GraphQL-over-HTTP specification.
pub const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";
/// Largest request body accepted.
pub const MAX_BODY_BYTES: usize = 256 * 1024;
/// Most files one multipart request may carry.
pub const MAX_UPLOAD_FILES: usize = 3;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum MediaType {
    GraphqlResponse,
    Json,
}

impl MediaType {
    fn header(self) -> &'static str {
        match self {
            Self::GraphqlResponse => "application/graphql-response+json; charset=utf-8",
            Self::Json => "application/json; charset=utf-8",
        }
    }
}

/// A request-level error answer: `{"errors": [{"message", "extensions": {"code"}}]}`.
fn request_error(status: StatusCode, media: MediaType, code: ErrorCode, message: &str) -> HttpResponse {
    let body = serde_json::json!({ "errors": [{ "message": message, "extensions": { "code": code.as_str() } }] });
    HttpResponse::build(status).insert_header((header::CONTENT_TYPE, media.header())).body(body.to_string())
}

/// Picks the response media type from `Accept`; `None` when nothing acceptable.
fn negotiate(req: &HttpRequest) -> Option<MediaType> {
    let Some(accept) = req.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
        return Some(MediaType::Json);
    };
    let mut best: Option<(MediaType, f32)> = None;
    for range in accept.split(',') {
        let mut parts = range.split(';');
        let essence = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = parts.filter_map(|p| p.trim().strip_prefix("q=")).find_map(|q| q.trim().parse::<f32>().ok()).unwrap_or(1.0);
        if q <= 0.0 {
            continue;
        }
        let media = match essence.as_str() {
            GRAPHQL_RESPONSE_JSON => MediaType::GraphqlResponse,
            "application/json" | "application/*" | "*/*" => MediaType::Json,
            _ => continue,
        };
        let better = match best {
            None => true,
            Some((m, bq)) => q > bq || (q == bq && media == MediaType::GraphqlResponse && m != MediaType::GraphqlResponse),
        };
        if better {
            best = Some((media, q));
        }
    }
    best.map(|(m, _)| m)
}

#[derive(Deserialize)]
struct Body {
    query: Option<serde_json::Value>,
    #[serde(rename = "operationName")]
    operation_name: Option<serde_json::Value>,
    variables: Option<serde_json::Value>,
    extensions: Option<serde_json::Value>,
}

struct Parsed {
    query: String,
    operation_name: Option<String>,
    variables: Option<serde_json::Value>,
}

fn parse_fields(body: Body) -> Result<Parsed, &'static str> {
    let query = match body.query {
        Some(serde_json::Value::String(q)) if !q.trim().is_empty() => q,
        Some(serde_json::Value::String(_)) | None | Some(serde_json::Value::Null) => return Err("the request has no `query`"),
        Some(_) => return Err("`query` must be a string"),
    };
    let operation_name = match body.operation_name {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(s)) => Some(s),
        Some(_) => return Err("`operationName` must be a string"),
    };
    let variables = match body.variables {
        None | Some(serde_json::Value::Null) => None,
        Some(v @ serde_json::Value::Object(_)) => Some(v),
        Some(_) => return Err("`variables` must be an object"),
    };
    match body.extensions {
        None | Some(serde_json::Value::Null) | Some(serde_json::Value::Object(_)) => {}
        Some(_) => return Err("`extensions` must be an object"),
    }
    Ok(Parsed { query, operation_name, variables })
}

/// The media type to answer in, or 406 when `Accept` allows none of ours.
fn acceptable(req: &HttpRequest) -> Result<MediaType, Box<HttpResponse>> {
    negotiate(req).ok_or_else(|| {
        Box::new(request_error(
            StatusCode::NOT_ACCEPTABLE,
            MediaType::Json,
            ErrorCode::BadRequest,
            "Accept must allow application/graphql-response+json or application/json",
        ))
    })
}

/// `POST /graphql`.
#[tracing::instrument(skip_all, name = "graphql_post")]
pub async fn post(req: HttpRequest, mut payload: web::Payload, state: web::Data<AppState>) -> HttpResponse {
    let media = match acceptable(&req) {
        Ok(media) => media,
        Err(refusal) => return *refusal,
    };
    let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<mime::Mime>().ok());
    if content_type.as_ref().is_some_and(|m| m.type_() == mime::MULTIPART && m.subtype() == mime::FORM_DATA) {
        return post_multipart(&req, payload, &state, media).await;
    }
    let is_json = content_type.as_ref().is_some_and(|m| {
        m.type_() == mime::APPLICATION && m.subtype() == mime::JSON && m.get_param(mime::CHARSET).is_none_or(|c| c == mime::UTF_8)
    });
    if !is_json {
        return request_error(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            media,
            ErrorCode::BadRequest,
            "Content-Type must be application/json (or multipart/form-data to send files)",
        );
    }
    let mut bytes = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let Ok(chunk) = chunk else {
            return request_error(StatusCode::BAD_REQUEST, media, ErrorCode::BadRequest, "the request body could not be read");
        };
        if bytes.len() + chunk.len() > MAX_BODY_BYTES {
            return request_error(StatusCode::PAYLOAD_TOO_LARGE, media, ErrorCode::BadRequest, "the request body is larger than 256 KiB");
        }
        bytes.extend_from_slice(&chunk);
    }
    let value: serde_json::Value = match serde_json::from_slice(&bytes) {
        Ok(v) => v,
        Err(e) => return request_error(StatusCode::BAD_REQUEST, media, ErrorCode::BadRequest, &format!("the body is not valid JSON: {e}")),
    };
    if value.is_array() {
        return request_error(
            StatusCode::BAD_REQUEST,
            media,
            ErrorCode::BadRequest,
            "batched requests are not supported: send one operation per request",
        );
    }
    let parsed = match serde_json::from_value::<Body>(value) {
        Ok(body) => parse_fields(body),
        Err(_) => Err("the body must be a JSON object with `query`, and optionally `operationName`, `variables` and `extensions`"),
    };
    match parsed {
        Ok(parsed) => execute(&req, &state, parsed, media).await,
        Err(message) => request_error(StatusCode::BAD_REQUEST, media, ErrorCode::BadRequest, message),
    }
}

/// `POST /graphql` with `multipart/form-data`: an operation and its files
/// (the GraphQL multipart request specification: parts `operations`, `map`,
/// then the files). Only with credentials (`Authorization` or `X-Api-Key`):
/// a browser sends such headers cross-site only after a CORS preflight, so a
/// form on another site cannot upload in a user's name, and an anonymous
/// caller never gets to make the service buffer files. The caller is
/// identified and rate-limited before the body is read; the body is capped at
/// [`MAX_UPLOAD_FILES`] files of the evidence limit each.
async fn post_multipart(req: &HttpRequest, mut payload: web::Payload, state: &AppState, media: MediaType) -> HttpResponse {
    let has_credentials = req.headers().contains_key(header::AUTHORIZATION) || req.headers().contains_key("x-api-key");
    if !has_credentials {
        return request_error(
            StatusCode::UNAUTHORIZED,
            media,
            ErrorCode::Unauthenticated,
            "multipart requests (file uploads) need credentials: an Authorization or X-Api-Key header",
        );
    }
    let header_text = |name: &str| req.headers().get(name).map(|v| v.to_str().ok());
    let credentials = Credentials { authorization: header_text(header::AUTHORIZATION.as_str()), api_key: header_text("x-api-key") };
    let origin = Origin { peer: req.peer_addr().map(|a| a.ip()), headers: req.headers() };
    let prepared = match prepare(state, credentials, origin).await {
        Ok(prepared) => prepared,
        Err(refusal) => return refused(refusal, media),
    };
    let max_file = state.evidence.max_bytes;
    let cap = max_file.saturating_mul(MAX_UPLOAD_FILES).saturating_add(MAX_BODY_BYTES);
    let too_large = || {
        request_error(
            StatusCode::PAYLOAD_TOO_LARGE,
            media,
            ErrorCode::PayloadTooLarge,
            &format!("files of at most {} and {MAX_UPLOAD_FILES} files a request are accepted", human_size(max_file)),
        )
    };
    let mut bytes = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let Ok(chunk) = chunk else {
            return request_error(StatusCode::BAD_REQUEST, media, ErrorCode::BadRequest, "the request body could not be read");
        };
        if bytes.len() + chunk.len() > cap {
            return too_large();
        }
        bytes.extend_from_slice(&chunk);
    }
    let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
    let options = async_graphql::http::MultipartOptions::default().max_file_size(max_file).max_num_files(MAX_UPLOAD_FILES);
    let body = futures_util::io::Cursor::new(bytes.freeze());
    let request = match async_graphql::http::receive_body(content_type, body, options).await {
        Ok(request) => request,
        Err(async_graphql::ParseRequestError::PayloadTooLarge) => return too_large(),
        Err(e) => {
            let message = match e {
                async_graphql::ParseRequestError::UnsupportedBatch => {
                    "batched requests are not supported: send one operation per request".to_owned()
                }
                other => format!("the multipart request is malformed ({other}): see the GraphQL multipart request specification"),
            };
            return request_error(StatusCode::BAD_REQUEST, media, ErrorCode::BadRequest, &message);
        }
    };
    if request.query.trim().is_empty() {
        return request_error(StatusCode::BAD_REQUEST, media, ErrorCode::BadRequest, "the request has no `query`");
    }
    let mut response = run(state, request, media, prepared.context).await;
    if let Some(decision) = prepared.decision {
        rate_limit_headers(&mut response, &decision);
    }
    response
}

/// A size for people: whole MiB when it is one, else KiB.
fn human_size(bytes: usize) -> String {
    if bytes.is_multiple_of(1024 * 1024) { format!("{} MiB", bytes / (1024 * 1024)) } else { format!("{} KiB", bytes.div_ceil(1024)) }
}

/// `GET /graphql?query=...`: queries only.
#[tracing::instrument(skip_all, name = "graphql_get")]
pub async fn get(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let media = match acceptable(&req) {
        Ok(media) => media,
        Err(refusal) => return *refusal,
    };
    let Ok(pairs) = serde_urlencoded::from_str::<Vec<(String, String)>>(req.query_string()) else {
        return request_error(StatusCode::BAD_REQUEST, media, ErrorCode::BadRequest, "the query string is malformed");
    };
    let param = |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    let json_param = |name: &str| match param(name) {
        None => Ok(None),
        Some(text) if text.trim().is_empty() => Ok(None),
        Some(text) => serde_json::from_str::<serde_json::Value>(&text).map(Some),
    };
    let (Ok(variables), Ok(extensions)) = (json_param("variables"), json_param("extensions")) else {
        return request_error(
            StatusCode::BAD_REQUEST,
            media,
            ErrorCode::BadRequest,
            "`variables` and `extensions` must be JSON-encoded objects",
        );
    };
    let body = Body {
        query: param("query").map(serde_json::Value::String),
        operation_name: param("operationName").map(serde_json::Value::String),
        variables,
        extensions,
    };
    let parsed = match parse_fields(body) {
        Ok(p) => p,
        Err(message) => return request_error(StatusCode::BAD_REQUEST, media, ErrorCode::BadRequest, message),
    };
    if let Ok(doc) = async_graphql::parser::parse_query(&parsed.query) {
        let op_type = match &parsed.operation_name {
            Some(name) => doc.operations.iter().find(|(n, _)| n.is_some_and(|n| n.as_str() == name)).map(|(_, op)| op.node.ty),
            None => doc.operations.iter().next().map(|(_, op)| op.node.ty),
        };
        if matches!(op_type, Some(OperationType::Mutation | OperationType::Subscription)) {
            let mut response = request_error(
                StatusCode::METHOD_NOT_ALLOWED,
                media,
                ErrorCode::BadRequest,
                "only queries may be sent with GET; use POST for mutations",
            );
            response.headers_mut().insert(header::ALLOW, header::HeaderValue::from_static("POST"));
            return response;
        }
    }
    execute(&req, &state, parsed, media).await
}

fn rate_limit_headers(response: &mut HttpResponse, decision: &Decision) {
    for (name, value) in
        [("ratelimit-limit", decision.limit), ("ratelimit-remaining", decision.remaining), ("ratelimit-reset", decision.reset_secs)]
    {
        if let Ok(v) = header::HeaderValue::from_str(&value.to_string()) {
            response.headers_mut().insert(header::HeaderName::from_static(name), v);
        }
    }
}

async fn execute(req: &HttpRequest, state: &AppState, parsed: Parsed, media: MediaType) -> HttpResponse {
    let header_text = |name: &str| req.headers().get(name).map(|v| v.to_str().ok());
    let credentials = Credentials { authorization: header_text(header::AUTHORIZATION.as_str()), api_key: header_text("x-api-key") };
    let origin = Origin { peer: req.peer_addr().map(|a| a.ip()), headers: req.headers() };
    let prepared = match prepare(state, credentials, origin).await {
        Ok(prepared) => prepared,
        Err(refusal) => return refused(refusal, media),
    };
    let mut response = run(state, to_request(parsed), media, prepared.context).await;
    if let Some(decision) = prepared.decision {
        rate_limit_headers(&mut response, &decision);
    }
    response
}

/// The HTTP answer of a request refused before it runs.
fn refused(refusal: Refusal, media: MediaType) -> HttpResponse {
    match refusal {
        // Refused credentials are a 401, never anonymous.
        Refusal::Unauthenticated(message) => {
            let mut response = request_error(StatusCode::UNAUTHORIZED, media, ErrorCode::Unauthenticated, &message);
            response.headers_mut().insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer error=\"invalid_token\""));
            response
        }
        Refusal::RateLimited(decision) => {
            let message = format!("too many requests: {} a minute are allowed; retry in {} seconds", decision.limit, decision.reset_secs);
            let mut response = request_error(StatusCode::TOO_MANY_REQUESTS, media, ErrorCode::RateLimited, &message);
            rate_limit_headers(&mut response, &decision);
            if let Ok(v) = header::HeaderValue::from_str(&decision.reset_secs.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, v);
            }
            response
        }
        Refusal::Unavailable => request_error(
            StatusCode::SERVICE_UNAVAILABLE,
            media,
            ErrorCode::ServiceUnavailable,
            "service temporarily unavailable, try again later",
        ),
    }
}

fn to_request(parsed: Parsed) -> async_graphql::Request {
    let mut request = async_graphql::Request::new(parsed.query);
    if let Some(name) = parsed.operation_name {
        request = request.operation_name(name);
    }
    if let Some(vars) = parsed.variables {
        request = request.variables(Variables::from_json(vars));
    }
    request
}

async fn run(state: &AppState, request: async_graphql::Request, media: MediaType, context: RequestContext) -> HttpResponse {
    let response = state.schema.execute(request.data(context)).await;
    let is_request_error =
        response.data == async_graphql::Value::Null && !response.errors.is_empty() && response.errors.iter().all(|e| e.path.is_empty());
    // Written straight to text, never past the cap: a large answer neither
    // exists twice in memory nor leaves as an unbounded body.
    let body = match super::limits::response::serialize(&response, is_request_error, super::limits::response::MAX_RESPONSE_BYTES) {
        Ok(body) => body,
        Err(super::limits::response::TooLarge::OverCap) => {
            tracing::warn!(cap = super::limits::response::MAX_RESPONSE_BYTES, "answer over the size cap refused");
            let body = super::limits::response::over_cap_body();
            return HttpResponse::Ok().insert_header((header::CONTENT_TYPE, media.header())).body(body);
        }
        Err(super::limits::response::TooLarge::Unserializable) => {
            return request_error(StatusCode::INTERNAL_SERVER_ERROR, media, ErrorCode::InternalServerError, "internal server error");
        }
    };
    let retry_after = rate_limited(&response.errors);
    let status = match retry_after {
        // A throttled field (logIn, ...) is answered like every other rate limit.
        Some(_) => StatusCode::TOO_MANY_REQUESTS,
        None if is_request_error && media == MediaType::GraphqlResponse => StatusCode::BAD_REQUEST,
        None => StatusCode::OK,
    };
    let mut answer = HttpResponse::build(status);
    answer.insert_header((header::CONTENT_TYPE, media.header()));
    if let Some(secs) = retry_after {
        answer.insert_header((header::RETRY_AFTER, secs.max(1).to_string()));
    }
    answer.body(body)
}

/// The longest wait asked by a RATE_LIMITED error of the response, if any.
fn rate_limited(errors: &[ServerError]) -> Option<u64> {
    errors
        .iter()
        .filter_map(|e| e.source::<ApiError>().or_else(|| e.source::<std::sync::Arc<ApiError>>().map(AsRef::as_ref)))
        .filter_map(|e| match e {
            ApiError::RateLimited(secs) => Some(*secs),
            _ => None,
        })
        .max()
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::*;

    fn accept(value: &str) -> Option<MediaType> {
        negotiate(&TestRequest::default().insert_header((header::ACCEPT, value)).to_http_request())
    }

    #[test]
    fn accept_negotiation_follows_the_spec() {
        assert_eq!(negotiate(&TestRequest::default().to_http_request()), Some(MediaType::Json));
        assert_eq!(accept("application/graphql-response+json"), Some(MediaType::GraphqlResponse));
        assert_eq!(accept("application/json, application/graphql-response+json"), Some(MediaType::GraphqlResponse));
        assert_eq!(accept("application/graphql-response+json;q=0.5, application/json"), Some(MediaType::Json));
        assert_eq!(accept("*/*"), Some(MediaType::Json));
        assert_eq!(accept("text/html"), None);
        assert_eq!(accept("application/json;q=0"), None);
    }
}
