//! Mutation root of private calendar feeds: thin glue over
//! [`super::calendar`].

use async_graphql::{Context, Object, Result};

use super::{
    calendar,
    calendar_types::{CalendarFeed, CreateCalendarFeedPayload, RevokeCalendarFeedInput, RevokeCalendarFeedPayload},
};
use crate::{
    events::published,
    graphql::{
        context::{bus, clock, db, request},
        relay::decode_uuid,
        user_error::outcome,
    },
};

/// Mutations of calendar feeds.
#[derive(Default)]
pub struct CalendarFeedMutation;

#[Object]
impl CalendarFeedMutation {
    /// Makes your private calendar feed of the sessions you registered for,
    /// and answers its secret URL, this once. You have one feed at a time:
    /// making one revokes the last (its URL answers 404 from now on).
    /// Signed-in users only (else UNAUTHENTICATED; API keys FORBIDDEN).
    async fn create_calendar_feed(&self, ctx: &Context<'_>) -> Result<CreateCalendarFeedPayload> {
        let written = calendar::create_feed(db(ctx)?, clock(ctx)?, &request(ctx)?.caller).await;
        let (issued, user_errors) = outcome(published(bus(ctx)?, written).await, |v| v)?;
        Ok(match issued {
            Some(issued) => CreateCalendarFeedPayload {
                url: Some(calendar::private_feed_path(&issued.secret)),
                feed: Some(CalendarFeed(issued.feed)),
                user_errors,
            },
            None => CreateCalendarFeedPayload { feed: None, url: None, user_errors },
        })
    }

    /// Revokes one of your calendar feeds: its URL answers 404 at once.
    /// Another user's feed is NOT_FOUND, as an unknown one; a revoked one
    /// INVALID_TRANSITION.
    async fn revoke_calendar_feed(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The feed.")] input: RevokeCalendarFeedInput,
    ) -> Result<RevokeCalendarFeedPayload> {
        let id = decode_uuid(&input.feed, CalendarFeed::KIND)?;
        let written = calendar::revoke_feed(db(ctx)?, clock(ctx)?, &request(ctx)?.caller, id).await;
        let (feed, user_errors) = outcome(published(bus(ctx)?, written).await, CalendarFeed)?;
        Ok(RevokeCalendarFeedPayload { feed, user_errors })
    }
}
