//! Rules of donors: creating and changing a donor's profile, and reads.

use std::collections::HashMap;

use entity::{donor, donor_country};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set, TransactionSession, TransactionTrait,
};
use uuid::Uuid;

use crate::{
    auth::{Caller, Policy},
    clock::Clock,
    domain::{self, text},
    error::ApiError,
    events::{Actor, DomainEvent, Written, record},
    user_errors::{Errors, UserErrorCode, WriteError, checked, field_error, text_code},
};

/// Longest description.
pub const MAX_DESCRIPTION_CHARS: usize = 5000;
/// Most countries a donor lists.
pub const MAX_COUNTRIES: usize = 250;

/// A new donor's profile.
#[derive(Clone, Debug, Default)]
pub struct DonorInput {
    /// Name.
    pub name: String,
    /// URL-safe handle.
    pub slug: Option<String>,
    /// Web site.
    pub website: Option<String>,
    /// What it gives and why.
    pub description: Option<String>,
    /// Logo URL.
    pub logo_url: Option<String>,
    /// Countries where it gives.
    pub countries: Vec<String>,
}

/// A change of a donor's profile: `None` leaves a field, `Some(None)` clears it.
#[derive(Clone, Debug, Default)]
pub struct DonorPatch {
    /// Name.
    pub name: Option<String>,
    /// Web site.
    pub website: Option<Option<String>>,
    /// Description.
    pub description: Option<Option<String>>,
    /// Logo URL.
    pub logo_url: Option<Option<String>>,
    /// Countries (replaces the list).
    pub countries: Option<Vec<String>>,
}

fn optional_url(errors: &mut Errors, field: &str, value: Option<&str>) -> Option<String> {
    value.map(str::trim).filter(|w| !w.is_empty()).and_then(|w| errors.check(&[field], text::website(w), text_code))
}

fn check_countries(errors: &mut Errors, countries: &[String]) -> Vec<String> {
    if countries.len() > MAX_COUNTRIES {
        errors.add(&["countries"], UserErrorCode::TooMany, format!("at most {MAX_COUNTRIES} countries"));
        return Vec::new();
    }
    let mut out: Vec<String> = Vec::new();
    for (i, c) in countries.iter().enumerate() {
        match domain::CountryCode::parse(c) {
            Ok(code) if out.iter().any(|x| x == code.as_str()) => {
                errors.add(&["countries", &i.to_string()], UserErrorCode::Duplicate, format!("{} is listed twice", code.as_str()));
            }
            Ok(code) => out.push(code.as_str().to_owned()),
            Err(e) => errors.add(&["countries", &i.to_string()], UserErrorCode::UnknownCountry, e.to_string()),
        }
    }
    out
}

async fn replace_countries(txn: &impl ConnectionTrait, donor: Uuid, countries: &[String]) -> Result<(), ApiError> {
    donor_country::Entity::delete_many().filter(donor_country::Column::DonorId.eq(donor)).exec(txn).await?;
    if !countries.is_empty() {
        donor_country::Entity::insert_many(
            countries.iter().map(|c| donor_country::ActiveModel { donor_id: Set(donor), country_code: Set(c.clone()) }),
        )
        .exec(txn)
        .await?;
    }
    Ok(())
}

/// Creates a donor company.
pub async fn create<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    clock: &Clock,
    actor: &Actor,
    input: DonorInput,
) -> Result<Written<donor::Model>, WriteError> {
    let mut errors = Errors::default();
    let name = errors.check(&["name"], text::required_line(&input.name, 200), text_code);
    let slug = match (input.slug.as_deref(), &name) {
        (Some(s), _) => errors.check(&["slug"], text::slug(s), text_code),
        (None, Some(n)) => text::slug_from_name(n),
        (None, None) => None,
    };
    let website = optional_url(&mut errors, "website", input.website.as_deref());
    let logo_url = optional_url(&mut errors, "logoUrl", input.logo_url.as_deref());
    let description =
        errors.check(&["description"], text::optional_paragraph(input.description.as_deref(), MAX_DESCRIPTION_CHARS), text_code).flatten();
    let countries = check_countries(&mut errors, &input.countries);
    if let Some(slug) = &slug
        && by_slug(db, slug).await?.is_some()
    {
        errors.add(&["slug"], UserErrorCode::Taken, format!("the slug {slug} is taken"));
    }
    if name.is_some() && slug.is_none() {
        errors.add(&["slug"], UserErrorCode::Blank, "no slug can be derived from this name: give one");
    }
    errors.ok()?;
    let txn = db.begin().await?;
    let created = donor::ActiveModel {
        id: Set(Uuid::now_v7()),
        slug: Set(checked(slug)?),
        name: Set(checked(name)?),
        website: Set(website),
        description: Set(description),
        logo_url: Set(logo_url),
        created_at: Set(clock.now()),
    }
    .insert(&txn)
    .await?;
    replace_countries(&txn, created.id, &countries).await?;
    let events = vec![record(&txn, clock, actor, &DomainEvent::DonorCreated { donor: created.id, slug: created.slug.clone() }).await?];
    txn.commit().await?;
    Ok(Written::new(created, events))
}

/// Changes a donor's profile (its admins, platform admins).
pub async fn update<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    clock: &Clock,
    caller: &Caller,
    donor_id: Uuid,
    patch: DonorPatch,
) -> Result<Written<donor::Model>, WriteError> {
    let Some(current) = donor::Entity::find_by_id(donor_id).one(db).await? else {
        return Err(field_error(&["donor"], UserErrorCode::NotFound, "no such donor"));
    };
    Policy.authorize_donor_update(caller, current.id)?;
    let actor = Actor::of(caller)?;
    let mut errors = Errors::default();
    let name = patch.name.as_deref().and_then(|n| errors.check(&["name"], text::required_line(n, 200), text_code));
    let website = patch.website.as_ref().map(|w| optional_url(&mut errors, "website", w.as_deref()));
    let logo_url = patch.logo_url.as_ref().map(|w| optional_url(&mut errors, "logoUrl", w.as_deref()));
    let description = patch
        .description
        .as_ref()
        .map(|d| errors.check(&["description"], text::optional_paragraph(d.as_deref(), MAX_DESCRIPTION_CHARS), text_code).flatten());
    let countries = patch.countries.as_ref().map(|c| check_countries(&mut errors, c));
    errors.ok()?;
    let txn = db.begin().await?;
    let mut row: donor::ActiveModel = current.clone().into();
    if let Some(name) = name {
        row.name = Set(name);
    }
    if let Some(website) = website {
        row.website = Set(website);
    }
    if let Some(logo_url) = logo_url {
        row.logo_url = Set(logo_url);
    }
    if let Some(description) = description {
        row.description = Set(description);
    }
    let updated = row.update(&txn).await?;
    if let Some(countries) = &countries {
        replace_countries(&txn, updated.id, countries).await?;
    }
    let event = DomainEvent::DonorUpdated { donor: updated.id };
    let events = vec![record(&txn, clock, &actor, &event).await?];
    txn.commit().await?;
    Ok(Written::new(updated, events))
}

/// A donor by slug.
pub async fn by_slug(db: &impl ConnectionTrait, slug: &str) -> Result<Option<donor::Model>, ApiError> {
    Ok(donor::Entity::find().filter(donor::Column::Slug.eq(slug.trim().to_lowercase())).one(db).await?)
}

/// Donors by id.
pub async fn by_ids(db: &impl ConnectionTrait, ids: &[Uuid]) -> Result<HashMap<Uuid, donor::Model>, ApiError> {
    let rows = donor::Entity::find().filter(crate::db::id_in(db, donor::Column::Id, ids)).all(db).await?;
    Ok(rows.into_iter().map(|m| (m.id, m)).collect())
}

/// The countries of each donor, sorted.
pub async fn countries_of(db: &impl ConnectionTrait, ids: &[Uuid]) -> Result<HashMap<Uuid, Vec<String>>, ApiError> {
    let rows = donor_country::Entity::find()
        .filter(crate::db::id_in(db, donor_country::Column::DonorId, ids))
        .order_by_asc(donor_country::Column::CountryCode)
        .all(db)
        .await?;
    let mut out: HashMap<Uuid, Vec<String>> = HashMap::new();
    for row in rows {
        out.entry(row.donor_id).or_default().push(row.country_code);
    }
    Ok(out)
}
