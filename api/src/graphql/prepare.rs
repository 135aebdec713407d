//! Request preparation: the one path from an incoming request to what a
//! GraphQL operation runs with. It decides who is calling (credentials are
//! refused, never treated as anonymous), where the request comes from (the
//! peer, or what trusted proxies say), in which language to answer
//! (`Accept-Language`), counts the request against the caller's
//! rate limit and builds the per-request context. The HTTP handler uses it; a
//! WebSocket handler passes the credentials of its `connection_init` instead of
//! headers and gets the same decisions.

use std::net::IpAddr;

use actix_web::http::header::HeaderMap;

use super::context::{ClientInfo, RequestContext};
use crate::{
    app::AppState,
    auth::{
        Caller,
        identify::{Credentials, IdentifyError},
    },
    i18n::Locale,
    ratelimit::Decision,
};

/// Where a request comes from, as the transport saw it.
#[derive(Clone, Copy, Debug)]
pub struct Origin<'a> {
    /// The TCP peer.
    pub peer: Option<IpAddr>,
    /// The request's (or the WebSocket upgrade's) headers, for `Forwarded`,
    /// `X-Forwarded-For`, `User-Agent` and `Accept-Language`.
    pub headers: &'a HeaderMap,
}

/// A request ready to run.
pub struct Prepared {
    /// Caller, client, scopes and loaders.
    pub context: RequestContext,
    /// The rate-limit count of this request (`None` for the system caller).
    pub decision: Option<Decision>,
}

/// Why a request is refused before it runs.
#[derive(Debug)]
pub enum Refusal {
    /// The credentials are bad, expired, revoked or ambiguous (HTTP 401).
    Unauthenticated(String),
    /// Over the caller's rate limit (HTTP 429 with `Retry-After`).
    RateLimited(Decision),
    /// The credentials could not be checked (HTTP 503).
    Unavailable,
}

/// Prepares a request from its credentials and origin.
pub async fn prepare(state: &AppState, credentials: Credentials<'_>, origin: Origin<'_>) -> Result<Prepared, Refusal> {
    let caller = match crate::auth::identify::identify(state.directory.as_ref(), &state.sessions, credentials).await {
        Ok(caller) => caller,
        Err(IdentifyError::Refused(message)) => return Err(Refusal::Unauthenticated(message)),
        Err(IdentifyError::Unavailable(e)) => {
            tracing::error!(error = %crate::error::cause_chain(&e), "could not check credentials");
            return Err(Refusal::Unavailable);
        }
    };
    let client = client_info(state, origin);
    let decision = rate_limit(state, &caller, &client).await?;
    let mut context = RequestContext::new(&state.db, &state.policy, caller, client);
    context.locale = locale(origin);
    Ok(Prepared { context, decision })
}

/// Where the request comes from: the TCP peer, or what the trusted proxies in
/// front of it say (`TRUSTED_PROXIES`; see [`crate::client_ip`]).
fn client_info(state: &AppState, origin: Origin<'_>) -> ClientInfo {
    ClientInfo {
        ip: origin.peer.map(|peer| crate::client_ip::client_ip(peer, origin.headers, &state.trusted_proxies).to_string()),
        user_agent: origin.headers.get(actix_web::http::header::USER_AGENT).and_then(|v| v.to_str().ok()).map(str::to_owned),
    }
}

/// The caller's language, from `Accept-Language` (English without one).
fn locale(origin: Origin<'_>) -> Locale {
    Locale::from_accept_language(origin.headers.get(actix_web::http::header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()))
}

/// Counts the request against the caller's limit.
async fn rate_limit(state: &AppState, caller: &Caller, client: &ClientInfo) -> Result<Option<Decision>, Refusal> {
    let limits = state.rate_limiter.limits;
    let (key, limit) = match caller {
        Caller::User(u) => (format!("user:{}", u.user_id), limits.user),
        Caller::ApiKey(k) => (format!("key:{}", k.key_id), limits.api_key),
        Caller::System => return Ok(None),
        Caller::Anonymous => (format!("ip:{}", client.ip.as_deref().unwrap_or("unknown")), limits.anonymous),
    };
    let decision = match state.rate_limiter.check(&key, limit).await {
        Ok(d) => d,
        Err(e) => {
            // The limiter falls back to per-instance counting itself; this is
            // only reached if even that fails: do not take the API down.
            tracing::warn!(error = %crate::error::cause_chain(&e), "rate limiter unavailable");
            return Ok(None);
        }
    };
    if decision.allowed { Ok(Some(decision)) } else { Err(Refusal::RateLimited(decision)) }
}
