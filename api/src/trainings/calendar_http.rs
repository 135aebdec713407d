//! The iCalendar feeds over HTTP (`text/calendar`, RFC 5545), for calendar
//! applications to subscribe to:
//!
//! - `GET /trainings/sessions/{id}.ics`: one session (`{id}` its UUID or
//!   global ID), public fields only: the request's credentials, if any, are
//!   not read, so every caller gets the same answer and it may be cached for a
//!   few minutes. An unknown session, or one of a DRAFT training, is 404.
//! - `GET /calendar/{secret}.ics`: a user's private feed of the sessions they
//!   registered for, links included. An unknown or revoked secret is 404,
//!   the same answer for both; the answer is never stored by caches.
//!
//! Both carry an `ETag` (a hash of the calendar): a client polling with
//! `If-None-Match` gets 304 without the body while nothing changed, which
//! spares costly mobile data. Both are rate-limited per client address as anonymous `/graphql`
//! requests are (429 with `Retry-After`); errors are the JSON errors of the
//! other HTTP endpoints, with a stable `extensions.code`.

use actix_web::{
    HttpRequest, HttpResponse,
    http::{StatusCode, header},
    web,
};
use uuid::Uuid;

use super::{calendar, ical, types::TrainingSession};
use crate::{
    app::AppState,
    auth::identify::Credentials,
    error::ErrorCode,
    graphql::{
        prepare::{Origin, Refusal, prepare},
        relay::decode_uuid,
    },
};

/// The longest secret looked up (they are 43 characters).
const MAX_SECRET_CHARS: usize = 64;

pub(super) fn error(status: StatusCode, code: ErrorCode, message: &str) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(serde_json::json!({ "errors": [{ "message": message, "extensions": { "code": code.as_str() } }] }))
}

pub(super) fn not_found(what: &str) -> HttpResponse {
    error(StatusCode::NOT_FOUND, ErrorCode::NotFound, what)
}

pub(super) fn unavailable() -> HttpResponse {
    error(StatusCode::SERVICE_UNAVAILABLE, ErrorCode::ServiceUnavailable, "service temporarily unavailable, try again later")
}

/// Rate-limits the request as an anonymous one: `Some(answer)` when refused.
pub(super) async fn refused(req: &HttpRequest, state: &AppState) -> Option<HttpResponse> {
    let origin = Origin { peer: req.peer_addr().map(|a| a.ip()), headers: req.headers() };
    match prepare(state, Credentials { authorization: None, api_key: None }, origin).await {
        Ok(_) => None,
        Err(Refusal::RateLimited(decision)) => {
            let mut response = error(StatusCode::TOO_MANY_REQUESTS, ErrorCode::RateLimited, "too many requests");
            if let Ok(v) = header::HeaderValue::from_str(&decision.reset_secs.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, v);
            }
            Some(response)
        }
        Err(Refusal::Unauthenticated(_) | Refusal::Unavailable) => Some(unavailable()),
    }
}

/// The calendar `body`, or 304 when the request already holds it.
fn calendar_response(req: &HttpRequest, body: String, cache: &'static str, file_name: &str) -> HttpResponse {
    let etag = format!("\"{}\"", &crate::auth::tokens::hash_token(&body)[..32]);
    let held = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').map(|t| t.trim().trim_start_matches("W/")).any(|t| t == etag || t == "*"));
    if held {
        return HttpResponse::NotModified().insert_header((header::ETAG, etag)).insert_header((header::CACHE_CONTROL, cache)).finish();
    }
    HttpResponse::Ok()
        .insert_header((header::ETAG, etag))
        .insert_header((header::CONTENT_TYPE, "text/calendar; charset=utf-8"))
        .insert_header((header::CONTENT_DISPOSITION, format!("inline; filename=\"{file_name}\"")))
        .insert_header((header::CACHE_CONTROL, cache))
        .body(body)
}

/// `GET /trainings/sessions/{id}.ics`.
#[tracing::instrument(skip_all, name = "session_calendar")]
pub async fn session(req: HttpRequest, path: web::Path<String>, state: web::Data<AppState>) -> HttpResponse {
    if let Some(answer) = refused(&req, &state).await {
        return answer;
    }
    let text = path.into_inner();
    let Some(id) = Uuid::parse_str(&text).ok().or_else(|| decode_uuid(&text, TrainingSession::KIND).ok()) else {
        return not_found("session not found");
    };
    match calendar::session_entry(&state.db, id).await {
        Ok(Some(entry)) => {
            let body = ical::calendar(&entry.title.clone(), &[entry]);
            calendar_response(&req, body, "public, max-age=300", &format!("session-{id}.ics"))
        }
        Ok(None) => not_found("session not found"),
        Err(e) => {
            tracing::error!(error = %crate::error::cause_chain(&e), "cannot read the session's calendar");
            unavailable()
        }
    }
}

/// `GET /calendar/{secret}.ics`.
#[tracing::instrument(skip_all, name = "private_calendar")]
pub async fn private(req: HttpRequest, path: web::Path<String>, state: web::Data<AppState>) -> HttpResponse {
    if let Some(answer) = refused(&req, &state).await {
        return answer;
    }
    let secret = path.into_inner();
    if secret.is_empty() || secret.len() > MAX_SECRET_CHARS {
        return not_found("calendar not found");
    }
    let feed = match calendar::live_feed(&state.db, &secret).await {
        Ok(Some(feed)) => feed,
        Ok(None) => return not_found("calendar not found"),
        Err(e) => {
            tracing::error!(error = %crate::error::cause_chain(&e), "cannot read a calendar feed");
            return unavailable();
        }
    };
    match calendar::feed_entries(&state.db, feed.user_id).await {
        Ok(entries) => {
            let mut response = calendar_response(&req, ical::calendar("My trainings", &entries), "private, no-store", "my-trainings.ics");
            response.headers_mut().insert(header::HeaderName::from_static("x-robots-tag"), header::HeaderValue::from_static("noindex"));
            response
        }
        Err(e) => {
            tracing::error!(error = %crate::error::cause_chain(&e), "cannot read a calendar feed's sessions");
            unavailable()
        }
    }
}
