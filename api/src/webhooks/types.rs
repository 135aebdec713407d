//! GraphQL types of webhooks.

use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use entity::enums::MembershipScope;

use super::service;
use crate::{
    graphql::{
        connection::{Conn, Listed, TotalCount, from_page},
        context::db,
        relay::{NodeKind, encode_uuid},
        user_error::{UserError, payload},
    },
    pagination::PageRequest,
};

/// An event type a webhook endpoint may receive. Its wire name (the body's
/// `type`) is the lower-case, dotted form, e.g. `donation_request.approved`.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum WebhookEventType {
    /// `donation_request.submitted`: an organization requested from one of the donor's programs (donors).
    DonationRequestSubmitted,
    /// `donation_request.approved`: a request to one of the donor's programs was approved (donors).
    DonationRequestApproved,
    /// `donation_request.rejected`: a request to one of the donor's programs was rejected (donors).
    DonationRequestRejected,
    /// `donation_request.fulfilled`: a request to one of the donor's programs was fulfilled (donors).
    DonationRequestFulfilled,
    /// `donation_request.cancelled`: a request to one of the donor's programs was cancelled (donors).
    DonationRequestCancelled,
    /// `program.created`: the donor added a program (donors).
    ProgramCreated,
    /// `program.updated`: one of the donor's programs changed (donors).
    ProgramUpdated,
    /// `program.archived`: the donor withdrew a program (donors).
    ProgramArchived,
    /// `validation.opened`: a validation case was opened in a country the partner serves (partners).
    ValidationOpened,
    /// `validation.submitted`: a case was submitted for review (partners).
    ValidationSubmitted,
    /// `validation.review_started`: a validator took a case (partners).
    ValidationReviewStarted,
    /// `validation.approval_recorded`: a first approval was recorded; a second is needed (partners).
    ValidationApprovalRecorded,
    /// `validation.information_requested`: the validators asked the organization for more (partners).
    ValidationInformationRequested,
    /// `validation.rejected`: a case was rejected (partners).
    ValidationRejected,
    /// `validation.approved`: an organization was approved — in a country the
    /// partner serves, or one that requested from the donor (partners and donors).
    ValidationApproved,
    /// `validation.expired`: an approval ended (partners and donors, as above).
    ValidationExpired,
    /// `validation.revoked`: an approval was revoked (partners and donors, as above).
    ValidationRevoked,
    /// `organization.created`: an organization was added in a country the partner serves (partners).
    OrganizationCreated,
    /// `organization.updated`: an organization of a country the partner serves changed (partners).
    OrganizationUpdated,
    /// `organization.archived`: an organization of a country the partner serves was archived (partners).
    OrganizationArchived,
}

impl WebhookEventType {
    /// Every type, in the order the API lists them.
    pub const ALL: [Self; 20] = [
        Self::DonationRequestSubmitted,
        Self::DonationRequestApproved,
        Self::DonationRequestRejected,
        Self::DonationRequestFulfilled,
        Self::DonationRequestCancelled,
        Self::ProgramCreated,
        Self::ProgramUpdated,
        Self::ProgramArchived,
        Self::ValidationOpened,
        Self::ValidationSubmitted,
        Self::ValidationReviewStarted,
        Self::ValidationApprovalRecorded,
        Self::ValidationInformationRequested,
        Self::ValidationRejected,
        Self::ValidationApproved,
        Self::ValidationExpired,
        Self::ValidationRevoked,
        Self::OrganizationCreated,
        Self::OrganizationUpdated,
        Self::OrganizationArchived,
    ];

    /// The wire name, e.g. `donation_request.approved`.
    pub fn wire(self) -> &'static str {
        match self {
            Self::DonationRequestSubmitted => "donation_request.submitted",
            Self::DonationRequestApproved => "donation_request.approved",
            Self::DonationRequestRejected => "donation_request.rejected",
            Self::DonationRequestFulfilled => "donation_request.fulfilled",
            Self::DonationRequestCancelled => "donation_request.cancelled",
            Self::ProgramCreated => "program.created",
            Self::ProgramUpdated => "program.updated",
            Self::ProgramArchived => "program.archived",
            Self::ValidationOpened => "validation.opened",
            Self::ValidationSubmitted => "validation.submitted",
            Self::ValidationReviewStarted => "validation.review_started",
            Self::ValidationApprovalRecorded => "validation.approval_recorded",
            Self::ValidationInformationRequested => "validation.information_requested",
            Self::ValidationRejected => "validation.rejected",
            Self::ValidationApproved => "validation.approved",
            Self::ValidationExpired => "validation.expired",
            Self::ValidationRevoked => "validation.revoked",
            Self::OrganizationCreated => "organization.created",
            Self::OrganizationUpdated => "organization.updated",
            Self::OrganizationArchived => "organization.archived",
        }
    }

    /// The type of a wire name.
    pub fn parse(wire: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.wire() == wire)
    }
}

/// Who owns webhook endpoints.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum WebhookOwnerKind {
    /// A network partner.
    Partner,
    /// A donor company.
    Donor,
}

/// An event type with what it is for and who may receive it (`webhookEventTypes`).
#[derive(SimpleObject)]
pub struct WebhookEventTypeInfo {
    /// The type.
    pub event_type: WebhookEventType,
    /// Its wire name: the `type` of the delivered body.
    pub name: &'static str,
    /// The kinds of owner whose endpoints may receive it.
    pub offered_to: Vec<WebhookOwnerKind>,
}

/// Why an endpoint is disabled.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum WebhookDisabledReason {
    /// Its owner disabled it.
    Manual,
    /// Its deliveries failed for 24 hours without a success: fix the
    /// receiver, then enable it again (and redeliver what failed).
    Failing,
}

/// Where a delivery stands.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum WebhookDeliveryStatus {
    /// Not yet acknowledged: to be sent, or retried at `nextAttemptAt`.
    Pending,
    /// The endpoint answered 2xx.
    Succeeded,
    /// Every attempt for 24 hours failed. `redeliverWebhookDelivery` tries again.
    Failed,
}

impl WebhookDeliveryStatus {
    /// The stored name.
    pub fn stored(self) -> &'static str {
        match self {
            Self::Pending => service::PENDING,
            Self::Succeeded => service::SUCCEEDED,
            Self::Failed => service::FAILED,
        }
    }
}

/// A webhook endpoint of a partner or donor. Read by its owner's admins,
/// its keys holding `webhooks:write`, and platform admins.
#[derive(Clone, Debug)]
pub struct WebhookEndpoint(pub entity::webhook_endpoint::Model);

impl WebhookEndpoint {
    /// The type of its global IDs.
    pub const KIND: NodeKind = NodeKind::new("WebhookEndpoint");
}

/// Where events of the chosen types are POSTed, signed per Standard Webhooks
/// (`webhook-id`: the event's id, the same on every retry — de-duplicate on
/// it; `webhook-timestamp`; `webhook-signature`: `v1,` and the base64
/// HMAC-SHA256 of `id.timestamp.body` with the secret). Answer 2xx within
/// 15 seconds; anything else is retried with backoff for 24 hours.
#[Object]
impl WebhookEndpoint {
    /// Global ID.
    async fn id(&self) -> ID {
        encode_uuid(Self::KIND, self.0.id)
    }

    /// Global ID of the owning partner or donor.
    async fn owner_id(&self) -> ID {
        owner_node(self.0.owner_scope, self.0.owner_id)
    }

    /// Where deliveries are POSTed.
    async fn url(&self) -> &str {
        &self.0.url
    }

    /// A note to recognise it by (may be empty).
    async fn description(&self) -> &str {
        &self.0.description
    }

    /// The event types it receives.
    async fn event_types(&self) -> Vec<WebhookEventType> {
        self.0.event_types.0.iter().filter_map(|t| WebhookEventType::parse(t)).collect()
    }

    /// False once disabled; a disabled endpoint receives nothing (events in
    /// the meantime are not kept for it).
    async fn enabled(&self) -> bool {
        self.0.enabled
    }

    /// Why it is disabled.
    async fn disabled_reason(&self) -> Option<WebhookDisabledReason> {
        match self.0.disabled_reason.as_deref() {
            Some(service::DISABLED_MANUALLY) => Some(WebhookDisabledReason::Manual),
            Some(service::DISABLED_FAILING) => Some(WebhookDisabledReason::Failing),
            _ => None,
        }
    }

    /// When it was disabled.
    async fn disabled_at(&self) -> Option<DateTime<Utc>> {
        self.0.disabled_at
    }

    /// Since when its attempts have failed without a success in between; null while healthy.
    async fn failing_since(&self) -> Option<DateTime<Utc>> {
        self.0.failing_since
    }

    /// The last successful delivery.
    async fn last_success_at(&self) -> Option<DateTime<Utc>> {
        self.0.last_success_at
    }

    /// When it was registered.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// Its deliveries, newest first (of one status when given).
    #[graphql(complexity = "first.unwrap_or(0).clamp(0, 100) as usize * child_complexity + 5")]
    async fn deliveries(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only those in this status.")] status: Option<WebhookDeliveryStatus>,
        #[graphql(desc = "Returns the first n items (0 to 100).")] first: Option<i32>,
        #[graphql(desc = "Returns the items after this cursor.")] after: Option<String>,
    ) -> Result<Conn<WebhookDelivery>> {
        let page = PageRequest::from_args(first, after.as_deref(), None, None)?;
        let db = db(ctx)?.clone();
        let (endpoint, status) = (self.0.id, status.map(WebhookDeliveryStatus::stored));
        let rows = service::deliveries(&db, endpoint, status, &page).await?;
        let total = TotalCount::lazy(move || {
            let db = db.clone();
            Box::pin(async move { service::count_deliveries(&db, endpoint, status).await })
        });
        Ok(from_page(rows, total, WebhookDelivery))
    }
}

/// The global ID of a partner or donor.
pub fn owner_node(scope: MembershipScope, id: uuid::Uuid) -> ID {
    let kind = if scope == MembershipScope::Partner { crate::partners::types::Partner::KIND } else { crate::donors::types::Donor::KIND };
    encode_uuid(kind, id)
}

/// One event to deliver to one endpoint.
#[derive(Clone, Debug)]
pub struct WebhookDelivery(pub entity::webhook_delivery::Model);

impl WebhookDelivery {
    /// The type of its global IDs.
    pub const KIND: NodeKind = NodeKind::new("WebhookDelivery");
}

impl Listed for WebhookDelivery {
    const CONNECTION: &'static str = "WebhookDeliveryConnection";
    const EDGE: &'static str = "WebhookDeliveryEdge";
}

/// One event delivered (or to deliver) to one endpoint, with its attempts.
#[Object]
impl WebhookDelivery {
    /// Global ID (for `redeliverWebhookDelivery`).
    async fn id(&self) -> ID {
        encode_uuid(Self::KIND, self.0.id)
    }

    /// The event's id: the `webhook-id` header and the body's `id`, the
    /// same on every attempt.
    async fn event_id(&self) -> String {
        self.0.event_id.to_string()
    }

    /// The event's type.
    async fn event_type(&self) -> Option<WebhookEventType> {
        WebhookEventType::parse(&self.0.event_type)
    }

    /// Where it stands.
    async fn status(&self) -> WebhookDeliveryStatus {
        match self.0.status.as_str() {
            service::SUCCEEDED => WebhookDeliveryStatus::Succeeded,
            service::FAILED => WebhookDeliveryStatus::Failed,
            _ => WebhookDeliveryStatus::Pending,
        }
    }

    /// Attempts made so far.
    async fn attempt_count(&self) -> i32 {
        self.0.attempts
    }

    /// When the next attempt is due; null unless pending.
    async fn next_attempt_at(&self) -> Option<DateTime<Utc>> {
        (self.0.status == service::PENDING).then_some(self.0.next_attempt_at)
    }

    /// The last attempt is made by then.
    async fn retry_until(&self) -> DateTime<Utc> {
        self.0.retry_until
    }

    /// The HTTP status of the last answer.
    async fn last_status_code(&self) -> Option<i32> {
        self.0.last_status_code
    }

    /// Why the last attempt failed.
    async fn last_error(&self) -> Option<&str> {
        self.0.last_error.as_deref()
    }

    /// When its event happened.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// When an attempt succeeded.
    async fn delivered_at(&self) -> Option<DateTime<Utc>> {
        self.0.delivered_at
    }

    /// The JSON body sent (`id`, `type`, `timestamp`, `data`); null if its event is gone.
    async fn body(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        Ok(service::event_of(db(ctx)?, self.0.event_id).await?.map(|e| super::dispatch::body(&e).to_string()))
    }

    /// Its attempts, newest first (the last 50).
    async fn attempts(&self, ctx: &Context<'_>) -> Result<Vec<WebhookAttempt>> {
        Ok(service::attempts(db(ctx)?, self.0.id).await?.into_iter().map(WebhookAttempt).collect())
    }
}

/// One attempt to deliver.
#[derive(Clone, Debug)]
pub struct WebhookAttempt(pub entity::webhook_attempt::Model);

/// One attempt: what the endpoint answered, and how fast.
#[Object]
impl WebhookAttempt {
    /// When it was made.
    async fn attempted_at(&self) -> DateTime<Utc> {
        self.0.attempted_at
    }

    /// The endpoint answered 2xx.
    async fn succeeded(&self) -> bool {
        self.0.succeeded
    }

    /// The HTTP status, if an answer came.
    async fn status_code(&self) -> Option<i32> {
        self.0.status_code
    }

    /// From sending to the end of the answer's start, in milliseconds.
    async fn duration_ms(&self) -> i32 {
        self.0.duration_ms
    }

    /// The start of the answer's body (at most 1 KiB).
    async fn response_excerpt(&self) -> Option<&str> {
        self.0.response_excerpt.as_deref()
    }

    /// Why it failed without a 2xx answer (timeout, refused address, ...).
    async fn error(&self) -> Option<&str> {
        self.0.error.as_deref()
    }
}

/// Input of `createWebhookEndpoint`.
#[derive(InputObject)]
pub struct CreateWebhookEndpointInput {
    /// Global ID of the partner or donor it belongs to.
    pub owner: ID,
    /// Where to POST: `https` (or `http` in development); in production the
    /// host must be a public address.
    pub url: String,
    /// A note to recognise it by (up to 200 characters).
    pub description: Option<String>,
    /// The event types to receive (those offered to the owner's kind; see `webhookEventTypes`).
    pub event_types: Vec<WebhookEventType>,
}

/// Result of `createWebhookEndpoint` and `rotateWebhookEndpointSecret`.
#[derive(SimpleObject)]
pub struct WebhookEndpointSecretPayload {
    /// The endpoint; null when there are user errors.
    pub webhook_endpoint: Option<WebhookEndpoint>,
    /// The signing secret (`whsec_...`), shown this once: keep it to verify signatures.
    pub secret: Option<String>,
    /// What the caller must fix; empty on success.
    pub user_errors: Vec<UserError>,
}

/// Input of `updateWebhookEndpoint`: the fields given change.
#[derive(InputObject)]
pub struct UpdateWebhookEndpointInput {
    /// The endpoint.
    pub id: ID,
    /// A new URL.
    pub url: Option<String>,
    /// A new description (empty clears it).
    pub description: Option<String>,
    /// New event types.
    pub event_types: Option<Vec<WebhookEventType>>,
    /// False disables it; true enables it again (clearing its failure record).
    pub enabled: Option<bool>,
}

/// Input naming one endpoint.
#[derive(InputObject)]
pub struct WebhookEndpointInput {
    /// The endpoint.
    pub id: ID,
}

/// Input of `redeliverWebhookDelivery`.
#[derive(InputObject)]
pub struct RedeliverWebhookDeliveryInput {
    /// The delivery.
    pub id: ID,
}

payload! {
    /// Result of `updateWebhookEndpoint`.
    UpdateWebhookEndpointPayload { webhook_endpoint: WebhookEndpoint, "The endpoint" }
    /// Result of `deleteWebhookEndpoint`.
    DeleteWebhookEndpointPayload { deleted_webhook_endpoint_id: ID, "The deleted endpoint's ID" }
    /// Result of `redeliverWebhookDelivery`.
    RedeliverWebhookDeliveryPayload { webhook_delivery: WebhookDelivery, "The delivery, pending again" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_enum_and_the_policys_catalogue_name_the_same_event_types() {
        let mut ours: Vec<&str> = WebhookEventType::ALL.iter().map(|t| t.wire()).collect();
        let mut policy: Vec<&str> = crate::auth::policy::webhooks::WEBHOOK_EVENT_TYPES.iter().map(|(name, _)| *name).collect();
        ours.sort();
        policy.sort();
        assert_eq!(ours, policy);
        for t in WebhookEventType::ALL {
            assert_eq!(WebhookEventType::parse(t.wire()), Some(t));
        }
    }
}
