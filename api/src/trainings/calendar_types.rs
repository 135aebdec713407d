//! GraphQL types of private calendar feeds.

use async_graphql::{ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};

use crate::graphql::{
    relay::{NodeKind, encode_uuid},
    user_error::{UserError, payload},
};

/// A private calendar feed: the sessions its user registered for, as an
/// iCalendar (RFC 5545) feed at a secret URL that calendar applications
/// subscribe to. Its URL is shown once, when made.
#[derive(Clone, Debug)]
pub struct CalendarFeed(pub entity::calendar_feed::Model);

impl CalendarFeed {
    /// The type of its global IDs.
    pub const KIND: NodeKind = NodeKind::new("CalendarFeed");
}

/// A private calendar feed of the sessions its user registered for (its
/// secret URL is shown once, by `createCalendarFeed`).
#[Object]
impl CalendarFeed {
    /// Global ID (for `revokeCalendarFeed`).
    async fn id(&self) -> ID {
        encode_uuid(Self::KIND, self.0.id)
    }

    /// When it was made.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// When it was revoked (null while it works): its URL answers 404 since.
    async fn revoked_at(&self) -> Option<DateTime<Utc>> {
        self.0.revoked_at
    }
}

/// Result of `createCalendarFeed`.
#[derive(SimpleObject)]
pub struct CreateCalendarFeedPayload {
    /// The new feed; null when there are user errors.
    pub feed: Option<CalendarFeed>,
    /// Its secret URL, relative to the API's origin (`/calendar/<secret>.ics`),
    /// shown this once: whoever holds it reads the feed, online links
    /// included. Subscribe to it (or to `webcal://` with the same host and
    /// path); revoke it when it leaks.
    pub url: Option<String>,
    /// What the caller must fix; empty on success.
    pub user_errors: Vec<UserError>,
}

/// Input of `revokeCalendarFeed`.
#[derive(InputObject)]
pub struct RevokeCalendarFeedInput {
    /// The feed (one of yours).
    pub feed: ID,
}

payload! {
    /// Result of `revokeCalendarFeed`.
    RevokeCalendarFeedPayload { feed: CalendarFeed, "The revoked feed" }
}
