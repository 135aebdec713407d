//! GraphQL over WebSocket at `/graphql/ws`: the `graphql-transport-ws`
//! protocol (what the `graphql-ws` JavaScript client speaks) and the legacy
//! `graphql-ws` one, through async-graphql's protocol machine and the same
//! request preparation, limits and error codes as HTTP.
//!
//! - Credentials come in `connection_init`'s payload: `{"authorization":
//!   "Bearer <access token or API key>"}` or `{"apiKey": "<key>"}`; none is
//!   anonymous. Refused credentials close the socket with 4403.
//! - Every [`WsState::revalidate`] the connection checks its credentials
//!   again: a revoked session or an expired token closes it with 4401, a
//!   caller whose roles changed with 4403 (reconnect to continue with the
//!   new rights). Each event is checked by the policy as it is delivered.
//! - Limits: [`MAX_SUBSCRIPTIONS`] operations at once per connection (the
//!   next one is answered TOO_MANY_SUBSCRIPTIONS), [`MAX_CONNECTIONS_PER_USER`]
//!   connections per user or key on an instance (4429), 10 seconds to send
//!   `connection_init` (4408), a WebSocket ping every [`KEEPALIVE`].

use std::{
    collections::{HashMap, HashSet},
    sync::{Arc, Mutex},
    time::Duration,
};

use actix_web::{HttpRequest, HttpResponse, http::header, web};
use actix_ws::{CloseCode, CloseReason, Message};
use async_graphql::{
    Data,
    http::{WebSocket, WebSocketProtocols as Protocols, WsMessage},
};
use futures_util::StreamExt;
use serde_json::{Value, json};

use super::prepare::{Origin, Refusal, prepare};
use crate::{
    app::AppState,
    auth::{Caller, identify::Credentials},
};

/// Operations one connection may run at once.
pub const MAX_SUBSCRIPTIONS: usize = 25;
/// Connections one user (or API key) may hold on one instance.
pub const MAX_CONNECTIONS_PER_USER: usize = 10;
/// Time between two WebSocket pings.
pub const KEEPALIVE: Duration = Duration::from_secs(15);
/// Time a client has to send `connection_init`.
pub const INIT_TIMEOUT: Duration = Duration::from_secs(10);
/// Largest message accepted from a client.
const MAX_FRAME: usize = 256 * 1024;

/// What the instance knows of its WebSocket connections.
#[derive(Debug, Clone)]
pub struct WsState {
    /// How often a connection checks its credentials again.
    pub revalidate: Duration,
    open: Arc<Mutex<HashMap<String, usize>>>,
}

impl WsState {
    /// With the revalidation interval of the settings.
    pub fn new(revalidate: Duration) -> Self {
        Self { revalidate, open: Arc::default() }
    }

    /// Counts a connection of `who`; `None` when they hold the most already.
    fn admit(&self, who: String) -> Option<Admitted> {
        let mut open = self.open.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let count = open.entry(who.clone()).or_default();
        if *count >= MAX_CONNECTIONS_PER_USER {
            return None;
        }
        *count += 1;
        Some(Admitted { who, open: Arc::clone(&self.open) })
    }
}

/// A counted connection; uncounted when dropped.
struct Admitted {
    who: String,
    open: Arc<Mutex<HashMap<String, usize>>>,
}

impl Drop for Admitted {
    fn drop(&mut self) {
        let mut open = self.open.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(count) = open.get_mut(&self.who) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                open.remove(&self.who);
            }
        }
    }
}

/// The credentials a connection was opened with, kept to check them again.
#[derive(Clone, Debug, Default)]
struct Kept {
    authorization: Option<String>,
    api_key: Option<String>,
}

impl Kept {
    fn from_payload(payload: &Value) -> Self {
        let text = |names: &[&str]| names.iter().find_map(|n| payload.get(*n).and_then(Value::as_str)).map(str::to_owned);
        Self { authorization: text(&["authorization", "Authorization"]), api_key: text(&["apiKey", "x-api-key", "X-Api-Key"]) }
    }

    fn credentials(&self) -> Credentials<'_> {
        Credentials { authorization: self.authorization.as_deref().map(Some), api_key: self.api_key.as_deref().map(Some) }
    }
}

/// What `connection_init` settled, for the connection's loop.
enum Init {
    Accepted { caller: Caller, kept: Kept, admitted: Option<Admitted> },
    Refused { code: u16, reason: String },
}

/// `GET /graphql/ws`: upgrades to a WebSocket speaking one of the protocols.
pub async fn handler(req: HttpRequest, body: web::Payload, state: web::Data<AppState>) -> HttpResponse {
    let offered = req.headers().get_all(header::SEC_WEBSOCKET_PROTOCOL).filter_map(|v| v.to_str().ok()).collect::<Vec<_>>().join(",");
    let Some(protocol) = offered.split(',').map(str::trim).find_map(|p| p.parse::<Protocols>().ok()) else {
        return HttpResponse::BadRequest().json(json!({ "errors": [{
            "message": "open the WebSocket with the graphql-transport-ws protocol (Sec-WebSocket-Protocol: graphql-transport-ws)",
            "extensions": { "code": "BAD_REQUEST" } }] }));
    };
    let (response, session, messages) = match actix_ws::handle_with_protocols(&req, body, &[protocol.sec_websocket_protocol()]) {
        Ok(parts) => parts,
        Err(error) => return HttpResponse::from_error(error),
    };
    let origin = (req.peer_addr().map(|a| a.ip()), req.headers().clone());
    actix_web::rt::spawn(run(state.into_inner(), protocol, session, messages.max_frame_size(MAX_FRAME), origin));
    response
}

fn close(code: u16, reason: &str) -> Option<CloseReason> {
    Some(CloseReason { code: CloseCode::Other(code), description: Some(reason.chars().take(120).collect()) })
}

/// The connection's loop: client frames in, protocol messages out, and the
/// checks of its credentials, until either side closes.
async fn run(
    state: Arc<AppState>,
    protocol: Protocols,
    mut session: actix_ws::Session,
    mut messages: actix_ws::MessageStream,
    (peer, headers): (Option<std::net::IpAddr>, actix_web::http::header::HeaderMap),
) {
    let (to_protocol, from_client) = tokio::sync::mpsc::unbounded_channel::<String>();
    // One answer to `connection_init`: a oneshot (an mpsc channel would
    // allocate a block of 32 of these per connection and keep it).
    let (init_tx, mut init_rx) = tokio::sync::oneshot::channel::<Init>();
    let init_state = Arc::clone(&state);
    let on_init = move |payload: Value| async move {
        let kept = Kept::from_payload(&payload);
        let prepared = prepare(&init_state, kept.credentials(), Origin { peer, headers: &headers }).await;
        match prepared {
            Ok(prepared) => {
                let caller = prepared.context.caller.clone();
                let admitted = match who(&caller) {
                    Some(who) => match init_state.ws.admit(who) {
                        Some(admitted) => Some(admitted),
                        None => {
                            let reason = format!("at most {MAX_CONNECTIONS_PER_USER} connections at once");
                            let _ = init_tx.send(Init::Refused { code: 4429, reason: reason.clone() });
                            return Err(async_graphql::Error::new(reason));
                        }
                    },
                    None => None,
                };
                let _ = init_tx.send(Init::Accepted { caller, kept, admitted });
                let mut data = Data::default();
                data.insert(prepared.context);
                Ok(data)
            }
            Err(refusal) => {
                let (code, reason) = match refusal {
                    Refusal::Unauthenticated(message) => (4403, message),
                    Refusal::RateLimited(_) => (4429, "too many requests: retry later".to_owned()),
                    Refusal::Unavailable => (1013, "the credentials could not be checked: retry later".to_owned()),
                };
                let _ = init_tx.send(Init::Refused { code, reason: reason.clone() });
                Err(async_graphql::Error::new(reason))
            }
        }
    };
    let client = tokio_stream_from(from_client);
    let mut graphql = WebSocket::new(state.schema.clone(), client, protocol).on_connection_init(on_init);

    let mut active: HashSet<String> = HashSet::new();
    let mut accepted: Option<(Caller, Kept, Option<Admitted>)> = None;
    let mut keepalive = tokio::time::interval(KEEPALIVE);
    keepalive.tick().await;
    let mut revalidate = tokio::time::interval(state.ws.revalidate);
    revalidate.tick().await;
    let init_deadline = tokio::time::sleep(INIT_TIMEOUT);
    tokio::pin!(init_deadline);

    let reason = loop {
        tokio::select! {
            frame = messages.recv() => match frame {
                Some(Ok(Message::Text(text))) => match admit(&text, &mut active, protocol) {
                    Admission::Pass => if to_protocol.send(text.to_string()).is_err() { break None; },
                    Admission::Answer(answer) => if session.text(answer).await.is_err() { break None; },
                    Admission::Close(code, reason) => break close(code, &reason),
                },
                Some(Ok(Message::Binary(bytes))) => match std::str::from_utf8(&bytes) {
                    Ok(text) => match admit(text, &mut active, protocol) {
                        Admission::Pass => if to_protocol.send(text.to_owned()).is_err() { break None; },
                        Admission::Answer(answer) => if session.text(answer).await.is_err() { break None; },
                        Admission::Close(code, reason) => break close(code, &reason),
                    },
                    Err(_) => break close(1007, "messages are UTF-8 JSON"),
                },
                Some(Ok(Message::Ping(bytes))) => {
                    if session.pong(&bytes).await.is_err() { break None; }
                }
                Some(Ok(Message::Pong(_) | Message::Continuation(_) | Message::Nop)) => {}
                Some(Ok(Message::Close(_))) | None => break None,
                Some(Err(error)) => break close(1002, &error.to_string()),
            },
            out = graphql.next() => match out {
                Some(WsMessage::Text(text)) => {
                    forget_finished(&text, &mut active);
                    if session.text(text).await.is_err() { break None; }
                }
                Some(WsMessage::Close(code, reason)) => {
                    // A refused `connection_init` closes with our code, not the library's 1002.
                    match init_rx.try_recv() {
                        Ok(Init::Refused { code, reason }) => break close(code, &reason),
                        _ => break close(code, &reason),
                    }
                }
                None => break None,
            },
            // Polled until it answers once (a oneshot must not be polled after that).
            init = &mut init_rx, if accepted.is_none() => match init {
                Ok(Init::Accepted { caller, kept, admitted }) => accepted = Some((caller, kept, admitted)),
                Ok(Init::Refused { code, reason }) => break close(code, &reason),
                // The initialisation ended without a word (it always sends one): do not spin.
                Err(_) => break close(1011, "the connection could not be initialised"),
            },
            () = &mut init_deadline, if accepted.is_none() => break close(4408, "connection initialisation timeout"),
            _ = keepalive.tick() => {
                if session.ping(b"").await.is_err() { break None; }
            }
            _ = revalidate.tick(), if accepted.is_some() => {
                if let Some((caller, kept, _)) = &accepted
                    && let Some(reason) = still_valid(&state, caller, kept).await
                {
                    break reason;
                }
            }
        }
    };
    let _ = session.close(reason).await;
}

/// Why the connection must close now, if it must: its credentials no longer
/// identify anyone (4401), or identify the caller with other rights (4403).
async fn still_valid(state: &AppState, caller: &Caller, kept: &Kept) -> Option<Option<CloseReason>> {
    if matches!(caller, Caller::Anonymous) {
        return None;
    }
    match crate::auth::identify::identify(state.directory.as_ref(), &state.sessions, kept.credentials()).await {
        Ok(now) if &now == caller => None,
        Ok(_) => Some(close(4403, "your access changed: reconnect")),
        Err(crate::auth::identify::IdentifyError::Refused(message)) => Some(close(4401, &message)),
        // Not known to be invalid: check again at the next interval.
        Err(crate::auth::identify::IdentifyError::Unavailable(error)) => {
            tracing::warn!(error = %crate::error::cause_chain(&error), "could not check a WebSocket's credentials again");
            None
        }
    }
}

/// Whom a connection counts against: a user, or an API key.
fn who(caller: &Caller) -> Option<String> {
    match caller {
        Caller::User(u) => Some(format!("user:{}", u.user_id)),
        Caller::ApiKey(k) => Some(format!("key:{}", k.key_id)),
        Caller::Anonymous | Caller::System => None,
    }
}

/// What becomes of a client's message before the protocol machine sees it.
#[derive(Debug, PartialEq, Eq)]
enum Admission {
    /// Passed on.
    Pass,
    /// Answered here instead (beyond the limit: TOO_MANY_SUBSCRIPTIONS).
    Answer(String),
    /// The protocol is broken: close with this code and reason.
    Close(u16, String),
}

/// A client's `subscribe` (`start` in the legacy protocol) beyond the limit is
/// answered with TOO_MANY_SUBSCRIPTIONS instead of reaching the protocol
/// machine; one reusing the id of a running operation closes the socket with
/// 4409, as graphql-transport-ws requires; the operations admitted are
/// remembered until they finish.
fn admit(text: &str, active: &mut HashSet<String>, protocol: Protocols) -> Admission {
    match admit_operation(text, active, protocol) {
        Ok(None) => Admission::Pass,
        Ok(Some(answer)) => Admission::Answer(answer),
        Err(id) => Admission::Close(4409, format!("Subscriber for {id} already exists")),
    }
}

fn admit_operation(text: &str, active: &mut HashSet<String>, protocol: Protocols) -> Result<Option<String>, String> {
    let Ok(message) = serde_json::from_str::<Value>(text) else { return Ok(None) };
    let Some(id) = message.get("id").and_then(Value::as_str) else { return Ok(None) };
    match message.get("type").and_then(Value::as_str) {
        Some("subscribe" | "start") => {
            if active.contains(id) {
                return Err(id.chars().take(64).collect());
            }
            if active.len() < MAX_SUBSCRIPTIONS {
                active.insert(id.to_owned());
                return Ok(None);
            }
            let error = json!([{
                "message": format!("at most {MAX_SUBSCRIPTIONS} operations at once on one connection: complete one first"),
                "extensions": { "code": "TOO_MANY_SUBSCRIPTIONS" },
            }]);
            let _ = protocol; // both protocols answer an operation's failure with `error`
            Ok(Some(json!({ "id": id, "type": "error", "payload": error }).to_string()))
        }
        Some("complete" | "stop") => {
            active.remove(id);
            Ok(None)
        }
        _ => Ok(None),
    }
}

/// Forgets operations the server finished (`complete` or `error`).
fn forget_finished(text: &str, active: &mut HashSet<String>) {
    if !text.contains("\"complete\"") && !text.contains("\"error\"") {
        return;
    }
    if let Ok(message) = serde_json::from_str::<Value>(text)
        && matches!(message.get("type").and_then(Value::as_str), Some("complete" | "error"))
        && let Some(id) = message.get("id").and_then(Value::as_str)
    {
        active.remove(id);
    }
}

/// The client's messages as a stream for the protocol machine.
fn tokio_stream_from(mut rx: tokio::sync::mpsc::UnboundedReceiver<String>) -> impl futures_util::Stream<Item = String> + Send + 'static {
    futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operations_beyond_the_limit_are_refused_until_one_finishes() {
        let mut active = HashSet::new();
        for i in 0..MAX_SUBSCRIPTIONS {
            let text = json!({ "id": i.to_string(), "type": "subscribe", "payload": { "query": "subscription { x }" } }).to_string();
            assert_eq!(admit(&text, &mut active, Protocols::GraphQLWS), Admission::Pass);
        }
        let next = json!({ "id": "next", "type": "subscribe", "payload": {} }).to_string();
        let Admission::Answer(refused) = admit(&next, &mut active, Protocols::GraphQLWS) else { panic!("refused") };
        assert!(refused.contains("TOO_MANY_SUBSCRIPTIONS") && refused.contains("\"next\""), "{refused}");
        forget_finished(&json!({ "id": "3", "type": "complete" }).to_string(), &mut active);
        assert_eq!(admit(&next, &mut active, Protocols::GraphQLWS), Admission::Pass);
        // The id of a running operation again: the protocol is broken.
        assert_eq!(
            admit(&next, &mut active, Protocols::GraphQLWS),
            Admission::Close(4409, "Subscriber for next already exists".to_owned())
        );
        // Not JSON, or no id: for the protocol machine to judge.
        assert_eq!(admit("not json", &mut active, Protocols::GraphQLWS), Admission::Pass);
    }

    #[test]
    fn credentials_come_from_the_init_payload() {
        let kept = Kept::from_payload(&json!({ "authorization": "Bearer abc" }));
        assert_eq!(kept.authorization.as_deref(), Some("Bearer abc"));
        let kept = Kept::from_payload(&json!({ "apiKey": "cg_x" }));
        assert_eq!(kept.api_key.as_deref(), Some("cg_x"));
        assert!(Kept::from_payload(&Value::Null).authorization.is_none());
    }
}
