//! Mutation root of notifications.

use async_graphql::{Context, Object, Result};
use uuid::Uuid;

use super::{
    service::{self, MarkRead},
    types::{MarkNotificationsReadInput, MarkNotificationsReadPayload, Notification},
};
use crate::graphql::{
    context::{clock, db, policy, request},
    relay::decode_uuid,
    user_error::outcome,
};

/// Mutations of notifications.
#[derive(Default)]
pub struct NotificationMutation;

#[Object]
impl NotificationMutation {
    /// Marks the signed-in user's notifications read: those of `ids` (up to
    /// 100; another user's are left alone and not counted), or `all`.
    /// Giving both or neither is INVALID.
    async fn mark_notifications_read(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which notifications.")] input: MarkNotificationsReadInput,
    ) -> Result<MarkNotificationsReadPayload> {
        let user = policy(ctx)?.verified_user(&request(ctx)?.caller)?.user_id;
        let ids: Option<Vec<Uuid>> = match input.ids {
            Some(ids) => Some(ids.iter().map(|id| decode_uuid(id, Notification::KIND)).collect::<Result<_, _>>()?),
            None => None,
        };
        let which = MarkRead { ids, all: input.all.unwrap_or(false) };
        let (marked, user_errors) = outcome(service::mark_read(db(ctx)?, clock(ctx)?, user, &which).await, |n| n)?;
        Ok(MarkNotificationsReadPayload { marked: marked.map_or(0, |n| i32::try_from(n).unwrap_or(i32::MAX)), user_errors })
    }
}
