//! Mutation root of notifications.

use async_graphql::{Context, Object, Result};
use uuid::Uuid;

use super::{
    service::{self, MAX_MARKED},
    types::{MarkNotificationsReadInput, MarkNotificationsReadPayload, Notification},
};
use crate::{
    graphql::{
        context::{clock, db, policy, request},
        relay::decode_uuid,
    },
    user_errors::{Errors, UserErrorCode, WriteError},
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
        let mut errors = Errors::default();
        let all = input.all.unwrap_or(false);
        match (&input.ids, all) {
            (Some(_), true) | (None, false) => errors.add(&["ids"], UserErrorCode::Invalid, "give either `ids` or `all: true`"),
            (Some(ids), false) if ids.len() > MAX_MARKED => {
                errors.add(&["ids"], UserErrorCode::TooMany, format!("at most {MAX_MARKED} at once (or `all: true`)"));
            }
            _ => {}
        }
        if let Err(WriteError::Invalid(list)) = errors.ok() {
            return Ok(MarkNotificationsReadPayload { marked: 0, user_errors: list.into_iter().map(Into::into).collect() });
        }
        let ids: Option<Vec<Uuid>> = match input.ids {
            Some(ids) => Some(ids.iter().map(|id| decode_uuid(id, Notification::KIND)).collect::<Result<_, _>>()?),
            None => None,
        };
        let marked = service::mark_read(db(ctx)?, clock(ctx)?, user, ids.as_deref()).await?;
        Ok(MarkNotificationsReadPayload { marked: i32::try_from(marked).unwrap_or(i32::MAX), user_errors: Vec::new() })
    }
}
