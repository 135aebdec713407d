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
