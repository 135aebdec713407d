//! Query root of trainings: the search, upcoming sessions, the topic
//! taxonomy; and `node(id:)` for trainings, sessions and registrations.

use async_graphql::{Context, Object, Result};

use super::{
    loader::{TrainingById, TrainingRegistrationById, TrainingSessionById},
    registration_types::TrainingRegistration,
    service::{self, TrainingFilter as Filter},
    types::{Training, TrainingFilter, TrainingSession, TrainingTopic},
};
use crate::{
    graphql::{
        connection::{Conn, TotalCount, from_page},
        context::{clock, db, policy, request},
        relay::decode_uuid,
        scalars::CountryCode,
    },
    pagination::PageRequest,
    partners::types::Partner,
};

/// Queries of trainings.
#[derive(Default)]
pub struct TrainingQuery;

#[Object]
impl TrainingQuery {
    /// Trainings still offered (not archived), newest first: PUBLISHED ones
    /// for everyone, and DRAFTs for their partner's managers.
    #[graphql(complexity = "first.or(last).unwrap_or(0).clamp(0, 100) as usize * child_complexity + 5")]
    async fn trainings(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which trainings.")] filter: Option<TrainingFilter>,
        #[graphql(desc = "Returns the first n items (0 to 100).")] first: Option<i32>,
        #[graphql(desc = "Returns the items after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n items (0 to 100).")] last: Option<i32>,
        #[graphql(desc = "Returns the items before this cursor.")] before: Option<String>,
    ) -> Result<Conn<Training>> {
        let given = filter.unwrap_or_default();
        let filter = Filter {
            topic: given.topic,
            level: given.level.map(Into::into),
            language: given.language,
            format: given.format.map(Into::into),
            country: given.country.map(|c| c.0),
            from: given.from,
            to: given.to,
            partner: given.partner.map(|p| decode_uuid(&p, Partner::KIND)).transpose()?,
            seats_at: if given.has_seats == Some(true) { Some(crate::graphql::context::clock(ctx)?.now()) } else { None },
        };
        let page = PageRequest::from_args(first, after.as_deref(), last, before.as_deref())?;
        let reader = policy(ctx)?.training_reader(&request(ctx)?.caller);
        let db = db(ctx)?.clone();
        let rows = service::page(&db, &filter, &reader, &page).await?;
        let total = TotalCount::lazy(move || {
            let (db, filter, reader) = (db.clone(), filter.clone(), reader.clone());
            Box::pin(async move { service::count(&db, &filter, &reader).await })
        });
        Ok(from_page(rows, total, Training))
    }

    /// Scheduled sessions yet to start, soonest first, of the trainings
    /// `trainings` lists to you.
    #[graphql(complexity = "first.clamp(0, 100) as usize * child_complexity + 5")]
    async fn upcoming_sessions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only sessions in this country.")] country: Option<CountryCode>,
        #[graphql(desc = "Returns the first n items (0 to 100).")] first: i32,
        #[graphql(desc = "Returns the items after this cursor.")] after: Option<String>,
    ) -> Result<Conn<TrainingSession>> {
        let page = PageRequest::from_args(Some(first), after.as_deref(), None, None)?;
        let reader = policy(ctx)?.training_reader(&request(ctx)?.caller);
        let now = clock(ctx)?.now();
        let country = country.map(|c| c.0);
        let db = db(ctx)?.clone();
        let rows = service::upcoming_page(&db, &reader, country.as_deref(), now, &page).await?;
        let total = TotalCount::lazy(move || {
            let (db, reader, country) = (db.clone(), reader.clone(), country.clone());
            Box::pin(async move { service::count_upcoming(&db, &reader, country.as_deref(), now).await })
        });
        Ok(from_page(rows, total, TrainingSession))
    }

    /// The training-topic taxonomy, by name.
    async fn training_topics(&self, ctx: &Context<'_>) -> Result<Vec<TrainingTopic>> {
        Ok(service::all_topics(db(ctx)?).await?.into_iter().map(TrainingTopic).collect())
    }
}

/// `node(id:)` answers trainings, sessions and registrations the caller may see.
pub fn register_nodes(registry: &mut crate::graphql::node::NodeRegistry) {
    registry.add_loaded::<TrainingById, Training>(Training::KIND);
    registry.add_loaded::<TrainingSessionById, TrainingSession>(TrainingSession::KIND);
    registry.add_loaded::<TrainingRegistrationById, TrainingRegistration>(TrainingRegistration::KIND);
}
