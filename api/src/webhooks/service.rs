//! Rules and SQL of webhooks: registering and changing endpoints, writing a
//! delivery for each endpoint an event goes to (in the event's transaction),
//! redelivering by hand, and reading the log. No GraphQL types; sending is
//! `dispatch.rs`.

use chrono::{DateTime, Duration, Utc};
use entity::{
    StringList, donation_request, donor, enums::MembershipScope, event, partner, partner_country, program, webhook_attempt,
    webhook_delivery, webhook_endpoint,
};
use sea_orm::{
    ActiveEnum, ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Select,
    Set, TransactionSession, TransactionTrait,
    sea_query::{Expr, ExprTrait as _, Query},
};
use uuid::Uuid;

use super::{
    signing,
    target::{self, TargetError, TargetRules},
};
use crate::{
    auth::{Policy, policy::webhooks::WebhookAudience},
    clock::Clock,
    domain::text,
    error::ApiError,
    events::{Actor, DomainEvent, Written, record},
    pagination::{Keyset, Page, PageRequest, paginate, time_key},
    user_errors::{Errors, UserErrorCode, WriteError, checked, field_error, text_code},
};

/// Most endpoints an owner may hold.
pub const MAX_ENDPOINTS: u64 = 20;
/// How long a delivery is retried after its event (or a redelivery by hand).
pub const RETRY_WINDOW: Duration = Duration::hours(24);
/// Most attempts listed for a delivery (the newest).
pub const MAX_ATTEMPTS_LISTED: u64 = 50;

/// `webhook_deliveries.status` of a delivery still to make (or to retry).
pub const PENDING: &str = "pending";
/// `webhook_deliveries.status` of a delivery the endpoint acknowledged (2xx).
pub const SUCCEEDED: &str = "succeeded";
/// `webhook_deliveries.status` of a delivery that failed for its whole retry window.
pub const FAILED: &str = "failed";

/// `webhook_endpoints.disabled_reason` of an endpoint disabled by its owner.
pub const DISABLED_MANUALLY: &str = "manual";
/// `webhook_endpoints.disabled_reason` of an endpoint disabled after persistent failure.
pub const DISABLED_FAILING: &str = "failing";

/// A new endpoint.
#[derive(Clone, Debug)]
pub struct NewEndpoint {
    /// Partner or donor.
    pub owner_scope: MembershipScope,
    /// Which one.
    pub owner_id: Uuid,
    /// Where to POST.
    pub url: String,
    /// A note to recognise it by.
    pub description: Option<String>,
    /// Event types (wire names).
    pub event_types: Vec<String>,
    /// The user registering it.
    pub created_by: Option<Uuid>,
}

/// A change to an endpoint: the fields given.
#[derive(Clone, Debug, Default)]
pub struct EndpointChange {
    /// A new URL.
    pub url: Option<String>,
    /// A new description (empty clears it).
    pub description: Option<String>,
    /// New event types.
    pub event_types: Option<Vec<String>>,
    /// Enable or disable it.
    pub enabled: Option<bool>,
}

/// Longest URL kept (`webhook_endpoints.url`), once normalized.
pub const MAX_URL_LENGTH: usize = 2048;

/// Checks a URL as a target, and its length once normalized.
async fn check_target(raw: &str, rules: TargetRules) -> Result<url::Url, TargetError> {
    if raw.len() > MAX_URL_LENGTH {
        return Err(TargetError::TooLong);
    }
    let url = target::check_resolved(raw, rules).await?;
    if url.as_str().len() > MAX_URL_LENGTH {
        return Err(TargetError::TooLong);
    }
    Ok(url)
}

fn target_code(err: &TargetError) -> UserErrorCode {
    match err {
        TargetError::Malformed | TargetError::Fragment | TargetError::Credentials | TargetError::Scheme => UserErrorCode::Invalid,
        TargetError::NotPublic | TargetError::Unresolved => UserErrorCode::TargetNotAllowed,
        TargetError::TooLong => UserErrorCode::TooLong,
    }
}

/// Checks event types against what the owner's kind is offered: each known,
/// offered and given once; at least one.
fn check_event_types(errors: &mut Errors, scope: MembershipScope, given: &[String]) -> Vec<String> {
    let mut types: Vec<String> = Vec::new();
    if given.is_empty() {
        errors.add(&["eventTypes"], UserErrorCode::Blank, "choose at least one event type");
    }
    for (i, name) in given.iter().enumerate() {
        if !Policy.webhook_event_offered(scope, name) {
            let owner = if scope == MembershipScope::Partner { "partners" } else { "donors" };
            errors.add(&["eventTypes", &i.to_string()], UserErrorCode::Invalid, format!("this event type is not offered to {owner}"));
        } else if types.contains(name) {
            errors.add(&["eventTypes", &i.to_string()], UserErrorCode::Duplicate, "given twice");
        } else {
            types.push(name.clone());
        }
    }
    types
}

/// The owner exists and is not archived.
async fn check_owner(db: &impl ConnectionTrait, scope: MembershipScope, owner: Uuid) -> Result<(), WriteError> {
    let found = match scope {
        MembershipScope::Partner => partner::Entity::find_by_id(owner).one(db).await?.map(|p| p.archived_at.is_none()),
        MembershipScope::Donor => donor::Entity::find_by_id(owner).one(db).await?.map(|_| true),
        MembershipScope::Organization => None,
    };
    match found {
        None => Err(field_error(&["owner"], UserErrorCode::NotFound, "no partner or donor has this ID")),
        Some(false) => Err(field_error(&["owner"], UserErrorCode::Archived, "the partner is archived")),
        Some(true) => Ok(()),
    }
}

/// Registers an endpoint; returns it with its signing secret, which is shown
/// this once (and after a rotation), never recorded in an event.
pub async fn create<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    clock: &Clock,
    actor: &Actor,
    rules: TargetRules,
    input: NewEndpoint,
) -> Result<Written<(webhook_endpoint::Model, String)>, WriteError> {
    check_owner(db, input.owner_scope, input.owner_id).await?;
    let mut errors = Errors::default();
    let description = errors.check(&["description"], text::optional_line(input.description.as_deref(), 200), text_code);
    let types = check_event_types(&mut errors, input.owner_scope, &input.event_types);
    let held = webhook_endpoint::Entity::find()
        .filter(webhook_endpoint::Column::OwnerScope.eq(input.owner_scope))
        .filter(webhook_endpoint::Column::OwnerId.eq(input.owner_id))
        .count(db)
        .await
        .map_err(ApiError::from)?;
    if held >= MAX_ENDPOINTS {
        errors.add(&["owner"], UserErrorCode::TooMany, format!("at most {MAX_ENDPOINTS} endpoints; delete one first"));
    }
    let url = errors.check(&["url"], check_target(&input.url, rules).await, target_code);
    errors.ok()?;
    let (description, url) = (checked(description)?.unwrap_or_default(), checked(url)?);
    let secret = signing::new_secret();
    let now = clock.now();
    let txn = db.begin().await?;
    let created = webhook_endpoint::ActiveModel {
        id: Set(Uuid::now_v7()),
        owner_scope: Set(input.owner_scope),
        owner_id: Set(input.owner_id),
        url: Set(url.to_string()),
        description: Set(description),
        secret: Set(secret.clone()),
        event_types: Set(StringList(types)),
        enabled: Set(true),
        disabled_reason: Set(None),
        disabled_at: Set(None),
        failing_since: Set(None),
        last_success_at: Set(None),
        created_by: Set(input.created_by),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    let event = DomainEvent::WebhookEndpointCreated {
        endpoint: created.id,
        owner_scope: created.owner_scope.to_value(),
        owner_id: created.owner_id,
        event_types: created.event_types.0.clone(),
    };
    let events = vec![record(&txn, clock, actor, &event).await?];
    txn.commit().await?;
    Ok(Written::new((created, secret), events))
}

/// Changes an endpoint. Enabling one clears its failure record (deliveries
/// still pending resume; events while it was disabled were not kept for it).
pub async fn update<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    clock: &Clock,
    actor: &Actor,
    rules: TargetRules,
    endpoint: webhook_endpoint::Model,
    change: EndpointChange,
) -> Result<Written<webhook_endpoint::Model>, WriteError> {
    let mut errors = Errors::default();
    let mut changed: Vec<String> = Vec::new();
    let now = clock.now();
    let mut model: webhook_endpoint::ActiveModel = endpoint.clone().into();
    if let Some(raw) = &change.url
        && let Some(url) = errors.check(&["url"], check_target(raw, rules).await, target_code)
        && url.as_str() != endpoint.url
    {
        model.url = Set(url.to_string());
        changed.push("url".to_owned());
    }
    if let Some(given) = &change.description
        && let Some(description) = errors.check(&["description"], text::optional_line(Some(given), 200), text_code)
        && description.as_deref().unwrap_or_default() != endpoint.description
    {
        model.description = Set(description.unwrap_or_default());
        changed.push("description".to_owned());
    }
    if let Some(given) = &change.event_types {
        let types = check_event_types(&mut errors, endpoint.owner_scope, given);
        if types != endpoint.event_types.0 {
            model.event_types = Set(StringList(types));
            changed.push("eventTypes".to_owned());
        }
    }
    errors.ok()?;
    match change.enabled {
        Some(true) if !endpoint.enabled => {
            model.enabled = Set(true);
            model.disabled_reason = Set(None);
            model.disabled_at = Set(None);
            model.failing_since = Set(None);
            changed.push("enabled".to_owned());
        }
        Some(false) if endpoint.enabled => {
            model.enabled = Set(false);
            model.disabled_reason = Set(Some(DISABLED_MANUALLY.to_owned()));
            model.disabled_at = Set(Some(now));
            changed.push("enabled".to_owned());
        }
        _ => {}
    }
    if changed.is_empty() {
        return Ok(Written::new(endpoint, Vec::new()));
    }
    model.updated_at = Set(now);
    let txn = db.begin().await?;
    let updated = model.update(&txn).await?;
    let event = DomainEvent::WebhookEndpointUpdated {
        endpoint: updated.id,
        owner_scope: updated.owner_scope.to_value(),
        owner_id: updated.owner_id,
        changed,
    };
    let events = vec![record(&txn, clock, actor, &event).await?];
    txn.commit().await?;
    Ok(Written::new(updated, events))
}

/// Gives an endpoint a new secret at once (the old one stops signing);
/// returns the endpoint and the new secret, shown this once.
pub async fn rotate_secret<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    clock: &Clock,
    actor: &Actor,
    endpoint: webhook_endpoint::Model,
) -> Result<Written<(webhook_endpoint::Model, String)>, WriteError> {
    let secret = signing::new_secret();
    let txn = db.begin().await?;
    let mut model: webhook_endpoint::ActiveModel = endpoint.into();
    model.secret = Set(secret.clone());
    model.updated_at = Set(clock.now());
    let updated = model.update(&txn).await?;
    let event = DomainEvent::WebhookEndpointUpdated {
        endpoint: updated.id,
        owner_scope: updated.owner_scope.to_value(),
        owner_id: updated.owner_id,
        changed: vec!["secret".to_owned()],
    };
    let events = vec![record(&txn, clock, actor, &event).await?];
    txn.commit().await?;
    Ok(Written::new((updated, secret), events))
}

/// Deletes an endpoint with its deliveries and their log.
pub async fn delete<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    clock: &Clock,
    actor: &Actor,
    endpoint: webhook_endpoint::Model,
) -> Result<Written<webhook_endpoint::Model>, WriteError> {
    let txn = db.begin().await?;
    // Explicit (SQLite enforces foreign keys only when asked to).
    let deliveries: Vec<Uuid> = webhook_delivery::Entity::find()
        .select_only()
        .column(webhook_delivery::Column::Id)
        .filter(webhook_delivery::Column::EndpointId.eq(endpoint.id))
        .into_tuple()
        .all(&txn)
        .await?;
    webhook_attempt::Entity::delete_many().filter(webhook_attempt::Column::EndpointId.eq(endpoint.id)).exec(&txn).await?;
    for chunk in deliveries.chunks(500) {
        webhook_delivery::Entity::delete_many().filter(webhook_delivery::Column::Id.is_in(chunk.iter().copied())).exec(&txn).await?;
    }
    webhook_endpoint::Entity::delete_by_id(endpoint.id).exec(&txn).await?;
    let event = DomainEvent::WebhookEndpointDeleted {
        endpoint: endpoint.id,
        owner_scope: endpoint.owner_scope.to_value(),
        owner_id: endpoint.owner_id,
    };
    let events = vec![record(&txn, clock, actor, &event).await?];
    txn.commit().await?;
    Ok(Written::new(endpoint, events))
}

/// Sends a delivery again as soon as the dispatcher runs, with a new retry
/// window, whatever its status. Refused while the endpoint is disabled.
pub async fn redeliver(
    db: &impl ConnectionTrait,
    clock: &Clock,
    endpoint: &webhook_endpoint::Model,
    delivery: webhook_delivery::Model,
) -> Result<webhook_delivery::Model, WriteError> {
    if !endpoint.enabled {
        return Err(field_error(&["id"], UserErrorCode::EndpointDisabled, "the endpoint is disabled: enable it first"));
    }
    let now = clock.now();
    let mut model: webhook_delivery::ActiveModel = delivery.into();
    model.status = Set(PENDING.to_owned());
    model.next_attempt_at = Set(now);
    model.retry_until = Set(now + RETRY_WINDOW);
    model.locked_by = Set(None);
    model.locked_until = Set(None);
    model.updated_at = Set(now);
    Ok(model.update(db).await?)
}

/// The enabled endpoints of one audience, in one statement (the owners as a
/// subquery: this runs inside the transaction of every write that records
/// a webhook event).
async fn audience_endpoints(db: &impl ConnectionTrait, audience: &WebhookAudience) -> Result<Vec<webhook_endpoint::Model>, ApiError> {
    let endpoints = webhook_endpoint::Entity::find().filter(webhook_endpoint::Column::Enabled.eq(true));
    let endpoints = match audience {
        WebhookAudience::Donor(donor) => endpoints
            .filter(webhook_endpoint::Column::OwnerScope.eq(MembershipScope::Donor))
            .filter(webhook_endpoint::Column::OwnerId.eq(*donor)),
        WebhookAudience::PartnersServing(country) => {
            endpoints.filter(webhook_endpoint::Column::OwnerScope.eq(MembershipScope::Partner)).filter(
                webhook_endpoint::Column::OwnerId.in_subquery(
                    Query::select()
                        .column(partner_country::Column::PartnerId)
                        .from(partner_country::Entity)
                        .and_where(partner_country::Column::CountryCode.eq(country.as_str()))
                        .to_owned(),
                ),
            )
        }
        WebhookAudience::DonorsRequestedBy(organization) => {
            endpoints.filter(webhook_endpoint::Column::OwnerScope.eq(MembershipScope::Donor)).filter(
                webhook_endpoint::Column::OwnerId.in_subquery(
                    Query::select()
                        .column((program::Entity, program::Column::DonorId))
                        .from(program::Entity)
                        .inner_join(
                            donation_request::Entity,
                            Expr::col((donation_request::Entity, donation_request::Column::ProgramId))
                                .equals((program::Entity, program::Column::Id)),
                        )
                        .and_where(donation_request::Column::OrganizationId.eq(*organization))
                        .to_owned(),
                ),
            )
        }
    };
    Ok(endpoints.all(db).await?)
}

/// Writes one delivery for each enabled endpoint `event` (just stored as
/// `stored`) goes to, in the event's transaction: a delivery exists exactly
/// when its event committed, and the dispatcher takes it from there. Nothing
/// for events no webhook carries.
pub async fn enqueue_for(db: &impl ConnectionTrait, stored: &event::Model, event: &DomainEvent) -> Result<(), ApiError> {
    let audiences = Policy.webhook_audiences(event);
    if audiences.is_empty() {
        return Ok(());
    }
    let mut endpoints: Vec<Uuid> = Vec::new();
    for audience in &audiences {
        for endpoint in audience_endpoints(db, audience).await? {
            if endpoint.event_types.0.contains(&stored.event_type) && !endpoints.contains(&endpoint.id) {
                endpoints.push(endpoint.id);
            }
        }
    }
    if endpoints.is_empty() {
        return Ok(());
    }
    let at = stored.occurred_at;
    webhook_delivery::Entity::insert_many(endpoints.into_iter().map(|endpoint| webhook_delivery::ActiveModel {
        id: Set(Uuid::now_v7()),
        endpoint_id: Set(endpoint),
        event_id: Set(stored.id),
        event_type: Set(stored.event_type.clone()),
        status: Set(PENDING.to_owned()),
        attempts: Set(0),
        next_attempt_at: Set(at),
        retry_until: Set(at + RETRY_WINDOW),
        locked_by: Set(None),
        locked_until: Set(None),
        last_status_code: Set(None),
        last_error: Set(None),
        created_at: Set(at),
        updated_at: Set(at),
        delivered_at: Set(None),
    }))
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// An endpoint by id.
pub async fn by_id(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<webhook_endpoint::Model>, ApiError> {
    Ok(webhook_endpoint::Entity::find_by_id(id).one(db).await?)
}

/// A delivery by id, with its endpoint.
pub async fn delivery_by_id(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<(webhook_delivery::Model, webhook_endpoint::Model)>, ApiError> {
    let found = webhook_delivery::Entity::find_by_id(id).find_also_related(webhook_endpoint::Entity).one(db).await?;
    Ok(found.and_then(|(delivery, endpoint)| endpoint.map(|e| (delivery, e))))
}

/// The event a delivery carries.
pub async fn event_of(db: &impl ConnectionTrait, event: Uuid) -> Result<Option<entity::event::Model>, ApiError> {
    Ok(entity::event::Entity::find_by_id(event).one(db).await?)
}

/// The endpoints of an owner, oldest first.
pub async fn of_owner(db: &impl ConnectionTrait, scope: MembershipScope, owner: Uuid) -> Result<Vec<webhook_endpoint::Model>, ApiError> {
    Ok(webhook_endpoint::Entity::find()
        .filter(webhook_endpoint::Column::OwnerScope.eq(scope))
        .filter(webhook_endpoint::Column::OwnerId.eq(owner))
        .order_by_asc(webhook_endpoint::Column::CreatedAt)
        .order_by_asc(webhook_endpoint::Column::Id)
        .all(db)
        .await?)
}

fn deliveries_of(endpoint: Uuid, status: Option<&str>) -> Select<webhook_delivery::Entity> {
    let mut select = webhook_delivery::Entity::find().filter(webhook_delivery::Column::EndpointId.eq(endpoint));
    if let Some(status) = status {
        select = select.filter(webhook_delivery::Column::Status.eq(status));
    }
    select
}

/// One page of an endpoint's deliveries, newest first (of one status when given).
pub async fn deliveries(
    db: &impl ConnectionTrait,
    endpoint: Uuid,
    status: Option<&str>,
    request: &PageRequest,
) -> Result<Page<webhook_delivery::Model>, ApiError> {
    let keyset = Keyset {
        tag: format!("webhook_deliveries:{}:created:desc", status.unwrap_or("all")),
        sort: webhook_delivery::Column::CreatedAt,
        id: webhook_delivery::Column::Id,
        ascending: false,
    };
    let key_of = |m: &webhook_delivery::Model| (m.created_at.to_rfc3339(), m.id);
    paginate(db, deliveries_of(endpoint, status), &keyset, request, key_of, time_key).await
}

/// How many deliveries an endpoint has (of one status when given).
pub async fn count_deliveries(db: &impl ConnectionTrait, endpoint: Uuid, status: Option<&str>) -> Result<u64, ApiError> {
    Ok(deliveries_of(endpoint, status).count(db).await?)
}

/// A delivery's attempts, newest first (at most [`MAX_ATTEMPTS_LISTED`]).
pub async fn attempts(db: &impl ConnectionTrait, delivery: Uuid) -> Result<Vec<webhook_attempt::Model>, ApiError> {
    Ok(webhook_attempt::Entity::find()
        .filter(webhook_attempt::Column::DeliveryId.eq(delivery))
        .order_by_desc(webhook_attempt::Column::AttemptedAt)
        .order_by_desc(webhook_attempt::Column::Id)
        .limit(MAX_ATTEMPTS_LISTED)
        .all(db)
        .await?)
}

/// The time of the attempt after `attempts` failed ones: 5 s, 30 s, 2 min,
/// 10 min, 30 min, 1 h, 2 h, then every 4 h; never after the window ends
/// (the last attempt is made when it ends).
pub fn next_attempt(now: DateTime<Utc>, attempts: i32, retry_until: DateTime<Utc>) -> DateTime<Utc> {
    const DELAYS_SECS: [i64; 7] = [5, 30, 120, 600, 1800, 3600, 7200];
    let index = usize::try_from(attempts.saturating_sub(1)).unwrap_or(0);
    let delay = DELAYS_SECS.get(index).copied().unwrap_or(4 * 3600);
    std::cmp::min(now + Duration::seconds(delay), retry_until)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_exponentially_and_end_with_the_window() {
        let start = DateTime::parse_from_rfc3339("2026-12-01T00:00:00Z").expect("a time").with_timezone(&Utc);
        let until = start + RETRY_WINDOW;
        let (mut at, mut attempts, mut schedule) = (start, 0, Vec::new());
        while at < until {
            attempts += 1;
            at = next_attempt(at, attempts, until);
            schedule.push(at);
        }
        let offsets: Vec<i64> = schedule.iter().map(|t| (*t - start).num_seconds()).collect();
        assert_eq!(&offsets[..4], &[5, 35, 155, 755]);
        assert!(offsets.windows(2).all(|w| w[0] < w[1]), "each later than the one before: {offsets:?}");
        assert_eq!(*offsets.last().expect("some"), RETRY_WINDOW.num_seconds(), "the last attempt is when the window ends");
        assert_eq!(schedule.len(), 13, "retries after the first attempt, within the day");
    }
}
