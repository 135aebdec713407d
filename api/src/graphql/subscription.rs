//! What every subscription shares: a stream of the events that concern it,
//! read from the instance's [`Hub`], ending with SUBSCRIPTION_LAGGED when
//! the subscriber fell too far behind (never a silent gap).

use std::sync::Arc;

use async_graphql::Context;
use futures_util::Stream;
use tokio::sync::broadcast::error::RecvError;

use crate::{
    error::ApiError,
    events::{Hub, HubEvent},
};

/// The subscriber fell behind: the events between are lost to it.
#[derive(Clone, Copy, Debug)]
pub struct Lagged;

/// The error that ends a subscription that fell behind.
pub fn lagged() -> ApiError {
    ApiError::SubscriptionLagged
}

/// The events `concerns` keeps, from now on; after a [`Lagged`] item the stream ends.
pub fn events<F>(ctx: &Context<'_>, concerns: F) -> Result<impl Stream<Item = Result<Arc<HubEvent>, Lagged>> + use<F>, ApiError>
where
    F: Fn(&HubEvent) -> bool + Send + Sync + 'static,
{
    let hub = ctx.data::<Hub>().map_err(|_| ApiError::internal(std::io::Error::other("the event hub is missing")))?;
    let rx = hub.subscribe();
    // Each event is answered with values read afresh, not what the
    // connection's loaders cached for an earlier one.
    let forgetter = super::context::request(ctx)?.forgetter();
    Ok(futures_util::stream::unfold(Some((rx, concerns, forgetter)), |state| async move {
        let (mut rx, concerns, forgetter) = state?;
        loop {
            match rx.recv().await {
                Ok(event) if concerns(&event) => {
                    forgetter.forget();
                    return Some((Ok(event), Some((rx, concerns, forgetter))));
                }
                Ok(_) => {}
                Err(RecvError::Lagged(skipped)) => {
                    tracing::warn!(skipped, "a subscriber fell behind: its subscription ends");
                    return Some((Err(Lagged), None));
                }
                Err(RecvError::Closed) => return None,
            }
        }
    }))
}

/// Reads shared by every subscriber of an instance: when one event concerns
/// thousands of subscriptions that show the same public value (a session's
/// seats), the first to ask reads it and the others wait for that read
/// instead of each reading the database. Keyed by what was read and the
/// event; the oldest keys are dropped past [`SharedReads::CAPACITY`].
#[derive(Default)]
pub struct SharedReads {
    entries: std::sync::Mutex<(std::collections::HashMap<String, SharedEntry>, std::collections::VecDeque<String>)>,
}

type SharedEntry = Arc<tokio::sync::OnceCell<Arc<dyn std::any::Any + Send + Sync>>>;

impl SharedReads {
    /// Keys kept.
    pub const CAPACITY: usize = 1024;

    /// The value of `key`, read by `read` once for all who ask while it is kept.
    pub async fn get_or_read<T, F>(&self, key: String, read: F) -> Arc<T>
    where
        T: Send + Sync + 'static,
        F: std::future::Future<Output = T>,
    {
        // One key is one type: the type's name is part of it.
        let key = format!("{}:{key}", std::any::type_name::<T>());
        let cell = {
            let mut guard = self.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            let (map, order) = &mut *guard;
            if let Some(cell) = map.get(&key) {
                Arc::clone(cell)
            } else {
                let cell: SharedEntry = Arc::default();
                map.insert(key.clone(), Arc::clone(&cell));
                order.push_back(key);
                while order.len() > Self::CAPACITY {
                    if let Some(old) = order.pop_front() {
                        map.remove(&old);
                    }
                }
                cell
            }
        };
        let value = cell.get_or_init(|| async { Arc::new(read.await) as Arc<dyn std::any::Any + Send + Sync> }).await;
        match Arc::clone(value).downcast::<T>() {
            Ok(typed) => typed,
            Err(_) => unreachable!("the key holds the type's name, so its value is of that type"),
        }
    }
}
