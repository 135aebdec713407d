//! DataLoaders of trainings, built per request. Trainings and sessions by id
//! answer only what the caller may see (drafts for their managers), so
//! `node(id:)` and every relation apply the same rule; the relations of
//! trainings already known visible (topics, sessions) are plain batches.

use std::{collections::HashMap, sync::Arc};

use async_graphql::dataloader::Loader;
use entity::{training, training_co_organizer, training_registration, training_session, training_topic};
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::{registration_service, service};
use crate::{
    auth::{
        Caller, Policy,
        policy::trainings::{RegistrationFacts, TrainingReader},
    },
    error::ApiError,
    graphql::{
        context::{RequestContext, RequestLoader},
        loader::{batch_loader, by_id},
    },
};

/// Trainings by id, those the caller may see.
pub struct TrainingById {
    db: DatabaseConnection,
    reader: TrainingReader,
}

impl RequestLoader for TrainingById {
    fn build(request: &RequestContext) -> Self {
        Self { db: request.db().clone(), reader: Policy.training_reader(&request.caller) }
    }
}

impl Loader<Uuid> for TrainingById {
    type Value = training::Model;
    type Error = Arc<ApiError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, training::Model>, Self::Error> {
        service::by_ids(&self.db, &self.reader, keys).await.map(|rows| by_id(rows, |m| m.id)).map_err(Arc::new)
    }
}

/// Sessions by id, those of trainings the caller may see.
pub struct TrainingSessionById {
    db: DatabaseConnection,
    reader: TrainingReader,
}

impl RequestLoader for TrainingSessionById {
    fn build(request: &RequestContext) -> Self {
        Self { db: request.db().clone(), reader: Policy.training_reader(&request.caller) }
    }
}

impl Loader<Uuid> for TrainingSessionById {
    type Value = training_session::Model;
    type Error = Arc<ApiError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, training_session::Model>, Self::Error> {
        service::sessions_by_ids(&self.db, &self.reader, keys).await.map(|rows| by_id(rows, |m| m.id)).map_err(Arc::new)
    }
}

batch_loader! {
    /// The topics of each training (already known visible), by name.
    TopicsByTraining: Uuid => Vec<training_topic::Model>,
    |db, keys| service::topics_of(db, keys).await
}

batch_loader! {
    /// The co-organizer rows of each training (already known visible), in
    /// the order given.
    CoOrganizersByTraining: Uuid => Vec<training_co_organizer::Model>,
    |db, keys| service::co_organizers_of(db, keys).await
}

batch_loader! {
    /// The sessions of each training (already known visible), by start.
    SessionsByTraining: Uuid => Vec<training_session::Model>,
    |db, keys| service::sessions_of(db, keys).await
}

/// The caller's registration in force (REGISTERED or WAITLISTED) for each
/// session: for the online link and `viewerRegistration`, one statement a
/// page of sessions.
pub struct ViewerRegistrationBySession {
    db: DatabaseConnection,
    user: Option<Uuid>,
}

impl RequestLoader for ViewerRegistrationBySession {
    fn build(request: &RequestContext) -> Self {
        let user = request.caller.user().filter(|u| u.email_verified).map(|u| u.user_id);
        Self { db: request.db().clone(), user }
    }
}

impl Loader<Uuid> for ViewerRegistrationBySession {
    type Value = training_registration::Model;
    type Error = Arc<ApiError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, training_registration::Model>, Self::Error> {
        let Some(user) = self.user else { return Ok(HashMap::new()) };
        registration_service::active_by_session(&self.db, user, keys).await.map_err(Arc::new)
    }
}

batch_loader! {
    /// The place on its session's waitlist of each WAITLISTED registration.
    WaitlistPosition: Uuid => i32,
    |db, keys| registration_service::waitlist_positions(db, keys).await
}

batch_loader! {
    /// The name of each person registered (for the registrations already
    /// known visible to the caller).
    ParticipantName: Uuid => String,
    |db, keys| crate::accounts::service::by_ids(db, keys).await.map(|people| people.into_iter().map(|p| (p.id, p.name)).collect())
}

/// Registrations by id, those the caller may see (its person's, and the
/// training's managers'), so that `node(id:)` applies the same rule.
pub struct TrainingRegistrationById {
    db: DatabaseConnection,
    caller: Caller,
    reader: TrainingReader,
}

impl RequestLoader for TrainingRegistrationById {
    fn build(request: &RequestContext) -> Self {
        Self { db: request.db().clone(), caller: request.caller.clone(), reader: Policy.training_reader(&request.caller) }
    }
}

impl Loader<Uuid> for TrainingRegistrationById {
    type Value = training_registration::Model;
    type Error = Arc<ApiError>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, training_registration::Model>, Self::Error> {
        let rows = registration_service::with_partners(&self.db, keys).await.map_err(Arc::new)?;
        let visible = rows
            .into_iter()
            .filter(|(row, partner)| {
                Policy.may_see_registration(&self.caller, &self.reader, RegistrationFacts { user: row.user_id, partner: *partner })
            })
            .map(|(row, _)| row);
        Ok(by_id(visible.collect(), |m| m.id))
    }
}
