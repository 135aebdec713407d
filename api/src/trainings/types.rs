//! GraphQL types of trainings: the training, its sessions and topics, the
//! enums, inputs and payloads.

use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result, Union};
use chrono::{DateTime, Utc};
use entity::enums;

use super::{
    loader::{CoOrganizersByTraining, SessionsByTraining, TopicsByTraining, TrainingById, ViewerRegistrationBySession},
    registration_service,
    registration_types::{TrainingRegistration, TrainingRegistrationStatus},
    service,
};
use crate::{
    auth::policy::trainings::SessionLinkFacts,
    countries::types::Country,
    donors::{loader::DonorById, types::Donor},
    graphql::{
        connection::{Conn, Listed, TotalCount, from_page},
        context::{db, loader, policy, request},
        enums::mirror_enum,
        relay::{NodeKind, encode_uuid},
        scalars::CountryCode,
        user_error::payload,
    },
    organizations::{loader::OrganizationById, types::Organization},
    pagination::PageRequest,
    partners::{loader::PartnerById, types::Partner},
};

/// Who co-organizes a training with its partner: a donor company or a
/// local organization.
#[derive(Union)]
#[expect(clippy::large_enum_variant, reason = "a few short-lived values per field: boxing would buy nothing")]
pub enum TrainingCoOrganizer {
    /// A donor company.
    Donor(Donor),
    /// A local organization.
    Organization(Organization),
}

mirror_enum! {
    /// How advanced a training is.
    TrainingLevel => enums::TrainingLevel {
        /// For beginners.
        Basic,
        /// For those with the basics.
        Intermediate,
        /// For practitioners.
        Advanced,
    }
}

mirror_enum! {
    /// Where a training takes place.
    TrainingFormat => enums::TrainingFormat {
        /// At a venue.
        InPerson,
        /// Online.
        Online,
        /// At a venue and online.
        Hybrid,
    }
}

mirror_enum! {
    /// Where a training stands.
    TrainingStatus => enums::TrainingStatus {
        /// Being prepared: only its partner's managers see it.
        Draft,
        /// Public.
        Published,
        /// No longer offered (kept for history; not listed).
        Archived,
    }
}

mirror_enum! {
    /// Where a session stands.
    TrainingSessionStatus => enums::TrainingSessionStatus {
        /// Planned.
        Scheduled,
        /// Called off.
        Cancelled,
        /// Took place.
        Completed,
    }
}

/// A topic of the training taxonomy, e.g. `digital-security`.
#[derive(Clone, Debug)]
pub struct TrainingTopic(pub entity::training_topic::Model);

/// A topic of the training taxonomy, e.g. `digital-security`.
#[Object]
impl TrainingTopic {
    /// Stable handle, used in filters and inputs, e.g. `digital-security`.
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// English name.
    async fn name(&self) -> &str {
        &self.0.name
    }
}

/// A training: a course or an event organized by a network partner.
#[derive(Clone, Debug)]
pub struct Training(pub entity::training::Model);

impl Training {
    /// The type of its global IDs.
    pub const KIND: NodeKind = NodeKind::new("Training");
}

impl From<entity::training::Model> for Training {
    fn from(m: entity::training::Model) -> Self {
        Self(m)
    }
}

impl Listed for Training {
    const CONNECTION: &'static str = "TrainingConnection";
    const EDGE: &'static str = "TrainingEdge";
}

/// A training: a course or an event organized by a network partner. A
/// DRAFT exists only for its partner's managers.
#[Object]
impl Training {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode_uuid(Self::KIND, self.0.id)
    }

    /// URL-safe handle, unique per partner.
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// Title.
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// One-paragraph summary (may be empty).
    async fn summary(&self) -> &str {
        &self.0.summary
    }

    /// Long description (may be empty).
    async fn description(&self) -> &str {
        &self.0.description
    }

    /// How advanced it is.
    async fn level(&self) -> TrainingLevel {
        self.0.level.into()
    }

    /// In person, online or both.
    async fn format(&self) -> TrainingFormat {
        self.0.format.into()
    }

    /// BCP 47 tags of the languages it is taught in.
    async fn languages(&self) -> &[String] {
        &self.0.languages.0
    }

    /// Links (https) to its materials.
    async fn materials(&self) -> &[String] {
        &self.0.materials.0
    }

    /// Draft, published or archived.
    async fn status(&self) -> TrainingStatus {
        self.0.status.into()
    }

    /// The organizing partner.
    async fn partner(&self, ctx: &Context<'_>) -> Result<Option<Partner>> {
        Ok(loader::<PartnerById>(ctx)?.load_one(self.0.partner_id).await?.map(Partner::from))
    }

    /// Its topics, by name.
    async fn topics(&self, ctx: &Context<'_>) -> Result<Vec<TrainingTopic>> {
        let topics = loader::<TopicsByTraining>(ctx)?.load_one(self.0.id).await?.unwrap_or_default();
        Ok(topics.into_iter().map(TrainingTopic).collect())
    }

    /// Donors and local organizations co-organizing it with its partner, in
    /// the order its managers gave. An organization appears only to those
    /// who may read it (a hidden one only to its members, its country's
    /// partner staff and platform admins): for everyone else it is left
    /// out, not shown as a blank.
    async fn co_organizers(&self, ctx: &Context<'_>) -> Result<Vec<TrainingCoOrganizer>> {
        let rows = loader::<CoOrganizersByTraining>(ctx)?.load_one(self.0.id).await?.unwrap_or_default();
        let donor_ids: Vec<uuid::Uuid> = rows.iter().filter_map(|r| r.donor_id).collect();
        let org_ids: Vec<uuid::Uuid> = rows.iter().filter_map(|r| r.organization_id).collect();
        let (donor_loader, organization_loader) = (loader::<DonorById>(ctx)?, loader::<OrganizationById>(ctx)?);
        let (mut donors, mut organizations) = tokio::try_join!(donor_loader.load_many(donor_ids), organization_loader.load_many(org_ids))?;
        Ok(rows
            .iter()
            .filter_map(|row| match (row.donor_id, row.organization_id) {
                (Some(id), _) => donors.remove(&id).map(|d| TrainingCoOrganizer::Donor(Donor(d))),
                (None, Some(id)) => organizations.remove(&id).map(|o| TrainingCoOrganizer::Organization(Organization(o))),
                (None, None) => None,
            })
            .collect())
    }

    /// Its sessions (at most 100), soonest first, cancelled ones included.
    async fn sessions(&self, ctx: &Context<'_>) -> Result<Vec<TrainingSession>> {
        let sessions = loader::<SessionsByTraining>(ctx)?.load_one(self.0.id).await?.unwrap_or_default();
        Ok(sessions.into_iter().map(TrainingSession).collect())
    }

    /// Changes with every update (optimistic concurrency).
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// When it was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// When it last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }

    /// When it was published (null while a draft).
    async fn published_at(&self) -> Option<DateTime<Utc>> {
        self.0.published_at
    }
}

/// A session of a training: when, where, how many seats.
#[derive(Clone, Debug)]
pub struct TrainingSession(pub entity::training_session::Model);

impl TrainingSession {
    /// The type of its global IDs.
    pub const KIND: NodeKind = NodeKind::new("TrainingSession");
}

impl From<entity::training_session::Model> for TrainingSession {
    fn from(m: entity::training_session::Model) -> Self {
        Self(m)
    }
}

impl Listed for TrainingSession {
    const CONNECTION: &'static str = "TrainingSessionConnection";
    const EDGE: &'static str = "TrainingSessionEdge";
}

/// A session of a training: when (in UTC, and in the venue's time zone),
/// where (a venue, an online link or both), how many seats.
#[Object]
impl TrainingSession {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode_uuid(Self::KIND, self.0.id)
    }

    /// Its training.
    async fn training(&self, ctx: &Context<'_>) -> Result<Option<Training>> {
        Ok(loader::<TrainingById>(ctx)?.load_one(self.0.training_id).await?.map(Training))
    }

    /// Start, in UTC.
    async fn starts_at(&self) -> DateTime<Utc> {
        self.0.starts_at
    }

    /// End, in UTC.
    async fn ends_at(&self) -> DateTime<Utc> {
        self.0.ends_at
    }

    /// IANA time zone of the venue (or of the organizers, online), e.g. `America/Sao_Paulo`.
    async fn time_zone(&self) -> &str {
        &self.0.time_zone
    }

    /// Start in the venue's time zone: RFC 3339 with its offset then, e.g. `2027-03-10T10:00:00-03:00`.
    async fn local_starts_at(&self) -> String {
        service::local_time(self.0.starts_at, &self.0.time_zone)
    }

    /// End in the venue's time zone: RFC 3339 with its offset then.
    async fn local_ends_at(&self) -> String {
        service::local_time(self.0.ends_at, &self.0.time_zone)
    }

    /// Street address of the venue.
    async fn venue_address(&self) -> Option<&str> {
        self.0.venue_address.as_deref()
    }

    /// City of the venue.
    async fn venue_city(&self) -> Option<&str> {
        self.0.venue_city.as_deref()
    }

    /// Country of the venue (null for an online session without one).
    async fn country(&self) -> Option<Country> {
        self.0.country_code.as_deref().and_then(Country::of)
    }

    /// Link of an online or hybrid session: only for the managers of its
    /// training and its REGISTERED participants (null for everyone else,
    /// the waitlisted included).
    async fn online_url(&self, ctx: &Context<'_>) -> Result<Option<&str>> {
        let Some(url) = self.0.online_url.as_deref() else { return Ok(None) };
        let Some(training) = loader::<TrainingById>(ctx)?.load_one(self.0.training_id).await? else { return Ok(None) };
        let mine = loader::<ViewerRegistrationBySession>(ctx)?.load_one(self.0.id).await?;
        let registered = mine.is_some_and(|r| r.status == enums::TrainingRegistrationStatus::Registered);
        let reader = policy(ctx)?.training_reader(&request(ctx)?.caller);
        Ok(policy(ctx)?.may_see_session_link(&reader, SessionLinkFacts { partner: training.partner_id, registered }).then_some(url))
    }

    /// Its iCalendar (RFC 5545) feed, relative to the API's origin, e.g.
    /// `/trainings/sessions/<uuid>.ics`: one event at the venue's local time
    /// with its time zone, updated when the session changes or is cancelled;
    /// public fields only (never the online link). 404 while the training is
    /// a DRAFT.
    async fn calendar_url(&self) -> String {
        super::calendar::session_feed_path(self.0.id)
    }

    /// Seats.
    async fn capacity(&self) -> i32 {
        self.0.capacity
    }

    /// Seats still free (0 once the session is cancelled or completed);
    /// when 0, a registration goes to the waitlist.
    async fn seats_left(&self) -> i32 {
        service::seats_left(&self.0)
    }

    /// Your registration in force (REGISTERED or WAITLISTED) for this
    /// session; null when you hold none or are not signed in.
    async fn viewer_registration(&self, ctx: &Context<'_>) -> Result<Option<TrainingRegistration>> {
        Ok(loader::<ViewerRegistrationBySession>(ctx)?.load_one(self.0.id).await?.map(TrainingRegistration))
    }

    /// Its registrations, in the order the session accepted them: for the
    /// managers of its training (null for everyone else).
    #[graphql(complexity = "first.clamp(0, 100) as usize * child_complexity + 5")]
    async fn registrations(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only those in this status.")] status: Option<TrainingRegistrationStatus>,
        #[graphql(desc = "Returns the first n items (0 to 100).")] first: i32,
        #[graphql(desc = "Returns the items after this cursor.")] after: Option<String>,
    ) -> Result<Option<Conn<TrainingRegistration>>> {
        let Some(training) = loader::<TrainingById>(ctx)?.load_one(self.0.training_id).await? else { return Ok(None) };
        if !policy(ctx)?.training_reader(&request(ctx)?.caller).manages(training.partner_id) {
            return Ok(None);
        }
        let page = PageRequest::from_args(Some(first), after.as_deref(), None, None)?;
        let (db, session, status) = (db(ctx)?.clone(), self.0.id, status.map(Into::into));
        let rows = registration_service::session_page(&db, session, status, &page).await?;
        let total = TotalCount::lazy(move || {
            let db = db.clone();
            Box::pin(async move { registration_service::session_count(&db, session, status).await })
        });
        Ok(Some(from_page(rows, total, TrainingRegistration)))
    }

    /// What its attendees said (count, average, ratings, comments), without
    /// who said it: for the managers of its training (null for everyone
    /// else).
    async fn feedback(&self, ctx: &Context<'_>) -> Result<Option<super::feedback_types::TrainingSessionFeedback>> {
        super::feedback_types::session_feedback(ctx, &self.0).await
    }

    /// Registrations close at this time (UTC).
    async fn registration_deadline(&self) -> DateTime<Utc> {
        self.0.registration_deadline
    }

    /// Scheduled, cancelled or completed.
    async fn status(&self) -> TrainingSessionStatus {
        self.0.status.into()
    }

    /// Changes with every update (optimistic concurrency).
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// When it was scheduled.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// When it last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

/// Which trainings: all conditions given hold.
#[derive(InputObject, Default)]
pub struct TrainingFilter {
    /// Covering this topic (its slug, e.g. `digital-security`).
    pub topic: Option<String>,
    /// Of this level.
    pub level: Option<TrainingLevel>,
    /// Taught in this language (BCP 47 tag, case-insensitive, e.g. `pt-BR`).
    pub language: Option<String>,
    /// Of this format.
    pub format: Option<TrainingFormat>,
    /// With a session (not cancelled) in this country.
    pub country: Option<CountryCode>,
    /// With a session (not cancelled) starting at or after this time (with
    /// `country`: the same session).
    pub from: Option<DateTime<Utc>>,
    /// With a session (not cancelled) starting before this time.
    pub to: Option<DateTime<Utc>>,
    /// Organized by this partner.
    pub partner: Option<ID>,
    /// True: only trainings with a session still open for registration
    /// (scheduled, not started, deadline not passed) that has a seat left
    /// (with `country`, `from` and `to`: the same session). False or absent:
    /// seats do not matter.
    pub has_seats: Option<bool>,
}

/// Input of `createTraining`.
#[derive(InputObject)]
pub struct CreateTrainingInput {
    /// The organizing partner (its admins and program managers).
    pub partner: ID,
    /// URL-safe handle, unique per partner; from the title when absent.
    pub slug: Option<String>,
    /// Title (1 to 200 characters).
    pub title: String,
    /// One-paragraph summary (up to 500 characters).
    pub summary: Option<String>,
    /// Long description (up to 20,000 characters).
    pub description: Option<String>,
    /// How advanced it is.
    pub level: TrainingLevel,
    /// In person, online or both.
    pub format: TrainingFormat,
    /// Topic slugs of `trainingTopics` (1 to 10).
    pub topics: Vec<String>,
    /// BCP 47 tags of the languages it is taught in (1 to 20).
    pub languages: Vec<String>,
    /// Links (https) to its materials (up to 20).
    #[graphql(default)]
    pub materials: Vec<String>,
    /// IDs of donors and organizations co-organizing it (up to 10), in the
    /// order to show them. An organization you may not read is NOT_FOUND.
    #[graphql(default)]
    pub co_organizers: Vec<ID>,
}

/// Input of `updateTraining`: the fields given change, the others stay.
#[derive(InputObject)]
pub struct UpdateTrainingInput {
    /// The training.
    pub training: ID,
    /// The `version` you read (else STALE_VERSION, nothing changed).
    pub expected_version: i32,
    /// URL-safe handle, unique per partner.
    pub slug: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// Summary (blank clears it).
    pub summary: Option<String>,
    /// Description (blank clears it).
    pub description: Option<String>,
    /// Level.
    pub level: Option<TrainingLevel>,
    /// Format.
    pub format: Option<TrainingFormat>,
    /// Topic slugs: replaces all of them.
    pub topics: Option<Vec<String>>,
    /// Languages: replaces all of them.
    pub languages: Option<Vec<String>>,
    /// Material links: replaces all of them.
    pub materials: Option<Vec<String>>,
    /// Co-organizers (IDs of donors and organizations): replaces all of them.
    pub co_organizers: Option<Vec<ID>>,
}

/// Input of `publishTraining` and `archiveTraining`.
#[derive(InputObject)]
pub struct TrainingStatusInput {
    /// The training.
    pub training: ID,
    /// The `version` you read (else STALE_VERSION, nothing changed).
    pub expected_version: i32,
}

/// Input of `scheduleTrainingSession`. Where depends on the training's
/// format: IN_PERSON needs a venue (city and country) and no link, ONLINE a
/// link and no venue (a country may be given), HYBRID both.
#[derive(InputObject)]
pub struct ScheduleTrainingSessionInput {
    /// The training (not archived).
    pub training: ID,
    /// Start, in UTC (or any offset: stored in UTC).
    pub starts_at: DateTime<Utc>,
    /// End (after the start, else ENDS_BEFORE_START).
    pub ends_at: DateTime<Utc>,
    /// IANA time zone of the venue, e.g. `Asia/Bangkok` (else UNKNOWN_TIME_ZONE).
    pub time_zone: String,
    /// Street address of the venue.
    pub venue_address: Option<String>,
    /// City of the venue.
    pub venue_city: Option<String>,
    /// ISO 3166-1 alpha-2 country of the venue.
    pub country: Option<String>,
    /// Link (https) of an online or hybrid session.
    pub online_url: Option<String>,
    /// Seats (1 to 100,000).
    pub capacity: i32,
    /// Registrations close at this time (at the latest the start, else
    /// DEADLINE_AFTER_START); the start when absent.
    pub registration_deadline: Option<DateTime<Utc>>,
}

/// Input of `updateTrainingSession`: the fields given change, the others
/// stay; the venue's fields and the link take `null` to clear them.
#[derive(InputObject)]
pub struct UpdateTrainingSessionInput {
    /// The session (SCHEDULED).
    pub session: ID,
    /// The `version` you read (else STALE_VERSION, nothing changed).
    pub expected_version: i32,
    /// Start.
    pub starts_at: Option<DateTime<Utc>>,
    /// End.
    pub ends_at: Option<DateTime<Utc>>,
    /// IANA time zone of the venue.
    pub time_zone: Option<String>,
    /// Street address of the venue.
    pub venue_address: MaybeUndefined<String>,
    /// City of the venue.
    pub venue_city: MaybeUndefined<String>,
    /// Country of the venue.
    pub country: MaybeUndefined<String>,
    /// Link (https).
    pub online_url: MaybeUndefined<String>,
    /// Seats.
    pub capacity: Option<i32>,
    /// Registrations close at this time.
    pub registration_deadline: Option<DateTime<Utc>>,
}

/// Input of `cancelTrainingSession`.
#[derive(InputObject)]
pub struct CancelTrainingSessionInput {
    /// The session (SCHEDULED).
    pub session: ID,
    /// The `version` you read (else STALE_VERSION, nothing changed).
    pub expected_version: i32,
}

payload! {
    /// Result of `createTraining`.
    CreateTrainingPayload { training: Training, "The new training (a draft)" }
    /// Result of `updateTraining`.
    UpdateTrainingPayload { training: Training, "The updated training" }
    /// Result of `publishTraining`.
    PublishTrainingPayload { training: Training, "The published training" }
    /// Result of `archiveTraining`.
    ArchiveTrainingPayload { training: Training, "The archived training" }
    /// Result of `scheduleTrainingSession`.
    ScheduleTrainingSessionPayload { session: TrainingSession, "The new session" }
    /// Result of `updateTrainingSession`.
    UpdateTrainingSessionPayload { session: TrainingSession, "The updated session" }
    /// Result of `cancelTrainingSession`.
    CancelTrainingSessionPayload { session: TrainingSession, "The cancelled session" }
}
