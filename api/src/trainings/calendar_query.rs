//! Query root of private calendar feeds.

use async_graphql::{Context, Object, Result};

use super::{calendar, calendar_types::CalendarFeed};
use crate::graphql::context::{db, policy, request};

/// Queries of calendar feeds.
#[derive(Default)]
pub struct CalendarFeedQuery;

#[Object]
impl CalendarFeedQuery {
    /// Your private calendar feed, while it works (null when you have none).
    /// Its URL is not shown again: make a new feed to get one (the old URL
    /// stops working). Signed-in users only (else UNAUTHENTICATED).
    async fn my_calendar_feed(&self, ctx: &Context<'_>) -> Result<Option<CalendarFeed>> {
        let user = policy(ctx)?.authorize_calendar_feed(&request(ctx)?.caller)?;
        Ok(calendar::live_feed_of(db(ctx)?, user).await?.map(CalendarFeed))
    }
}
