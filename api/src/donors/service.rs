//! Rules of donors.

use entity::donor;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, TransactionSession, TransactionTrait};
use uuid::Uuid;

use crate::{
    clock::Clock,
    domain::text,
    error::ApiError,
    events::{Actor, DomainEvent, Written, record},
    user_errors::{Errors, UserErrorCode, WriteError, checked, text_code},
};

/// Creates a donor company.
pub async fn create<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    clock: &Clock,
    actor: &Actor,
    name: &str,
    slug: Option<&str>,
    website: Option<&str>,
) -> Result<Written<donor::Model>, WriteError> {
    let mut errors = Errors::default();
    let name = errors.check(&["name"], text::required_line(name, 200), text_code);
    let slug = match (slug, &name) {
        (Some(s), _) => errors.check(&["slug"], text::slug(s), text_code),
        (None, Some(n)) => text::slug_from_name(n),
        (None, None) => None,
    };
    let website = website.map(str::trim).filter(|w| !w.is_empty()).and_then(|w| errors.check(&["website"], text::website(w), text_code));
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
        description: Set(None),
        logo_url: Set(None),
        created_at: Set(clock.now()),
    }
    .insert(&txn)
    .await?;
    let events = vec![record(&txn, clock, actor, &DomainEvent::DonorCreated { donor: created.id, slug: created.slug.clone() }).await?];
    txn.commit().await?;
    Ok(Written::new(created, events))
}

/// A donor by slug.
pub async fn by_slug(db: &impl ConnectionTrait, slug: &str) -> Result<Option<donor::Model>, ApiError> {
    Ok(donor::Entity::find().filter(donor::Column::Slug.eq(slug.trim().to_lowercase())).one(db).await?)
}

/// Donors by id.
pub async fn by_ids(db: &impl ConnectionTrait, ids: &[Uuid]) -> Result<std::collections::HashMap<Uuid, donor::Model>, ApiError> {
    let rows = donor::Entity::find().filter(donor::Column::Id.is_in(ids.iter().copied())).all(db).await?;
    Ok(rows.into_iter().map(|m| (m.id, m)).collect())
}
