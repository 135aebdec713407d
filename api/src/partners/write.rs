//! Writes of partners: create, update, archive. Every input is checked in full
//! first; any problem is a user error and nothing changes. Each write runs in
//! one transaction (its own, or a savepoint in the caller's) that records its
//! [`DomainEvent`]s; the caller publishes them after the outermost commit.

use chrono::{DateTime, NaiveDate, Utc};
use entity::{StringList, enums::PartnerStatus, partner, partner_country};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, TransactionSession, TransactionTrait,
    sea_query::{Expr, ExprTrait},
};
use uuid::Uuid;

use crate::{
    clock::Clock,
    domain::{CountryCode, country::CountryCodeError, text},
    events::{Actor, DomainEvent, Written, record},
    user_errors::{Errors, UserErrorCode, WriteError, check_languages, checked, field_error, text_code},
};

/// Most countries one partner may serve.
pub const MAX_COUNTRIES: usize = 60;

/// Input of a new partner (raw, as the caller sent it).
#[derive(Clone, Debug, Default)]
pub struct NewPartner {
    /// Name.
    pub name: String,
    /// Slug; derived from the name when absent.
    pub slug: Option<String>,
    /// Web site.
    pub website: Option<String>,
    /// Language tags.
    pub languages: Vec<String>,
    /// Initial status (not archived).
    pub status: Option<PartnerStatus>,
    /// Date joined; today when absent.
    pub joined_on: Option<NaiveDate>,
    /// Country codes served.
    pub countries: Vec<String>,
    /// Contact e-mail.
    pub contact_email: Option<String>,
    /// Contact phone.
    pub contact_phone: Option<String>,
    /// Contact address.
    pub contact_address: Option<String>,
}

/// Changes to a partner: `None` leaves a field, `Some(None)` clears it.
#[derive(Clone, Debug, Default)]
pub struct PartnerChanges {
    /// Which partner.
    pub id: Uuid,
    /// The version the caller read.
    pub expected_version: i32,
    /// New name.
    pub name: Option<String>,
    /// New slug.
    pub slug: Option<String>,
    /// New web site.
    pub website: Option<Option<String>>,
    /// New languages (replace).
    pub languages: Option<Vec<String>>,
    /// New status.
    pub status: Option<PartnerStatus>,
    /// New date joined.
    pub joined_on: Option<NaiveDate>,
    /// New countries (replace).
    pub countries: Option<Vec<String>>,
    /// New contact e-mail.
    pub contact_email: Option<Option<String>>,
    /// New contact phone.
    pub contact_phone: Option<Option<String>>,
    /// New contact address.
    pub contact_address: Option<Option<String>>,
}

fn check_countries(errors: &mut Errors, countries: &[String]) -> Vec<CountryCode> {
    if countries.is_empty() {
        errors.add(&["countries"], UserErrorCode::Blank, "a partner serves at least one country");
    }
    if countries.len() > MAX_COUNTRIES {
        errors.add(&["countries"], UserErrorCode::TooMany, format!("at most {MAX_COUNTRIES} countries"));
        return Vec::new();
    }
    let mut out: Vec<CountryCode> = Vec::new();
    for (i, code) in countries.iter().enumerate() {
        let index = i.to_string();
        let code = errors.check(&["countries", &index], CountryCode::parse(code), |e| match e {
            CountryCodeError::Malformed => UserErrorCode::Invalid,
            CountryCodeError::Unknown(_) => UserErrorCode::UnknownCountry,
        });
        if let Some(code) = code {
            if out.contains(&code) {
                errors.add(&["countries", &index], UserErrorCode::Duplicate, format!("{code} is listed twice"));
            } else {
                out.push(code);
            }
        }
    }
    out
}

fn check_joined_on(errors: &mut Errors, date: NaiveDate, today: NaiveDate) {
    if date > today || date < NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(NaiveDate::MIN) {
        errors.add(&["joinedOn"], UserErrorCode::OutOfRange, "the date joined must be between 1900-01-01 and today");
    }
}

fn check_status(errors: &mut Errors, status: Option<PartnerStatus>) {
    if status == Some(PartnerStatus::Archived) {
        errors.add(&["status"], UserErrorCode::Invalid, "use archivePartner to archive a partner");
    }
}

fn opt<T>(errors: &mut Errors, path: &str, value: Option<&str>, check: impl Fn(&str) -> Result<T, text::TextError>) -> Option<T> {
    value.map(str::trim).filter(|v| !v.is_empty()).and_then(|v| errors.check(&[path], check(v), text_code))
}

async fn check_slug_free(db: &impl ConnectionTrait, errors: &mut Errors, slug: &str, except: Option<Uuid>) -> Result<(), WriteError> {
    let mut query = partner::Entity::find().filter(partner::Column::Slug.eq(slug));
    if let Some(id) = except {
        query = query.filter(partner::Column::Id.ne(id));
    }
    if query.one(db).await?.is_some() {
        errors.add(&["slug"], UserErrorCode::Taken, format!("the slug {slug} is taken"));
    }
    Ok(())
}

/// Creates a partner with its countries.
#[tracing::instrument(skip_all, fields(name = %input.name))]
pub async fn create<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    clock: &Clock,
    actor: &Actor,
    input: NewPartner,
) -> Result<Written<partner::Model>, WriteError> {
    let now = clock.now();
    let mut errors = Errors::default();
    let name = errors.check(&["name"], text::required_line(&input.name, 200), text_code);
    let slug = match (&input.slug, &name) {
        (Some(slug), _) => errors.check(&["slug"], text::slug(slug), text_code),
        (None, Some(name)) => {
            let derived = text::slug_from_name(name);
            if derived.is_none() {
                errors.add(&["slug"], UserErrorCode::Blank, "no slug can be derived from this name: give one");
            }
            derived
        }
        (None, None) => None,
    };
    let website = opt(&mut errors, "website", input.website.as_deref(), text::website);
    let languages = check_languages(&mut errors, &input.languages);
    check_status(&mut errors, input.status);
    let joined_on = input.joined_on.unwrap_or_else(|| now.date_naive());
    check_joined_on(&mut errors, joined_on, now.date_naive());
    let countries = check_countries(&mut errors, &input.countries);
    let email = opt(&mut errors, "contactEmail", input.contact_email.as_deref(), text::email);
    let phone = opt(&mut errors, "contactPhone", input.contact_phone.as_deref(), text::phone);
    let address = errors.check(&["contactAddress"], text::optional_line(input.contact_address.as_deref(), 500), text_code).flatten();
    if let Some(slug) = &slug {
        check_slug_free(db, &mut errors, slug, None).await?;
    }
    errors.ok()?;
    let (name, slug) = (checked(name)?, checked(slug)?);
    let model = partner::ActiveModel {
        id: Set(Uuid::now_v7()),
        search_text: Set(text::search_key(&format!("{name} {slug}"))),
        slug: Set(slug),
        name: Set(name),
        website: Set(website),
        languages: Set(StringList(languages)),
        status: Set(input.status.unwrap_or(PartnerStatus::Active)),
        joined_on: Set(joined_on),
        contact_email: Set(email),
        contact_phone: Set(phone),
        contact_address: Set(address),
        created_at: Set(now),
        updated_at: Set(now),
        archived_at: Set(None),
        version: Set(1),
    };
    let txn = db.begin().await?;
    let created = model.insert(&txn).await.map_err(slug_taken)?;
    replace_countries(&txn, created.id, &countries).await?;
    let event = DomainEvent::PartnerCreated { partner: created.id, countries: countries.iter().map(|c| c.as_str().to_owned()).collect() };
    let events = vec![record(&txn, clock, actor, &event).await?];
    txn.commit().await?;
    Ok(Written::new(created, events))
}

fn slug_taken(err: sea_orm::DbErr) -> WriteError {
    match err.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => field_error(&["slug"], UserErrorCode::Taken, "the slug is taken"),
        _ => err.into(),
    }
}

async fn replace_countries(db: &impl ConnectionTrait, partner_id: Uuid, countries: &[CountryCode]) -> Result<(), WriteError> {
    partner_country::Entity::delete_many().filter(partner_country::Column::PartnerId.eq(partner_id)).exec(db).await?;
    if !countries.is_empty() {
        partner_country::Entity::insert_many(
            countries
                .iter()
                .map(|c| partner_country::ActiveModel { partner_id: Set(partner_id), country_code: Set(c.as_str().to_owned()) }),
        )
        .exec(db)
        .await?;
    }
    Ok(())
}

/// Loads a partner for a write, checking it exists, is not archived and has the expected version.
async fn load_for_write(db: &impl ConnectionTrait, id: Uuid, expected_version: Option<i32>) -> Result<partner::Model, WriteError> {
    let Some(current) = partner::Entity::find_by_id(id).one(db).await? else {
        return Err(field_error(&["id"], UserErrorCode::NotFound, "no partner has this ID"));
    };
    if current.status == PartnerStatus::Archived {
        return Err(field_error(&["id"], UserErrorCode::Archived, "the partner is archived"));
    }
    if let Some(expected) = expected_version
        && expected != current.version
    {
        return Err(field_error(
            &["expectedVersion"],
            UserErrorCode::StaleVersion,
            format!("the partner changed since you read it (version {} now, {expected} read): reload and retry", current.version),
        ));
    }
    Ok(current)
}

/// Bumps the version of a row only if it is still `expected`; false when someone else won.
async fn bump_version(db: &impl ConnectionTrait, id: Uuid, expected: i32, now: DateTime<Utc>) -> Result<bool, WriteError> {
    let result = partner::Entity::update_many()
        .col_expr(partner::Column::Version, Expr::col(partner::Column::Version).add(1))
        .col_expr(partner::Column::UpdatedAt, Expr::value(now))
        .filter(partner::Column::Id.eq(id))
        .filter(partner::Column::Version.eq(expected))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

fn stale() -> WriteError {
    field_error(&["expectedVersion"], UserErrorCode::StaleVersion, "the partner changed since you read it: reload and retry")
}

/// Applies changes to a partner.
#[tracing::instrument(skip_all, fields(partner_id = %changes.id))]
pub async fn update<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    clock: &Clock,
    actor: &Actor,
    changes: PartnerChanges,
) -> Result<Written<partner::Model>, WriteError> {
    let now = clock.now();
    let mut errors = Errors::default();
    let name = changes.name.as_deref().and_then(|n| errors.check(&["name"], text::required_line(n, 200), text_code));
    let slug = changes.slug.as_deref().and_then(|s| errors.check(&["slug"], text::slug(s), text_code));
    let website = changes.website.as_ref().map(|w| opt(&mut errors, "website", w.as_deref(), text::website));
    let languages = changes.languages.as_ref().map(|l| check_languages(&mut errors, l));
    check_status(&mut errors, changes.status);
    if let Some(date) = changes.joined_on {
        check_joined_on(&mut errors, date, now.date_naive());
    }
    let countries = changes.countries.as_ref().map(|c| check_countries(&mut errors, c));
    let email = changes.contact_email.as_ref().map(|v| opt(&mut errors, "contactEmail", v.as_deref(), text::email));
    let phone = changes.contact_phone.as_ref().map(|v| opt(&mut errors, "contactPhone", v.as_deref(), text::phone));
    let address = changes
        .contact_address
        .as_ref()
        .map(|v| errors.check(&["contactAddress"], text::optional_line(v.as_deref(), 500), text_code).flatten());

    let txn = db.begin().await?;
    let current = load_for_write(&txn, changes.id, Some(changes.expected_version)).await?;
    if let Some(slug) = &slug {
        check_slug_free(&txn, &mut errors, slug, Some(current.id)).await?;
    }
    errors.ok()?;
    if !bump_version(&txn, current.id, current.version, now).await? {
        return Err(stale());
    }
    let mut model: partner::ActiveModel = current.clone().into();
    let (final_name, final_slug) = (name.as_deref().unwrap_or(&current.name), slug.as_deref().unwrap_or(&current.slug));
    model.search_text = Set(text::search_key(&format!("{final_name} {final_slug}")));
    if let Some(v) = name {
        model.name = Set(v);
    }
    if let Some(v) = slug {
        model.slug = Set(v);
    }
    if let Some(v) = website {
        model.website = Set(v);
    }
    if let Some(v) = languages {
        model.languages = Set(StringList(v));
    }
    if let Some(v) = changes.status {
        model.status = Set(v);
    }
    if let Some(v) = changes.joined_on {
        model.joined_on = Set(v);
    }
    if let Some(v) = email {
        model.contact_email = Set(v);
    }
    if let Some(v) = phone {
        model.contact_phone = Set(v);
    }
    if let Some(v) = address {
        model.contact_address = Set(v);
    }
    model.version = Set(current.version + 1);
    model.updated_at = Set(now);
    let updated = model.update(&txn).await.map_err(slug_taken)?;
    let mut events = Vec::new();
    let moved = match countries {
        Some(countries) => {
            let before = countries_of(&txn, updated.id).await?;
            replace_countries(&txn, updated.id, &countries).await?;
            let after: Vec<String> = countries.iter().map(|c| c.as_str().to_owned()).collect();
            let added: Vec<String> = after.iter().filter(|c| !before.contains(c)).cloned().collect();
            let removed: Vec<String> = before.into_iter().filter(|c| !after.contains(c)).collect();
            (!added.is_empty() || !removed.is_empty()).then_some(DomainEvent::PartnerCountriesChanged {
                partner: updated.id,
                added,
                removed,
            })
        }
        None => None,
    };
    let changed = changed_fields(&current, &updated);
    // An update always leaves a trace; one that only moved countries says so alone.
    if !changed.is_empty() || moved.is_none() {
        let event = DomainEvent::PartnerUpdated { partner: updated.id, changed: changed.into_iter().map(str::to_owned).collect() };
        events.push(record(&txn, clock, actor, &event).await?);
    }
    if let Some(event) = moved {
        events.push(record(&txn, clock, actor, &event).await?);
    }
    txn.commit().await?;
    Ok(Written::new(updated, events))
}

/// Archives a partner: it stops serving its countries but stays readable.
#[tracing::instrument(skip_all, fields(partner_id = %id))]
pub async fn archive<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    clock: &Clock,
    actor: &Actor,
    id: Uuid,
    expected_version: Option<i32>,
) -> Result<Written<partner::Model>, WriteError> {
    let now = clock.now();
    let txn = db.begin().await?;
    let current = load_for_write(&txn, id, expected_version).await?;
    if !bump_version(&txn, current.id, current.version, now).await? {
        return Err(stale());
    }
    let mut model: partner::ActiveModel = current.clone().into();
    model.status = Set(PartnerStatus::Archived);
    model.archived_at = Set(Some(now));
    model.updated_at = Set(now);
    model.version = Set(current.version + 1);
    let archived = model.update(&txn).await?;
    let events = vec![record(&txn, clock, actor, &DomainEvent::PartnerArchived { partner: archived.id }).await?];
    txn.commit().await?;
    Ok(Written::new(archived, events))
}

async fn countries_of(db: &impl ConnectionTrait, partner_id: Uuid) -> Result<Vec<String>, WriteError> {
    let rows = partner_country::Entity::find().filter(partner_country::Column::PartnerId.eq(partner_id)).all(db).await?;
    Ok(rows.into_iter().map(|r| r.country_code).collect())
}

/// The API names of the partner's columns that differ (never their values).
fn changed_fields(before: &partner::Model, after: &partner::Model) -> Vec<&'static str> {
    let pairs = [
        ("name", before.name != after.name),
        ("slug", before.slug != after.slug),
        ("website", before.website != after.website),
        ("languages", before.languages != after.languages),
        ("status", before.status != after.status),
        ("joinedOn", before.joined_on != after.joined_on),
        ("contactEmail", before.contact_email != after.contact_email),
        ("contactPhone", before.contact_phone != after.contact_phone),
        ("contactAddress", before.contact_address != after.contact_address),
    ];
    pairs.into_iter().filter_map(|(name, differs)| differs.then_some(name)).collect()
}
