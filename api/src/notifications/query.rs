//! Query root of notifications.

use async_graphql::{Context, Object, Result};

use super::{service, types::Notification};
use crate::graphql::{
    connection::{Conn, TotalCount, from_page},
    context::{db, policy, request},
};
use crate::pagination::PageRequest;

/// Queries of notifications.
#[derive(Default)]
pub struct NotificationQuery;

#[Object]
impl NotificationQuery {
    /// The signed-in user's notifications, newest first (`unreadOnly`: those
    /// not marked read; `totalCount` then counts the unread). Signed-in,
    /// verified users only (UNAUTHENTICATED, EMAIL_NOT_VERIFIED).
    #[graphql(complexity = "first.unwrap_or(0).clamp(0, 100) as usize * child_complexity + 5")]
    async fn notifications(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only those not marked read.", default)] unread_only: bool,
        #[graphql(desc = "Returns the first n items (0 to 100).")] first: Option<i32>,
        #[graphql(desc = "Returns the items after this cursor.")] after: Option<String>,
    ) -> Result<Conn<Notification>> {
        let page = PageRequest::from_args(first, after.as_deref(), None, None)?;
        let user = policy(ctx)?.verified_user(&request(ctx)?.caller)?.user_id;
        let db = db(ctx)?.clone();
        let rows = service::page(&db, user, unread_only, &page).await?;
        let total = TotalCount::lazy(move || {
            let db = db.clone();
            Box::pin(async move { service::count(&db, user, unread_only).await })
        });
        Ok(from_page(rows, total, Notification))
    }
}
