//! Writing and reading notifications. No GraphQL types.

use entity::{
    enums::{MembershipScope, Role, TrainingRegistrationStatus},
    event, membership, notification, training_registration,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect, Select, Set, sea_query::Expr};
use uuid::Uuid;

use crate::{
    clock::Clock,
    error::ApiError,
    events::DomainEvent,
    pagination::{Keyset, Page, PageRequest, paginate, time_key},
    user_errors::{Errors, UserErrorCode, WriteError},
};

/// Most notifications marked read by ids in one call.
pub const MAX_MARKED: usize = 100;

/// What a notification tells, as stored (and as the API's enum names it).
pub const KINDS: [&str; 11] = [
    "VALIDATION_APPROVED",
    "VALIDATION_REJECTED",
    "VALIDATION_INFORMATION_REQUESTED",
    "VALIDATION_EXPIRED",
    "VALIDATION_REVOKED",
    "VALIDATION_EXPIRING",
    "DONATION_REQUEST_APPROVED",
    "DONATION_REQUEST_FULFILLED",
    "WAITLIST_PROMOTED",
    "TRAINING_SESSION_CANCELLED",
    "WEBHOOK_ENDPOINT_DISABLED",
];

/// The event types that write notifications (for `notificationAdded`).
pub const NOTIFYING_EVENTS: [&str; 10] = [
    "validation.approved",
    "validation.rejected",
    "validation.information_requested",
    "validation.expired",
    "validation.revoked",
    "donation_request.approved",
    "donation_request.fulfilled",
    "training_registration.promoted",
    "training_session.cancelled",
    "webhook_endpoint.disabled",
];

/// The users holding one of `roles` in a scope, each once.
async fn members_with(db: &impl ConnectionTrait, scope: MembershipScope, id: Uuid, roles: &[Role]) -> Result<Vec<Uuid>, ApiError> {
    let rows = membership::Entity::find()
        .filter(membership::Column::Scope.eq(scope))
        .filter(membership::Column::ScopeId.eq(id))
        .filter(membership::Column::Role.is_in(roles.iter().copied()))
        .all(db)
        .await?;
    let mut users: Vec<Uuid> = rows.into_iter().map(|m| m.user_id).collect();
    users.sort();
    users.dedup();
    Ok(users)
}

/// The owners and admins of an organization: who hears of its validation and its requests.
async fn organization_staff(db: &impl ConnectionTrait, organization: Uuid) -> Result<Vec<Uuid>, ApiError> {
    members_with(db, MembershipScope::Organization, organization, &[Role::Owner, Role::Admin]).await
}

/// The admins of a partner or donor (`scope` as events write it): who hears that its webhook endpoint was disabled.
async fn owner_admins(db: &impl ConnectionTrait, scope: &str, owner: Uuid) -> Result<Vec<Uuid>, ApiError> {
    let scope = if scope == "partner" { MembershipScope::Partner } else { MembershipScope::Donor };
    members_with(db, scope, owner, &[Role::Admin]).await
}

/// The people holding a seat or a place on the waitlist of a session.
async fn session_people(db: &impl ConnectionTrait, session: Uuid) -> Result<Vec<Uuid>, ApiError> {
    let rows = training_registration::Entity::find()
        .filter(training_registration::Column::SessionId.eq(session))
        .filter(
            training_registration::Column::Status.is_in([TrainingRegistrationStatus::Registered, TrainingRegistrationStatus::Waitlisted]),
        )
        .all(db)
        .await?;
    let mut users: Vec<Uuid> = rows.into_iter().map(|r| r.user_id).collect();
    users.sort();
    users.dedup();
    Ok(users)
}

/// Writes the notifications `event` (just stored as `stored`) gives rise
/// to, in the same transaction; nothing for events that concern no inbox.
pub async fn write_for(db: &impl ConnectionTrait, stored: &event::Model, event: &DomainEvent) -> Result<(), ApiError> {
    let (kind, users) = match event {
        DomainEvent::ValidationApproved(c) => ("VALIDATION_APPROVED", organization_staff(db, c.organization).await?),
        DomainEvent::ValidationRejected(c) => ("VALIDATION_REJECTED", organization_staff(db, c.organization).await?),
        DomainEvent::ValidationInformationRequested(c) => {
            ("VALIDATION_INFORMATION_REQUESTED", organization_staff(db, c.organization).await?)
        }
        DomainEvent::ValidationExpired(c) => ("VALIDATION_EXPIRED", organization_staff(db, c.organization).await?),
        DomainEvent::ValidationRevoked(c) => ("VALIDATION_REVOKED", organization_staff(db, c.organization).await?),
        DomainEvent::DonationRequestApproved(c) => ("DONATION_REQUEST_APPROVED", organization_staff(db, c.organization).await?),
        DomainEvent::DonationRequestFulfilled(c) => ("DONATION_REQUEST_FULFILLED", organization_staff(db, c.organization).await?),
        DomainEvent::TrainingRegistrationPromoted(r) => ("WAITLIST_PROMOTED", vec![r.user]),
        DomainEvent::TrainingSessionCancelled { session, .. } => ("TRAINING_SESSION_CANCELLED", session_people(db, *session).await?),
        DomainEvent::WebhookEndpointDisabled { owner_scope, owner_id, .. } => {
            ("WEBHOOK_ENDPOINT_DISABLED", owner_admins(db, owner_scope, *owner_id).await?)
        }
        _ => return Ok(()),
    };
    insert(db, &users, kind, &stored.subject, Some(stored.id), stored.occurred_at).await
}

/// Writes a reminder that stems from no event (an approval ending soon).
pub async fn remind(db: &impl ConnectionTrait, clock: &Clock, organization: Uuid, kind: &str, subject: &str) -> Result<(), ApiError> {
    let users = organization_staff(db, organization).await?;
    insert(db, &users, kind, subject, None, clock.now()).await
}

async fn insert(
    db: &impl ConnectionTrait,
    users: &[Uuid],
    kind: &str,
    subject: &str,
    event: Option<Uuid>,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<(), ApiError> {
    if users.is_empty() {
        return Ok(());
    }
    notification::Entity::insert_many(users.iter().map(|user| notification::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(*user),
        kind: Set(kind.to_owned()),
        subject: Set(subject.to_owned()),
        event_id: Set(event),
        created_at: Set(at),
        read_at: Set(None),
    }))
    .exec_without_returning(db)
    .await?;
    Ok(())
}

fn of_user(user: Uuid, unread_only: bool) -> Select<notification::Entity> {
    let mut select = notification::Entity::find().filter(notification::Column::UserId.eq(user));
    if unread_only {
        select = select.filter(notification::Column::ReadAt.is_null());
    }
    select
}

/// One page of a user's inbox, newest first.
pub async fn page(
    db: &impl ConnectionTrait,
    user: Uuid,
    unread_only: bool,
    request: &PageRequest,
) -> Result<Page<notification::Model>, ApiError> {
    let keyset = Keyset {
        tag: format!("notifications:{}:created:desc", if unread_only { "unread" } else { "all" }),
        sort: notification::Column::CreatedAt,
        id: notification::Column::Id,
        ascending: false,
    };
    let key_of = |m: &notification::Model| (m.created_at.to_rfc3339(), m.id);
    paginate(db, of_user(user, unread_only), &keyset, request, key_of, time_key).await
}

/// How many notifications a user has (unread ones only when asked).
pub async fn count(db: &impl ConnectionTrait, user: Uuid, unread_only: bool) -> Result<u64, ApiError> {
    Ok(of_user(user, unread_only).count(db).await?)
}

/// Which notifications to mark read.
#[derive(Clone, Debug)]
pub struct MarkRead {
    /// These (up to [`MAX_MARKED`]).
    pub ids: Option<Vec<Uuid>>,
    /// Every unread one.
    pub all: bool,
}

/// Marks a user's notifications read: those of `ids`, or `all` of them
/// (giving both or neither is INVALID, more than [`MAX_MARKED`] ids
/// TOO_MANY, nothing marked). Others' notifications are left alone and not
/// counted. Returns how many changed.
pub async fn mark_read(db: &impl ConnectionTrait, clock: &Clock, user: Uuid, which: &MarkRead) -> Result<u64, WriteError> {
    let mut errors = Errors::default();
    match (&which.ids, which.all) {
        (Some(_), true) | (None, false) => errors.add(&["ids"], UserErrorCode::Invalid, "give either `ids` or `all: true`"),
        (Some(ids), false) if ids.len() > MAX_MARKED => {
            errors.add(&["ids"], UserErrorCode::TooMany, format!("at most {MAX_MARKED} at once (or `all: true`)"));
        }
        _ => {}
    }
    errors.ok()?;
    let mut update = notification::Entity::update_many()
        .col_expr(notification::Column::ReadAt, Expr::value(Some(clock.now())))
        .filter(notification::Column::UserId.eq(user))
        .filter(notification::Column::ReadAt.is_null());
    if let Some(ids) = &which.ids {
        update = update.filter(notification::Column::Id.is_in(ids.iter().copied()));
    }
    Ok(update.exec(db).await.map_err(ApiError::from)?.rows_affected)
}

/// A user's notifications written for one event.
pub async fn of_event(db: &impl ConnectionTrait, event: Uuid, user: Uuid) -> Result<Vec<notification::Model>, ApiError> {
    Ok(notification::Entity::find()
        .filter(notification::Column::EventId.eq(event))
        .filter(notification::Column::UserId.eq(user))
        .limit(10)
        .all(db)
        .await?)
}
