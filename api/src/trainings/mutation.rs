//! Mutation root of trainings: resolvers decode their input, call one
//! write, and shape its outcome.

use async_graphql::{Context, ID, Object, Result};
use entity::enums;

use super::{
    sessions::{self, SessionChanges, SessionInput},
    types::{
        ArchiveTrainingPayload, CancelTrainingSessionInput, CancelTrainingSessionPayload, CreateTrainingInput, CreateTrainingPayload,
        PublishTrainingPayload, ScheduleTrainingSessionInput, ScheduleTrainingSessionPayload, Training, TrainingSession,
        TrainingStatusInput, UpdateTrainingInput, UpdateTrainingPayload, UpdateTrainingSessionInput, UpdateTrainingSessionPayload,
    },
    write::{self, CoOrganizer, TrainingChanges, TrainingInput},
};
use crate::{
    donors::types::Donor,
    error::ApiError,
    events::published,
    graphql::{
        context::{bus, clock, db, request},
        relay::{decode, decode_uuid, not_an_id},
        user_error::outcome,
    },
    organizations::types::Organization,
    partners::types::Partner,
};

/// Decodes co-organizers: IDs of donors and organizations (INVALID_ID for
/// any other).
fn co_organizers(ids: &[ID]) -> Result<Vec<CoOrganizer>, ApiError> {
    ids.iter()
        .map(|id| {
            let global = decode(id)?;
            let key = uuid::Uuid::parse_str(&global.key).map_err(|_| not_an_id(id))?;
            if global.kind == Donor::KIND.name() {
                Ok(CoOrganizer::Donor(key))
            } else if global.kind == Organization::KIND.name() {
                Ok(CoOrganizer::Organization(key))
            } else {
                Err(ApiError::InvalidId("a co-organizer is the ID of a Donor or an Organization".to_owned()))
            }
        })
        .collect()
}

/// Mutations of trainings.
#[derive(Default)]
pub struct TrainingMutation;

#[Object]
impl TrainingMutation {
    /// Creates a DRAFT training organized by a partner (its admins and
    /// program managers, platform admins). Every user error at once
    /// (BLANK, TOO_LONG, INVALID, TOO_MANY, DUPLICATE, TAKEN, UNKNOWN_TOPIC);
    /// nothing is written on any.
    async fn create_training(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The training.")] input: CreateTrainingInput,
    ) -> Result<CreateTrainingPayload> {
        let training = TrainingInput {
            partner: decode_uuid(&input.partner, Partner::KIND)?,
            slug: input.slug,
            title: input.title,
            summary: input.summary,
            description: input.description,
            level: input.level.into(),
            format: input.format.into(),
            topics: input.topics,
            languages: input.languages,
            materials: input.materials,
            co_organizers: co_organizers(&input.co_organizers)?,
        };
        let written = write::create(db(ctx)?, clock(ctx)?, &request(ctx)?.caller, training).await;
        let (training, user_errors) = outcome(published(bus(ctx)?, written).await, Training)?;
        Ok(CreateTrainingPayload { training, user_errors })
    }

    /// Changes a training (same callers as `createTraining`): the fields
    /// given, checked as `createTraining` checks them. An `expectedVersion`
    /// that is no longer the training's is STALE_VERSION; an archived
    /// training is ARCHIVED.
    async fn update_training(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The training and its changes.")] input: UpdateTrainingInput,
    ) -> Result<UpdateTrainingPayload> {
        let changes = TrainingChanges {
            training: decode_uuid(&input.training, Training::KIND)?,
            expected_version: input.expected_version,
            slug: input.slug,
            title: input.title,
            summary: input.summary,
            description: input.description,
            level: input.level.map(Into::into),
            format: input.format.map(Into::into),
            topics: input.topics,
            languages: input.languages,
            materials: input.materials,
            co_organizers: input.co_organizers.as_deref().map(co_organizers).transpose()?,
        };
        let written = write::update(db(ctx)?, clock(ctx)?, &request(ctx)?.caller, changes).await;
        let (training, user_errors) = outcome(published(bus(ctx)?, written).await, Training)?;
        Ok(UpdateTrainingPayload { training, user_errors })
    }

    /// Publishes a DRAFT training: everyone sees it (another status is
    /// INVALID_TRANSITION).
    async fn publish_training(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The training and the version you read.")] input: TrainingStatusInput,
    ) -> Result<PublishTrainingPayload> {
        let id = decode_uuid(&input.training, Training::KIND)?;
        let written =
            write::transition(db(ctx)?, clock(ctx)?, &request(ctx)?.caller, id, input.expected_version, enums::TrainingStatus::Published)
                .await;
        let (training, user_errors) = outcome(published(bus(ctx)?, written).await, Training)?;
        Ok(PublishTrainingPayload { training, user_errors })
    }

    /// Archives a training: it is no longer listed nor changes; it stays
    /// readable by ID.
    async fn archive_training(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The training and the version you read.")] input: TrainingStatusInput,
    ) -> Result<ArchiveTrainingPayload> {
        let id = decode_uuid(&input.training, Training::KIND)?;
        let written =
            write::transition(db(ctx)?, clock(ctx)?, &request(ctx)?.caller, id, input.expected_version, enums::TrainingStatus::Archived)
                .await;
        let (training, user_errors) = outcome(published(bus(ctx)?, written).await, Training)?;
        Ok(ArchiveTrainingPayload { training, user_errors })
    }

    /// Schedules a session of a training (its managers). Every user error at
    /// once (ENDS_BEFORE_START, DEADLINE_AFTER_START, UNKNOWN_TIME_ZONE,
    /// UNKNOWN_COUNTRY, OUT_OF_RANGE, BLANK, INVALID); nothing is written on any.
    async fn schedule_training_session(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The session.")] input: ScheduleTrainingSessionInput,
    ) -> Result<ScheduleTrainingSessionPayload> {
        let training = decode_uuid(&input.training, Training::KIND)?;
        let session = SessionInput {
            starts_at: input.starts_at,
            ends_at: input.ends_at,
            time_zone: input.time_zone,
            venue_address: input.venue_address,
            venue_city: input.venue_city,
            country: input.country,
            online_url: input.online_url,
            capacity: input.capacity,
            registration_deadline: input.registration_deadline,
        };
        let written = sessions::schedule(db(ctx)?, clock(ctx)?, &request(ctx)?.caller, training, session).await;
        let (session, user_errors) = outcome(published(bus(ctx)?, written).await, TrainingSession)?;
        Ok(ScheduleTrainingSessionPayload { session, user_errors })
    }

    /// Changes a SCHEDULED session (its training's managers), checked as
    /// `scheduleTrainingSession` checks a new one; STALE_VERSION when it
    /// changed since you read it.
    async fn update_training_session(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The session and its changes.")] input: UpdateTrainingSessionInput,
    ) -> Result<UpdateTrainingSessionPayload> {
        let changes = SessionChanges {
            session: decode_uuid(&input.session, TrainingSession::KIND)?,
            expected_version: input.expected_version,
            starts_at: input.starts_at,
            ends_at: input.ends_at,
            time_zone: input.time_zone,
            venue_address: input.venue_address.into(),
            venue_city: input.venue_city.into(),
            country: input.country.into(),
            online_url: input.online_url.into(),
            capacity: input.capacity,
            registration_deadline: input.registration_deadline,
        };
        let written = sessions::update(db(ctx)?, clock(ctx)?, &request(ctx)?.caller, changes).await;
        let (session, user_errors) = outcome(published(bus(ctx)?, written).await, TrainingSession)?;
        Ok(UpdateTrainingSessionPayload { session, user_errors })
    }

    /// Cancels a SCHEDULED session (its training's managers).
    async fn cancel_training_session(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The session and the version you read.")] input: CancelTrainingSessionInput,
    ) -> Result<CancelTrainingSessionPayload> {
        let id = decode_uuid(&input.session, TrainingSession::KIND)?;
        let written = sessions::cancel(db(ctx)?, clock(ctx)?, &request(ctx)?.caller, id, input.expected_version).await;
        let (session, user_errors) = outcome(published(bus(ctx)?, written).await, TrainingSession)?;
        Ok(CancelTrainingSessionPayload { session, user_errors })
    }
}
