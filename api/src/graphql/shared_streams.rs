//! One execution per distinct subscription, shared by every WebSocket
//! operation that asks for it: the same caller (the same session, key or
//! anonymity), in the same language, with the same document, operation and
//! variables gets the same answers, so thousands of
//! such subscriptions (a session's seats on a public page) run the
//! subscription once per event and each receives a copy of its answer,
//! instead of each executing the selection again. The policy decided for
//! that caller when the shared execution began and decides again on every
//! event inside it, exactly as for a subscription of its own.
//!
//! The client's address and agent are not part of what makes two the same:
//! only mutations read them (sign-up and password throttles), never a
//! subscription, so anonymous viewers of a public page share one execution.
//!
//! An operation that joins a running execution receives its answers from
//! then on. That is all any subscription of this API sends (each answers
//! events, none a snapshot when it starts); one that began with a snapshot
//! would have to be left out of sharing, or its joiners would miss it.
//!
//! The shared execution runs on a task of its own while any operation holds
//! it, and ends with the last one. An operation that joins one which ended
//! before answering it anything (its subscription was refused, say) runs
//! its own execution instead, so it gets its own answer. One that falls
//! [`CAPACITY`] answers behind gets SUBSCRIPTION_LAGGED and ends.

use std::{
    collections::HashMap,
    sync::{
        Arc, Mutex, Weak,
        atomic::{AtomicU64, Ordering},
    },
};

use async_graphql::{Data, Request, Response, parser::types::OperationType};
use futures_util::{StreamExt, stream::BoxStream};
use tokio::sync::broadcast::{self, error::RecvError};

use super::context::RequestContext;
use crate::error::{ApiError, ErrorCode};

/// Answers an operation may fall behind the shared execution before it ends.
pub const CAPACITY: usize = 1024;

type Entries = Mutex<HashMap<String, (u64, Weak<Upstream>)>>;

/// The shared executions of an instance, by what makes them the same.
#[derive(Default)]
pub struct SharedStreams {
    entries: Arc<Entries>,
    next_id: AtomicU64,
}

/// A running shared execution; stopped when its last operation goes.
struct Upstream {
    /// Taken when the execution ends, so that its operations end too.
    tx: Mutex<Option<broadcast::Sender<Arc<Response>>>>,
    task: Mutex<Option<tokio::task::AbortHandle>>,
}

impl Drop for Upstream {
    fn drop(&mut self) {
        if let Some(task) = self.task.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take() {
            task.abort();
        }
    }
}

/// What makes two subscriptions the same, or `None` for an operation that
/// is not a subscription (or whose request carries no caller).
pub fn key(request: &Request, session: Option<&Data>) -> Option<String> {
    let context = session?.get(&std::any::TypeId::of::<RequestContext>())?.downcast_ref::<RequestContext>()?;
    let document = async_graphql::parser::parse_query(&request.query).ok()?;
    let operation = match (&request.operation_name, document.operations.iter().collect::<Vec<_>>().as_slice()) {
        (None, [(_, only)]) => (*only).clone(),
        (Some(wanted), operations) => {
            operations.iter().find(|(name, _)| name.map(|n| n.as_str()) == Some(wanted.as_str())).map(|(_, op)| (*op).clone())?
        }
        (None, _) => return None,
    };
    if operation.node.ty != OperationType::Subscription {
        return None;
    }
    let variables = serde_json::to_string(&request.variables).ok()?;
    Some(format!(
        "{:?}\u{1f}{:?}\u{1f}{:?}\u{1f}{variables}\u{1f}{}",
        context.caller, context.locale, request.operation_name, request.query
    ))
}

/// A copy of an answer for one more operation.
fn copy(response: &Response) -> Response {
    let mut copy = Response::new(response.data.clone());
    copy.errors = response.errors.clone();
    copy.extensions = response.extensions.clone();
    copy
}

fn lagged() -> Response {
    Response::from_errors(vec![super::errors::coded_error(ApiError::SubscriptionLagged.to_string(), None, ErrorCode::SubscriptionLagged)])
}

/// What an operation's stream is reading.
enum Reading<F> {
    /// The shared execution; until it answers, `fallback` starts one of its
    /// own should it end without a word.
    Shared { rx: broadcast::Receiver<Arc<Response>>, _upstream: Arc<Upstream>, fallback: Option<F> },
    /// Its own execution.
    Own(BoxStream<'static, Response>),
}

impl SharedStreams {
    /// The answers of the subscription `key` names: those of its running
    /// shared execution from now on, or of a new one that `start` begins.
    pub fn join<F>(&self, key: String, start: F) -> BoxStream<'static, Response>
    where
        F: FnOnce() -> BoxStream<'static, Response> + Send + 'static,
    {
        let mut entries = self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(upstream) = entries.get(&key).and_then(|(_, weak)| weak.upgrade()) {
            drop(entries);
            let rx = upstream.tx.lock().unwrap_or_else(std::sync::PoisonError::into_inner).as_ref().map(broadcast::Sender::subscribe);
            return match rx {
                Some(rx) => Self::read(Reading::Shared { rx, _upstream: upstream, fallback: Some(start) }),
                // It has just ended: an execution of its own.
                None => start(),
            };
        }
        let (tx, rx) = broadcast::channel(CAPACITY);
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let sender = tx.clone();
        let upstream = Arc::new(Upstream { tx: Mutex::new(Some(tx)), task: Mutex::new(None) });
        let this = Arc::downgrade(&upstream);
        let registry = Arc::downgrade(&self.entries);
        let ended_key = key.clone();
        let task = tokio::spawn(async move {
            let mut answers = start();
            while let Some(answer) = answers.next().await {
                // None listening: the last operation is going, and aborts this task.
                let _ = sender.send(Arc::new(answer));
            }
            // Ended: its operations end once they have read what was sent,
            // and later ones start afresh rather than join it.
            drop(sender);
            if let Some(upstream) = this.upgrade() {
                upstream.tx.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take();
            }
            if let Some(registry) = registry.upgrade() {
                let mut entries = registry.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                if entries.get(&ended_key).is_some_and(|(entry, _)| *entry == id) {
                    entries.remove(&ended_key);
                }
            }
        });
        *upstream.task.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = Some(task.abort_handle());
        entries.retain(|_, (_, weak)| weak.strong_count() > 0);
        entries.insert(key, (id, Arc::downgrade(&upstream)));
        drop(entries);
        Self::read::<F>(Reading::Shared { rx, _upstream: upstream, fallback: None })
    }

    fn read<F>(reading: Reading<F>) -> BoxStream<'static, Response>
    where
        F: FnOnce() -> BoxStream<'static, Response> + Send + 'static,
    {
        futures_util::stream::unfold(Some(reading), |state| async move {
            let mut reading = state?;
            loop {
                match reading {
                    Reading::Own(mut own) => return own.next().await.map(|answer| (answer, Some(Reading::Own(own)))),
                    Reading::Shared { mut rx, _upstream, fallback } => match rx.recv().await {
                        Ok(answer) => {
                            let answer = copy(&answer);
                            // Answered: it will never need an execution of its own.
                            drop(fallback);
                            return Some((answer, Some(Reading::Shared { rx, _upstream, fallback: None })));
                        }
                        Err(RecvError::Lagged(skipped)) => {
                            tracing::warn!(skipped, "a subscriber fell behind its shared subscription: it ends");
                            return Some((lagged(), None));
                        }
                        Err(RecvError::Closed) => match fallback {
                            Some(start) => reading = Reading::Own(start()),
                            None => return None,
                        },
                    },
                }
            }
        })
        .boxed()
    }

    /// Shared executions running (for tests and metrics).
    pub fn running(&self) -> usize {
        self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner).values().filter(|(_, weak)| weak.strong_count() > 0).count()
    }
}
