//! Rules of API keys: `cg_<8 characters>_<256 random bits>`, shown once, stored
//! as SHA-256, with named scopes, an optional expiry, last-use time, revocable.

use chrono::{DateTime, Utc};
use entity::{StringList, api_key, enums::MembershipScope};
use sea_orm::{
    ActiveEnum, ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionSession, TransactionTrait,
};
use uuid::Uuid;

use crate::{
    auth::{
        ApiScope,
        tokens::{hash_token, random_token},
    },
    clock::Clock,
    domain::text,
    error::ApiError,
    events::{Actor, DomainEvent, Written, record},
    user_errors::{Errors, UserErrorCode, WriteError, checked, field_error, text_code},
};

/// Most keys an owner may hold at once (revoked ones do not count).
pub const MAX_ACTIVE_KEYS: usize = 50;

/// Input of a new key.
#[derive(Clone, Debug)]
pub struct NewApiKey {
    /// Partner or donor.
    pub owner_scope: MembershipScope,
    /// Which one.
    pub owner_id: Uuid,
    /// A name to recognise it by.
    pub name: String,
    /// Named scopes.
    pub scopes: Vec<String>,
    /// When it stops working.
    pub expires_at: Option<DateTime<Utc>>,
    /// Who creates it.
    pub created_by: Option<Uuid>,
}

/// Creates a key; returns it with the plain key, which is never shown again
/// (nor recorded in its event).
pub async fn create<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    clock: &Clock,
    actor: &Actor,
    input: NewApiKey,
) -> Result<Written<(api_key::Model, String)>, WriteError> {
    let now = clock.now();
    let mut errors = Errors::default();
    let name = errors.check(&["name"], text::required_line(&input.name, 120), text_code);
    let mut scopes: Vec<String> = Vec::new();
    if input.scopes.is_empty() {
        errors.add(&["scopes"], UserErrorCode::Blank, "give the key at least one scope");
    }
    for (i, scope) in input.scopes.iter().enumerate() {
        match ApiScope::parse(&scope.trim().to_lowercase()) {
            None => errors.add(&["scopes", &i.to_string()], UserErrorCode::Invalid, format!("unknown scope; one of {}", ApiScope::names())),
            Some(scope) if !scopes.contains(&scope.as_str().to_owned()) => scopes.push(scope.as_str().to_owned()),
            Some(_) => {}
        }
    }
    if input.expires_at.is_some_and(|t| t <= now) {
        errors.add(&["expiresAt"], UserErrorCode::OutOfRange, "the expiry must be in the future");
    }
    let active = api_key::Entity::find()
        .filter(api_key::Column::OwnerScope.eq(input.owner_scope))
        .filter(api_key::Column::OwnerId.eq(input.owner_id))
        .filter(api_key::Column::RevokedAt.is_null())
        .all(db)
        .await?;
    if active.len() >= MAX_ACTIVE_KEYS {
        errors.add(&["owner"], UserErrorCode::TooMany, format!("at most {MAX_ACTIVE_KEYS} active keys; revoke one first"));
    }
    errors.ok()?;
    let name = checked(name)?;
    let prefix = format!("cg_{}", &random_token().replace(['-', '_'], "x")[..8]);
    let key = format!("{prefix}_{}", random_token());
    let txn = db.begin().await?;
    let created = api_key::ActiveModel {
        id: Set(Uuid::now_v7()),
        owner_scope: Set(input.owner_scope),
        owner_id: Set(input.owner_id),
        name: Set(name),
        prefix: Set(prefix),
        key_hash: Set(hash_token(&key)),
        scopes: Set(StringList(scopes)),
        created_by: Set(input.created_by),
        expires_at: Set(input.expires_at),
        last_used_at: Set(None),
        revoked_at: Set(None),
        created_at: Set(now),
    }
    .insert(&txn)
    .await?;
    let event = DomainEvent::ApiKeyCreated {
        api_key: created.id,
        owner_scope: created.owner_scope.to_value(),
        owner_id: created.owner_id,
        scopes: created.scopes.0.clone(),
    };
    let events = vec![record(&txn, clock, actor, &event).await?];
    txn.commit().await?;
    Ok(Written::new((created, key), events))
}

/// The live key matching a presented one; records its use (at most once a minute).
pub async fn authenticate(db: &DatabaseConnection, presented: &str) -> Result<Option<api_key::Model>, ApiError> {
    let found = api_key::Entity::find().filter(api_key::Column::KeyHash.eq(hash_token(presented.trim()))).one(db).await?;
    let now = Utc::now();
    let Some(key) = found.filter(|k| k.revoked_at.is_none() && k.expires_at.is_none_or(|t| t > now)) else { return Ok(None) };
    if key.last_used_at.is_none_or(|t| (now - t).num_seconds() >= 60) {
        let mut model: api_key::ActiveModel = key.clone().into();
        model.last_used_at = Set(Some(now));
        model.update(db).await?;
    }
    Ok(Some(key))
}

/// A key by id.
pub async fn by_id(db: &DatabaseConnection, id: Uuid) -> Result<Option<api_key::Model>, ApiError> {
    Ok(api_key::Entity::find_by_id(id).one(db).await?)
}

/// Revokes a key at once.
pub async fn revoke<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    clock: &Clock,
    actor: &Actor,
    key: api_key::Model,
) -> Result<Written<api_key::Model>, WriteError> {
    if key.revoked_at.is_some() {
        return Err(field_error(&["id"], UserErrorCode::Archived, "the key is already revoked"));
    }
    let txn = db.begin().await?;
    let mut model: api_key::ActiveModel = key.into();
    model.revoked_at = Set(Some(clock.now()));
    let revoked = model.update(&txn).await?;
    let event = DomainEvent::ApiKeyRevoked { api_key: revoked.id, owner_scope: revoked.owner_scope.to_value(), owner_id: revoked.owner_id };
    let events = vec![record(&txn, clock, actor, &event).await?];
    txn.commit().await?;
    Ok(Written::new(revoked, events))
}

/// The keys of an owner, newest first (revoked ones included).
pub async fn of_owner(db: &DatabaseConnection, scope: MembershipScope, owner_id: Uuid) -> Result<Vec<api_key::Model>, ApiError> {
    Ok(api_key::Entity::find()
        .filter(api_key::Column::OwnerScope.eq(scope))
        .filter(api_key::Column::OwnerId.eq(owner_id))
        .order_by_desc(api_key::Column::CreatedAt)
        .all(db)
        .await?)
}
