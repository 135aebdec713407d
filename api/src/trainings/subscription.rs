//! Subscriptions of trainings: `trainingSeatsChanged(session:)`, public
//! like the session itself (a draft's only for its managers): each time a
//! registration, a cancellation, a promotion or a change of the session
//! moves its seats, the subscriber receives the seats left and the length of
//! the waitlist, read afresh.

use async_graphql::{Context, ID, Result, SimpleObject, Subscription};
use entity::enums;
use futures_util::{Stream, StreamExt};

use super::{registration_service, service, types::TrainingSession, types::TrainingSessionStatus};
use crate::{
    auth::Policy,
    error::ApiError,
    events::HubEvent,
    graphql::{
        context::{db, request},
        relay::{decode_uuid, encode_uuid},
        subscription::{SharedReads, events, lagged},
    },
};

/// Event types that move a session's seats.
const SEAT_EVENTS: [&str; 6] = [
    "training_registration.created",
    "training_registration.cancelled",
    "training_registration.promoted",
    "training_session.updated",
    "training_session.cancelled",
    "training_session.completed",
];

/// A session's seats, as they are after a change.
#[derive(SimpleObject, Clone, Debug)]
pub struct TrainingSeats {
    /// The session's global ID.
    pub session: ID,
    /// Seats.
    pub capacity: i32,
    /// Seats still free (0 when full, cancelled or completed).
    pub seats_left: i32,
    /// People waiting for a seat.
    pub waitlist_length: i32,
    /// Where the session stands.
    pub status: TrainingSessionStatus,
}

/// Subscriptions of trainings.
#[derive(Default)]
pub struct TrainingSubscription;

#[Subscription]
impl TrainingSubscription {
    /// The seats of a session each time they change (a registration, a
    /// cancellation, a promotion from the waitlist, a new capacity, the
    /// session cancelled or completed). Anyone may subscribe to a session they
    /// may see; one they may not is NOT_FOUND. A subscriber too slow to keep
    /// up receives a SUBSCRIPTION_LAGGED error and the subscription ends.
    async fn training_seats_changed(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The session (`TrainingSession.id`).")] session: ID,
    ) -> Result<impl Stream<Item = Result<TrainingSeats>> + use<>> {
        let id = decode_uuid(&session, TrainingSession::KIND)?;
        let db = db(ctx)?.clone();
        let reader = Policy.training_reader(&request(ctx)?.caller);
        if service::sessions_by_ids(&db, &reader, &[id]).await?.is_empty() {
            return Err(ApiError::NotFound("session").into());
        }
        // Seats are public: every subscriber of the session shares one read
        // per event (thousands of subscribers, one statement). A session
        // seen at subscription stays visible: a published training never
        // returns to DRAFT.
        let shared = ctx
            .data::<std::sync::Arc<SharedReads>>()
            .map_err(|_| ApiError::internal(std::io::Error::other("shared reads missing")))?
            .clone();
        let concerns = move |event: &HubEvent| SEAT_EVENTS.contains(&event.event_type.as_str()) && event.uuid("session") == Some(id);
        Ok(events(ctx, concerns)?.then(move |item| {
            let (db, shared) = (db.clone(), shared.clone());
            async move {
                let event = item.map_err(|_| lagged())?;
                let read = async move {
                    let Some(row) = service::session_by_id(&db, id).await? else { return Err(ApiError::NotFound("session").into()) };
                    let waitlist =
                        registration_service::session_count(&db, id, Some(enums::TrainingRegistrationStatus::Waitlisted)).await?;
                    Ok::<_, async_graphql::Error>(seats(&row, waitlist))
                };
                (*shared.get_or_read(format!("{}:{id}", event.id), read).await).clone()
            }
        }))
    }
}

fn seats(row: &entity::training_session::Model, waitlist: u64) -> TrainingSeats {
    TrainingSeats {
        session: encode_uuid(TrainingSession::KIND, row.id),
        capacity: row.capacity,
        seats_left: service::seats_left(row),
        waitlist_length: i32::try_from(waitlist).unwrap_or(i32::MAX),
        status: row.status.into(),
    }
}
