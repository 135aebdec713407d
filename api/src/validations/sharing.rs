//! Consent-based sharing (issue 10, item 8): an organization's owners and
//! admins issue a share token (shown once, stored as a hash, valid 60 days,
//! revocable); a donor redeems it, and from then on, until it expires or is
//! revoked, that donor's validation lookups see the organization even when
//! HIDDEN. Every issue, revocation and redemption is a domain event whose
//! subject is the organization.

use chrono::{DateTime, Duration, Utc};
use entity::{donor, validation_share_token as share};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect, Set, TransactionSession,
    TransactionTrait, Value, sea_query::Expr,
};
use uuid::Uuid;

use crate::{
    auth::{
        Caller, OrgScope, Policy,
        tokens::{hash_token, random_token},
    },
    clock::Clock,
    domain::text,
    error::ApiError,
    events::{Actor, DomainEvent, Written, record},
    pagination::{Keyset, Page, PageRequest, paginate},
    user_errors::{Errors, UserErrorCode, WriteError, field_error, text_code},
};

/// How long a share token works after it is issued, in days.
pub const SHARE_TOKEN_DAYS: i64 = 60;
/// Longest note on a share token.
pub const MAX_NOTE_CHARS: usize = 500;

/// A token just issued: the plain token (shown once) and its record.
#[derive(Clone, Debug)]
pub struct IssuedToken {
    /// The token to hand to the donor; never stored, never shown again.
    pub token: String,
    /// Its record.
    pub record: share::Model,
}

/// Issues a share token for an organization (its owners and admins, platform
/// admins). An organization outside `read_scope`, or archived, is NOT_FOUND.
#[tracing::instrument(skip_all)]
pub async fn create<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    clock: &Clock,
    caller: &Caller,
    read_scope: &OrgScope,
    organization: Uuid,
    note: Option<String>,
) -> Result<Written<IssuedToken>, WriteError> {
    let actor = Actor::of(caller)?;
    let mut errors = Errors::default();
    let note = errors.check(&["note"], text::optional_paragraph(note.as_deref(), MAX_NOTE_CHARS), text_code).flatten();
    let txn = db.begin().await?;
    let found = crate::organizations::service::by_ids(&txn, read_scope, &[organization]).await?;
    let Some(org) = found.into_iter().next().filter(|o| o.archived_at.is_none()) else {
        return Err(field_error(&["organization"], UserErrorCode::NotFound, "no such organization"));
    };
    Policy.authorize_share_token(caller, org.id)?;
    errors.ok()?;
    let now = clock.now();
    let token = random_token();
    let issued = share::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(org.id),
        token_hash: Set(hash_token(&token)),
        note: Set(note),
        created_by: Set(actor.user_id()),
        created_at: Set(now),
        expires_at: Set(now + Duration::days(SHARE_TOKEN_DAYS)),
        revoked_at: Set(None),
        redeemed_donor_id: Set(None),
        redeemed_at: Set(None),
    }
    .insert(&txn)
    .await?;
    let event = DomainEvent::ValidationShareTokenCreated { share_token: issued.id, organization: org.id, expires_at: issued.expires_at };
    let events = vec![record(&txn, clock, &actor, &event).await?];
    txn.commit().await?;
    Ok(Written::new(IssuedToken { token, record: issued }, events))
}

/// Revokes a share token (the organization's owners and admins, platform
/// admins): the donor that redeemed it no longer sees the organization if it
/// is HIDDEN. A token already revoked is INVALID_TRANSITION.
#[tracing::instrument(skip_all)]
pub async fn revoke<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    clock: &Clock,
    caller: &Caller,
    id: Uuid,
) -> Result<Written<share::Model>, WriteError> {
    let actor = Actor::of(caller)?;
    let txn = db.begin().await?;
    let Some(token) = share::Entity::find_by_id(id).one(&txn).await? else {
        return Err(field_error(&["id"], UserErrorCode::NotFound, "no such share token"));
    };
    Policy.authorize_share_token(caller, token.organization_id)?;
    if token.revoked_at.is_some() {
        return Err(field_error(&["id"], UserErrorCode::InvalidTransition, "the share token is already revoked"));
    }
    let mut row: share::ActiveModel = token.clone().into();
    row.revoked_at = Set(Some(clock.now()));
    let revoked = row.update(&txn).await?;
    let event = DomainEvent::ValidationShareTokenRevoked {
        share_token: revoked.id,
        organization: revoked.organization_id,
        donor: revoked.redeemed_donor_id,
    };
    let events = vec![record(&txn, clock, &actor, &event).await?];
    txn.commit().await?;
    Ok(Written::new(revoked, events))
}

fn invalid_token() -> WriteError {
    field_error(&["token"], UserErrorCode::InvalidToken, "this share token is not valid: ask the organization for a new one")
}

/// Redeems a share token for the caller's donor (its admins and integrators,
/// or its API keys with `validations:read`). Unknown, expired, revoked and
/// already redeemed tokens are one answer: INVALID_TOKEN.
#[tracing::instrument(skip_all)]
pub async fn redeem<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    clock: &Clock,
    caller: &Caller,
    token: &str,
) -> Result<Written<share::Model>, WriteError> {
    let donor = Policy.authorize_redeem_share_token(caller)?;
    let actor = Actor::of(caller)?;
    let now = clock.now();
    let txn = db.begin().await?;
    let Some(found) = share::Entity::find().filter(share::Column::TokenHash.eq(hash_token(token.trim()))).one(&txn).await? else {
        return Err(invalid_token());
    };
    if found.revoked_at.is_some() || found.redeemed_donor_id.is_some() || found.expires_at <= now {
        return Err(invalid_token());
    }
    // One redemption wins a race: the other finds the token taken.
    let result = share::Entity::update_many()
        .col_expr(share::Column::RedeemedDonorId, Expr::value(Some(donor)))
        .col_expr(share::Column::RedeemedAt, Expr::value(Some(now)))
        .filter(share::Column::Id.eq(found.id))
        .filter(share::Column::RedeemedDonorId.is_null())
        .filter(share::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?;
    if result.rows_affected != 1 {
        return Err(invalid_token());
    }
    let redeemed = share::Model { redeemed_donor_id: Some(donor), redeemed_at: Some(now), ..found };
    let event = DomainEvent::ValidationShareTokenRedeemed { share_token: redeemed.id, organization: redeemed.organization_id, donor };
    let events = vec![record(&txn, clock, &actor, &event).await?];
    txn.commit().await?;
    Ok(Written::new(redeemed, events))
}

/// The organizations shared with any of `donors` now: redeemed by one of
/// them, not revoked, not expired. One statement.
pub async fn shared_with(db: &impl ConnectionTrait, donors: &[Uuid], now: DateTime<Utc>) -> Result<Vec<Uuid>, ApiError> {
    let ids: Vec<Uuid> = share::Entity::find()
        .select_only()
        .column(share::Column::OrganizationId)
        .filter(share::Column::RedeemedDonorId.is_in(donors.iter().copied()))
        .filter(share::Column::RevokedAt.is_null())
        .filter(share::Column::ExpiresAt.gt(now))
        .into_tuple()
        .all(db)
        .await?;
    Ok(ids)
}

/// A share token with the donor that redeemed it.
pub type TokenWithDonor = (share::Model, Option<donor::Model>);

/// One page of an organization's share tokens, newest first, with their donors
/// (two statements).
pub async fn tokens_of(db: &impl ConnectionTrait, organization: Uuid, page: &PageRequest) -> Result<Page<TokenWithDonor>, ApiError> {
    let select = share::Entity::find().filter(share::Column::OrganizationId.eq(organization));
    let keyset = Keyset { tag: "share:created:desc".to_owned(), sort: share::Column::CreatedAt, id: share::Column::Id, ascending: false };
    let parse = |k: &str| DateTime::parse_from_rfc3339(k).ok().map(|t| Value::from(t.to_utc()));
    let rows = paginate(db, select, &keyset, page, |m| (m.created_at.to_rfc3339(), m.id), parse).await?;
    let donor_ids: Vec<Uuid> = rows.items.iter().filter_map(|(_, m)| m.redeemed_donor_id).collect();
    let donors = donors_by_id(db, &donor_ids).await?;
    Ok(Page {
        items: rows
            .items
            .into_iter()
            .map(|(cursor, m)| {
                let donor = m.redeemed_donor_id.and_then(|d| donors.iter().find(|x| x.id == d).cloned());
                (cursor, (m, donor))
            })
            .collect(),
        has_next_page: rows.has_next_page,
        has_previous_page: rows.has_previous_page,
    })
}

/// Number of an organization's share tokens.
pub async fn count_tokens_of(db: &impl ConnectionTrait, organization: Uuid) -> Result<u64, ApiError> {
    Ok(share::Entity::find().filter(share::Column::OrganizationId.eq(organization)).count(db).await?)
}

/// Donors by id, in one statement.
pub async fn donors_by_id(db: &impl ConnectionTrait, ids: &[Uuid]) -> Result<Vec<donor::Model>, ApiError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(donor::Entity::find().filter(donor::Column::Id.is_in(ids.iter().copied())).all(db).await?)
}
