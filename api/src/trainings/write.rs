//! Writes of trainings: create, update, publish, archive. Each checks its
//! whole input first (every user error at once, nothing written), asks the
//! policy against the rows it read, and records its domain event in its
//! transaction; a change is written only if nobody changed the training
//! meanwhile (its version).

use entity::{
    StringList,
    enums::{TrainingFormat, TrainingLevel, TrainingSessionStatus, TrainingStatus},
    partner, training, training_co_organizer, training_language, training_topic_link,
};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, TransactionSession, TransactionTrait};
use uuid::Uuid;

use super::{service, sessions};
use crate::{
    auth::{Caller, Policy},
    clock::Clock,
    domain::text,
    events::{Actor, DomainEvent, Written, record},
    user_errors::{Errors, UserErrorCode, WriteError, check_languages, checked, field_error, text_code},
};

/// Longest title.
pub const MAX_TITLE_CHARS: usize = 200;
/// Longest summary.
pub const MAX_SUMMARY_CHARS: usize = 500;
/// Longest description.
pub const MAX_DESCRIPTION_CHARS: usize = 20_000;
/// Most topics of a training.
pub const MAX_TOPICS: usize = 10;
/// Most material links of a training.
pub const MAX_MATERIALS: usize = 20;
/// Most co-organizers of a training.
pub const MAX_CO_ORGANIZERS: usize = 10;

/// A co-organizer of a training: a donor, or a local organization.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CoOrganizer {
    /// A donor company.
    Donor(Uuid),
    /// A local organization.
    Organization(Uuid),
}

/// A new training.
#[derive(Clone, Debug)]
pub struct TrainingInput {
    /// The organizing partner.
    pub partner: Uuid,
    /// URL-safe handle; from the title when absent.
    pub slug: Option<String>,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Level.
    pub level: TrainingLevel,
    /// Format.
    pub format: TrainingFormat,
    /// Topic slugs (at least one).
    pub topics: Vec<String>,
    /// BCP 47 tags (at least one).
    pub languages: Vec<String>,
    /// Links (https) to materials.
    pub materials: Vec<String>,
    /// Donors and organizations co-organizing it, in the order shown.
    pub co_organizers: Vec<CoOrganizer>,
}

/// Changes to a training: `None` leaves a field as it is.
#[derive(Clone, Debug, Default)]
pub struct TrainingChanges {
    /// The training.
    pub training: Uuid,
    /// The version the caller read.
    pub expected_version: i32,
    /// New slug.
    pub slug: Option<String>,
    /// New title.
    pub title: Option<String>,
    /// New summary (blank clears it).
    pub summary: Option<String>,
    /// New description (blank clears it).
    pub description: Option<String>,
    /// New level.
    pub level: Option<TrainingLevel>,
    /// New format.
    pub format: Option<TrainingFormat>,
    /// Topics: replace all of them.
    pub topics: Option<Vec<String>>,
    /// Languages: replace all of them.
    pub languages: Option<Vec<String>>,
    /// Materials: replace all of them.
    pub materials: Option<Vec<String>>,
    /// Co-organizers: replace all of them.
    pub co_organizers: Option<Vec<CoOrganizer>>,
}

impl TrainingChanges {
    /// The API names of the fields given.
    fn given(&self) -> Vec<String> {
        let fields = [
            ("slug", self.slug.is_some()),
            ("title", self.title.is_some()),
            ("summary", self.summary.is_some()),
            ("description", self.description.is_some()),
            ("level", self.level.is_some()),
            ("format", self.format.is_some()),
            ("topics", self.topics.is_some()),
            ("languages", self.languages.is_some()),
            ("materials", self.materials.is_some()),
            ("coOrganizers", self.co_organizers.is_some()),
        ];
        fields.into_iter().filter(|(_, given)| *given).map(|(name, _)| name.to_owned()).collect()
    }
}

/// A training's input once checked: the columns and links to write.
struct Checked {
    slug: String,
    title: String,
    summary: String,
    description: String,
    topics: Vec<Uuid>,
    languages: Vec<String>,
    materials: Vec<String>,
    /// The co-organizers to write (`None`: unchanged).
    co_organizers: Option<Vec<CoOrganizer>>,
}

impl Checked {
    fn columns(&self, input: &TrainingInput) -> training::ActiveModel {
        training::ActiveModel {
            slug: Set(self.slug.clone()),
            title: Set(self.title.clone()),
            summary: Set(self.summary.clone()),
            description: Set(self.description.clone()),
            level: Set(input.level),
            format: Set(input.format),
            languages: Set(StringList(self.languages.clone())),
            materials: Set(StringList(self.materials.clone())),
            ..Default::default()
        }
    }
}

async fn check_topics(db: &impl ConnectionTrait, errors: &mut Errors, slugs: &[String]) -> Result<Vec<Uuid>, WriteError> {
    if slugs.is_empty() {
        errors.add(&["topics"], UserErrorCode::Blank, "name at least one topic");
    }
    if slugs.len() > MAX_TOPICS {
        errors.add(&["topics"], UserErrorCode::TooMany, format!("at most {MAX_TOPICS} topics"));
        return Ok(Vec::new());
    }
    let taxonomy = service::all_topics(db).await?;
    let mut out: Vec<Uuid> = Vec::new();
    for (i, slug) in slugs.iter().enumerate() {
        let index = i.to_string();
        match taxonomy.iter().find(|t| t.slug == slug.trim()) {
            Some(topic) if out.contains(&topic.id) => {
                errors.add(&["topics", &index], UserErrorCode::Duplicate, format!("{} is listed twice", topic.slug));
            }
            Some(topic) => out.push(topic.id),
            None => errors.add(&["topics", &index], UserErrorCode::UnknownTopic, format!("{slug} is not a topic: see `trainingTopics`")),
        }
    }
    Ok(out)
}

fn check_materials(errors: &mut Errors, links: &[String]) -> Vec<String> {
    if links.len() > MAX_MATERIALS {
        errors.add(&["materials"], UserErrorCode::TooMany, format!("at most {MAX_MATERIALS} links"));
        return Vec::new();
    }
    let mut out: Vec<String> = Vec::new();
    for (i, link) in links.iter().enumerate() {
        let index = i.to_string();
        match text::website(link) {
            Ok(url) if !url.starts_with("https://") => {
                errors.add(&["materials", &index], UserErrorCode::Invalid, "materials are linked over https://");
            }
            Ok(url) if out.contains(&url) => errors.add(&["materials", &index], UserErrorCode::Duplicate, "this link is listed twice"),
            Ok(url) => out.push(url),
            Err(e) => errors.add(&["materials", &index], text_code(&e), e.to_string()),
        }
    }
    out
}

/// Checks co-organizers: at most [`MAX_CO_ORGANIZERS`], none twice, each
/// donor existing and each organization one the caller may read (one they
/// may not is NOT_FOUND, as if it did not exist: the form never tells a
/// manager that a hidden organization is there).
async fn check_co_organizers(
    db: &impl ConnectionTrait,
    caller: &Caller,
    errors: &mut Errors,
    given: &[CoOrganizer],
) -> Result<Vec<CoOrganizer>, WriteError> {
    if given.len() > MAX_CO_ORGANIZERS {
        errors.add(&["coOrganizers"], UserErrorCode::TooMany, format!("at most {MAX_CO_ORGANIZERS} co-organizers"));
        return Ok(Vec::new());
    }
    let donor_ids: Vec<Uuid> = given.iter().filter_map(|c| if let CoOrganizer::Donor(id) = c { Some(*id) } else { None }).collect();
    let org_ids: Vec<Uuid> = given.iter().filter_map(|c| if let CoOrganizer::Organization(id) = c { Some(*id) } else { None }).collect();
    let donors = if donor_ids.is_empty() { Default::default() } else { crate::donors::service::by_ids(db, &donor_ids).await? };
    let organizations = if org_ids.is_empty() {
        Vec::new()
    } else {
        crate::organizations::service::by_ids(db, &Policy.organization_scope(caller), &org_ids).await?
    };
    let mut out: Vec<CoOrganizer> = Vec::new();
    for (i, co) in given.iter().enumerate() {
        let index = i.to_string();
        let exists = match co {
            CoOrganizer::Donor(id) => donors.contains_key(id),
            CoOrganizer::Organization(id) => organizations.iter().any(|o| o.id == *id),
        };
        if out.contains(co) {
            errors.add(&["coOrganizers", &index], UserErrorCode::Duplicate, "this co-organizer is listed twice");
        } else if !exists {
            let what = if matches!(co, CoOrganizer::Donor(_)) { "donor" } else { "organization" };
            errors.add(&["coOrganizers", &index], UserErrorCode::NotFound, format!("no {what} has this ID"));
        } else {
            out.push(*co);
        }
    }
    Ok(out)
}

/// Checks a whole training (a new one, or one with its changes applied),
/// all user errors at once. `except` is the training itself when updating;
/// `co_organizers` those given (`None`: kept as they are, not re-checked);
/// `unfit_sessions` how many scheduled sessions the new format would not fit.
async fn check_training(
    db: &impl ConnectionTrait,
    caller: &Caller,
    input: &TrainingInput,
    except: Option<Uuid>,
    co_organizers: Option<&[CoOrganizer]>,
    unfit_sessions: usize,
) -> Result<Checked, WriteError> {
    let mut errors = Errors::default();
    if unfit_sessions > 0 {
        errors.add(
            &["format"],
            UserErrorCode::SessionsDoNotFit,
            format!(
                "{unfit_sessions} scheduled session(s) do not fit {}: give them a venue or a link as the format needs, or cancel them, first",
                format_name(input.format)
            ),
        );
    }
    let title = errors.check(&["title"], text::required_line(&input.title, MAX_TITLE_CHARS), text_code);
    let summary = errors
        .check(&["summary"], text::optional_line(input.summary.as_deref(), MAX_SUMMARY_CHARS), text_code)
        .map(Option::unwrap_or_default);
    let description = errors
        .check(&["description"], text::optional_paragraph(input.description.as_deref(), MAX_DESCRIPTION_CHARS), text_code)
        .map(Option::unwrap_or_default);
    let slug = match (&input.slug, &title) {
        (Some(s), _) => errors.check(&["slug"], text::slug(s), text_code),
        (None, Some(t)) => {
            let derived = text::slug_from_name(t);
            if derived.is_none() {
                errors.add(&["slug"], UserErrorCode::Blank, "no slug can be derived from this title: give one");
            }
            derived
        }
        (None, None) => None,
    };
    let topics = check_topics(db, &mut errors, &input.topics).await?;
    if input.languages.is_empty() {
        errors.add(&["languages"], UserErrorCode::Blank, "name at least one language it is taught in");
    }
    let languages = check_languages(&mut errors, &input.languages);
    let materials = check_materials(&mut errors, &input.materials);
    let co_organizers = match co_organizers {
        Some(given) => Some(check_co_organizers(db, caller, &mut errors, given).await?),
        None => None,
    };
    if let Some(slug) = &slug {
        let mut same =
            training::Entity::find().filter(training::Column::PartnerId.eq(input.partner)).filter(training::Column::Slug.eq(slug.as_str()));
        if let Some(id) = except {
            same = same.filter(training::Column::Id.ne(id));
        }
        if same.one(db).await?.is_some() {
            errors.add(&["slug"], UserErrorCode::Taken, format!("the partner has a training {slug} already"));
        }
    }
    errors.ok()?;
    Ok(Checked {
        slug: checked(slug)?,
        title: checked(title)?,
        summary: checked(summary)?,
        description: checked(description)?,
        topics,
        languages,
        materials,
        co_organizers,
    })
}

/// Writes a training's co-organizer rows, in the order given, after
/// deleting the old ones.
async fn write_co_organizers(db: &impl ConnectionTrait, training: Uuid, co_organizers: &[CoOrganizer]) -> Result<(), WriteError> {
    training_co_organizer::Entity::delete_many().filter(training_co_organizer::Column::TrainingId.eq(training)).exec(db).await?;
    if co_organizers.is_empty() {
        return Ok(());
    }
    // Ids from `Uuid::now_v7` are ordered by creation within a process, so
    // sorting by id reads them back in the order given.
    training_co_organizer::Entity::insert_many(co_organizers.iter().map(|co| {
        let (donor, organization) = match co {
            CoOrganizer::Donor(id) => (Some(*id), None),
            CoOrganizer::Organization(id) => (None, Some(*id)),
        };
        training_co_organizer::ActiveModel {
            id: Set(Uuid::now_v7()),
            training_id: Set(training),
            donor_id: Set(donor),
            organization_id: Set(organization),
        }
    }))
    .exec(db)
    .await?;
    Ok(())
}

/// Writes a training's topic and language rows (after deleting the old ones when `replace`).
async fn write_links(db: &impl ConnectionTrait, training: Uuid, valid: &Checked, replace: bool) -> Result<(), WriteError> {
    if replace {
        training_topic_link::Entity::delete_many().filter(training_topic_link::Column::TrainingId.eq(training)).exec(db).await?;
        training_language::Entity::delete_many().filter(training_language::Column::TrainingId.eq(training)).exec(db).await?;
    }
    training_topic_link::Entity::insert_many(
        valid.topics.iter().map(|t| training_topic_link::ActiveModel { training_id: Set(training), topic_id: Set(*t) }),
    )
    .exec(db)
    .await?;
    let mut lower: Vec<String> = valid.languages.iter().map(|l| l.to_ascii_lowercase()).collect();
    lower.sort();
    lower.dedup();
    training_language::Entity::insert_many(
        lower.into_iter().map(|l| training_language::ActiveModel { training_id: Set(training), language: Set(l) }),
    )
    .exec(db)
    .await?;
    Ok(())
}

/// Creates a DRAFT training organized by a partner.
#[tracing::instrument(skip_all)]
pub async fn create<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    clock: &Clock,
    caller: &Caller,
    input: TrainingInput,
) -> Result<Written<training::Model>, WriteError> {
    let Some(partner) = partner::Entity::find_by_id(input.partner).one(db).await? else {
        return Err(field_error(&["partner"], UserErrorCode::NotFound, "no such partner"));
    };
    Policy.authorize_training_write(caller, partner.id)?;
    let actor = Actor::of(caller)?;
    let valid = check_training(db, caller, &input, None, Some(&input.co_organizers), 0).await?;
    let now = clock.now();
    let txn = db.begin().await?;
    let created = training::ActiveModel {
        id: Set(Uuid::now_v7()),
        partner_id: Set(partner.id),
        status: Set(TrainingStatus::Draft),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        published_at: Set(None),
        ..valid.columns(&input)
    }
    .insert(&txn)
    .await?;
    write_links(&txn, created.id, &valid, false).await?;
    write_co_organizers(&txn, created.id, valid.co_organizers.as_deref().unwrap_or_default()).await?;
    let event = DomainEvent::TrainingCreated { training: created.id, partner: partner.id, slug: created.slug.clone() };
    let events = vec![record(&txn, clock, &actor, &event).await?];
    txn.commit().await?;
    Ok(Written::new(created, events))
}

fn format_name(format: TrainingFormat) -> &'static str {
    match format {
        TrainingFormat::InPerson => "IN_PERSON",
        TrainingFormat::Online => "ONLINE",
        TrainingFormat::Hybrid => "HYBRID",
    }
}

fn stale() -> WriteError {
    field_error(&["expectedVersion"], UserErrorCode::StaleVersion, "the training changed since you read it: reload and retry")
}

/// The training the caller may change: it exists (else NOT_FOUND), the
/// caller manages its partner's trainings, it is not archived (ARCHIVED),
/// and its version is the one the caller read (else STALE_VERSION).
pub(super) async fn load_for_write(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: Uuid,
    expected: Option<i32>,
) -> Result<training::Model, WriteError> {
    let Some(current) = service::by_id(db, id).await? else {
        return Err(field_error(&["training"], UserErrorCode::NotFound, "no training has this ID"));
    };
    Policy.authorize_training_write(caller, current.partner_id)?;
    if current.status == TrainingStatus::Archived {
        return Err(field_error(&["training"], UserErrorCode::Archived, "the training is archived"));
    }
    if let Some(expected) = expected
        && current.version != expected
    {
        return Err(field_error(
            &["expectedVersion"],
            UserErrorCode::StaleVersion,
            format!("the training changed since you read it (version {} now, {expected} read): reload and retry", current.version),
        ));
    }
    Ok(current)
}

/// The training as it would be with `changes` applied, as a whole input.
async fn merged(db: &impl ConnectionTrait, current: &training::Model, changes: &TrainingChanges) -> Result<TrainingInput, WriteError> {
    let topics = match &changes.topics {
        Some(topics) => topics.clone(),
        None => service::topics_of(db, &[current.id]).await?.remove(&current.id).unwrap_or_default().into_iter().map(|t| t.slug).collect(),
    };
    Ok(TrainingInput {
        partner: current.partner_id,
        slug: Some(changes.slug.clone().unwrap_or_else(|| current.slug.clone())),
        title: changes.title.clone().unwrap_or_else(|| current.title.clone()),
        summary: Some(changes.summary.clone().unwrap_or_else(|| current.summary.clone())),
        description: Some(changes.description.clone().unwrap_or_else(|| current.description.clone())),
        level: changes.level.unwrap_or(current.level),
        format: changes.format.unwrap_or(current.format),
        topics,
        languages: changes.languages.clone().unwrap_or_else(|| current.languages.0.clone()),
        materials: changes.materials.clone().unwrap_or_else(|| current.materials.0.clone()),
        co_organizers: Vec::new(),
    })
}

/// Changes a training (its partner's managers), checked as a new one is.
#[tracing::instrument(skip_all, fields(training_id = %changes.training))]
pub async fn update<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    clock: &Clock,
    caller: &Caller,
    changes: TrainingChanges,
) -> Result<Written<training::Model>, WriteError> {
    let current = load_for_write(db, caller, changes.training, Some(changes.expected_version)).await?;
    let actor = Actor::of(caller)?;
    let input = merged(db, &current, &changes).await?;
    let unfit_sessions = match changes.format {
        Some(format) if format != current.format => service::sessions_of(db, &[current.id])
            .await?
            .remove(&current.id)
            .unwrap_or_default()
            .iter()
            .filter(|s| s.status == TrainingSessionStatus::Scheduled && s.ends_at > clock.now() && !sessions::fits_format(format, s))
            .count(),
        _ => 0,
    };
    let valid = check_training(db, caller, &input, Some(current.id), changes.co_organizers.as_deref(), unfit_sessions).await?;
    let txn = db.begin().await?;
    let row = training::ActiveModel { version: Set(current.version + 1), updated_at: Set(clock.now()), ..valid.columns(&input) };
    let result = training::Entity::update_many()
        .set(row)
        .filter(training::Column::Id.eq(current.id))
        .filter(training::Column::Version.eq(current.version))
        .exec(&txn)
        .await?;
    if result.rows_affected != 1 {
        return Err(stale());
    }
    if changes.topics.is_some() || changes.languages.is_some() {
        write_links(&txn, current.id, &valid, true).await?;
    }
    if let Some(co_organizers) = &valid.co_organizers {
        write_co_organizers(&txn, current.id, co_organizers).await?;
    }
    let updated = training::Entity::find_by_id(current.id).one(&txn).await?.ok_or_else(stale)?;
    let event = DomainEvent::TrainingUpdated { training: current.id, partner: current.partner_id, changed: changes.given() };
    let events = vec![record(&txn, clock, &actor, &event).await?];
    txn.commit().await?;
    Ok(Written::new(updated, events))
}

/// Moves a training to `to` (PUBLISHED from DRAFT, ARCHIVED from DRAFT or
/// PUBLISHED) if its version is still `expected_version`.
#[tracing::instrument(skip_all, fields(training_id = %id))]
pub async fn transition<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    clock: &Clock,
    caller: &Caller,
    id: Uuid,
    expected_version: i32,
    to: TrainingStatus,
) -> Result<Written<training::Model>, WriteError> {
    let current = load_for_write(db, caller, id, Some(expected_version)).await?;
    let actor = Actor::of(caller)?;
    if to == TrainingStatus::Published && current.status != TrainingStatus::Draft {
        return Err(field_error(&["training"], UserErrorCode::InvalidTransition, "only a DRAFT training can be published"));
    }
    let now = clock.now();
    let txn = db.begin().await?;
    let mut row = training::ActiveModel { status: Set(to), version: Set(current.version + 1), updated_at: Set(now), ..Default::default() };
    if to == TrainingStatus::Published {
        row.published_at = Set(Some(now));
    }
    let result = training::Entity::update_many()
        .set(row)
        .filter(training::Column::Id.eq(current.id))
        .filter(training::Column::Version.eq(current.version))
        .exec(&txn)
        .await?;
    if result.rows_affected != 1 {
        return Err(stale());
    }
    let changed = training::Entity::find_by_id(current.id).one(&txn).await?.ok_or_else(stale)?;
    let event = match to {
        TrainingStatus::Published => DomainEvent::TrainingPublished { training: current.id, partner: current.partner_id },
        _ => DomainEvent::TrainingArchived { training: current.id, partner: current.partner_id },
    };
    let events = vec![record(&txn, clock, &actor, &event).await?];
    txn.commit().await?;
    Ok(Written::new(changed, events))
}
