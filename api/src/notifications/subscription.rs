//! Subscription of notifications: `notificationAdded`, the caller's own.

use async_graphql::{Context, Result, Subscription};
use futures_util::{Stream, StreamExt, stream};

use super::{service, types::Notification};
use crate::graphql::{
    context::{db, policy, request},
    subscription::{events, lagged},
};

/// Subscriptions of notifications.
#[derive(Default)]
pub struct NotificationSubscription;

#[Subscription]
impl NotificationSubscription {
    /// Each notification written to the signed-in user's inbox from now on
    /// (reminders such as an approval ending soon are not pushed: they are in
    /// `notifications`). Signed-in, verified users only. A subscriber too
    /// slow to keep up receives SUBSCRIPTION_LAGGED and the subscription ends:
    /// read `notifications` to catch up.
    async fn notification_added(&self, ctx: &Context<'_>) -> Result<impl Stream<Item = Result<Notification>> + use<>> {
        let user = policy(ctx)?.verified_user(&request(ctx)?.caller)?.user_id;
        let db = db(ctx)?.clone();
        let concerns = |event: &crate::events::HubEvent| service::NOTIFYING_EVENTS.contains(&event.event_type.as_str());
        Ok(events(ctx, concerns)?
            .then(move |item| {
                let db = db.clone();
                async move {
                    let event = item.map_err(|_| lagged())?;
                    Ok::<_, async_graphql::Error>(service::of_event(&db, event.id, user).await?)
                }
            })
            .flat_map(|rows: Result<Vec<entity::notification::Model>>| match rows {
                Ok(rows) => stream::iter(rows.into_iter().map(|m| Ok(Notification(m))).collect::<Vec<_>>()),
                Err(error) => stream::iter(vec![Err(error)]),
            }))
    }
}
