//! The dispatcher: on each tick of the job runner, claims due deliveries
//! with a lease, POSTs each event signed per Standard Webhooks, and records
//! the attempt. At least once: a delivery is pending until an attempt
//! succeeds; an instance that stops mid-send leaves it leased, and once the
//! lease ends another instance sends it again (with the same `webhook-id`,
//! the event's id, for the receiver to de-duplicate).
//!
//! A failed attempt is retried with exponential backoff until 24 hours
//! after the event ([`service::next_attempt`]); the delivery then fails, and
//! when its endpoint has had no success for that long it is disabled and
//! its owner's admins are notified.

use std::{sync::Arc, time::Instant};

use chrono::{DateTime, Utc};
use entity::{event, webhook_attempt, webhook_delivery, webhook_endpoint};
use futures_util::StreamExt;
use sea_orm::{
    ActiveEnum, ColumnTrait, DatabaseConnection, DbBackend, EntityTrait, QueryFilter, Set, Statement, TransactionTrait, sea_query::Expr,
};
use serde_json::{Value, json};
use uuid::Uuid;

use super::{
    service::{self, FAILED, PENDING, RETRY_WINDOW, SUCCEEDED},
    signing,
    target::{self, TargetRules},
};
use crate::{
    error::{ApiError, cause_chain},
    events::{Actor, DomainEvent, EventBus},
    graphql::relay::{NodeKind, encode_uuid},
    jobs::{Handler, JobContext, JobError, Registry},
};

/// The name of the dispatcher among the runner's pumps.
pub const DISPATCH: &str = "webhooks_dispatch";
/// Deliveries claimed per tick.
const BATCH: u64 = 32;
/// Deliveries sent at once.
const CONCURRENCY: usize = 8;
/// How long a claimed delivery is reserved: well past the request timeout,
/// so only a stopped instance loses it.
const LEASE: chrono::Duration = chrono::Duration::minutes(2);
/// The whole request, connection to the end of the answer.
const TIMEOUT: std::time::Duration = std::time::Duration::from_secs(15);
/// Connecting alone.
const CONNECT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);
/// The start of an answer kept in the log.
const EXCERPT_BYTES: usize = 1024;

/// Registers the dispatcher on the runner: it runs at every tick.
pub fn register(registry: Registry, rules: TargetRules, bus: Arc<dyn EventBus>) -> Registry {
    registry.pump(DISPATCH, Dispatcher::new(rules, bus))
}

/// Sends due deliveries.
pub struct Dispatcher {
    client: Result<reqwest::Client, String>,
    rules: TargetRules,
    bus: Arc<dyn EventBus>,
    worker: String,
}

impl std::fmt::Debug for Dispatcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Dispatcher").field("rules", &self.rules).field("worker", &self.worker).finish_non_exhaustive()
    }
}

/// The sending client: the guarded resolver, no redirects, no proxies, timeouts.
fn client(rules: TargetRules) -> Result<reqwest::Client, String> {
    // rustls without aws-lc: ring is the process's provider (an error only means one is installed).
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
        .dns_resolver(target::resolver(rules))
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .timeout(TIMEOUT)
        .connect_timeout(CONNECT_TIMEOUT)
        .user_agent(concat!("civic-graph-webhooks/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| cause_chain(&e))
}

impl Dispatcher {
    /// A dispatcher reaching what `rules` allow, publishing its events (an endpoint disabled) on `bus`.
    pub fn new(rules: TargetRules, bus: Arc<dyn EventBus>) -> Self {
        let worker = format!("{}-{}", std::process::id(), Uuid::new_v4().simple());
        Self { client: client(rules), rules, bus, worker }
    }
}

#[async_trait::async_trait]
impl Handler for Dispatcher {
    async fn run(&self, ctx: &JobContext, _payload: &Value) -> Result<(), JobError> {
        let client = self.client.as_ref().map_err(|e| std::io::Error::other(format!("no HTTP client: {e}")))?;
        let now = ctx.clock.now();
        let claimed = claim(&ctx.db, now, &self.worker).await?;
        if claimed.is_empty() {
            return Ok(());
        }
        let results: Vec<Result<(), ApiError>> = futures_util::stream::iter(claimed)
            .map(|delivery| self.deliver(client, ctx, delivery))
            .buffer_unordered(CONCURRENCY)
            .collect()
            .await;
        for result in results {
            result?;
        }
        Ok(())
    }
}

/// Claims up to [`BATCH`] due deliveries of enabled endpoints for `worker`,
/// counting the attempt. PostgreSQL skips rows another dispatcher is
/// claiming; SQLite has one writer.
async fn claim(db: &DatabaseConnection, now: DateTime<Utc>, worker: &str) -> Result<Vec<webhook_delivery::Model>, ApiError> {
    let backend = db.get_database_backend();
    let lock = if backend == DbBackend::Postgres { "FOR UPDATE OF d SKIP LOCKED" } else { "" };
    let sql = format!(
        "UPDATE webhook_deliveries SET attempts = attempts + 1, locked_by = $1, locked_until = $2, updated_at = $3 \
         WHERE id IN (SELECT d.id FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id \
         WHERE d.status = 'pending' AND d.next_attempt_at <= $3 AND (d.locked_until IS NULL OR d.locked_until <= $3) \
         AND e.enabled = $4 ORDER BY d.next_attempt_at LIMIT {BATCH} {lock}) \
         AND status = 'pending' AND (locked_until IS NULL OR locked_until <= $3) RETURNING *"
    );
    let sql = if backend == DbBackend::Postgres { sql } else { sql.replace('$', "?") };
    let stmt = Statement::from_sql_and_values(backend, sql, [worker.into(), (now + LEASE).into(), now.into(), true.into()]);
    Ok(webhook_delivery::Entity::find().from_raw_sql(stmt).all(db).await?)
}

/// What one attempt came to.
struct Outcome {
    status: Option<u16>,
    excerpt: Option<String>,
    error: Option<String>,
    duration_ms: i32,
}

impl Outcome {
    fn succeeded(&self) -> bool {
        self.status.is_some_and(|s| (200..300).contains(&s))
    }

    fn failure(&self) -> String {
        match (self.status, &self.error) {
            (_, Some(error)) => error.clone(),
            (Some(status), None) => format!("the endpoint answered HTTP {status}"),
            (None, None) => "no answer".to_owned(),
        }
    }
}

impl Dispatcher {
    /// Sends one claimed delivery and records the attempt.
    async fn deliver(&self, client: &reqwest::Client, ctx: &JobContext, delivery: webhook_delivery::Model) -> Result<(), ApiError> {
        let endpoint = service::by_id(&ctx.db, delivery.endpoint_id).await?;
        let stored = service::event_of(&ctx.db, delivery.event_id).await?;
        let outcome = match (&endpoint, &stored) {
            (Some(endpoint), Some(stored)) => self.send(client, ctx, endpoint, stored).await,
            // Deleted meanwhile: nothing to send, and nobody to send it to.
            (None, _) => return Ok(()),
            (Some(_), None) => Outcome { status: None, excerpt: None, error: Some("the event is gone".to_owned()), duration_ms: 0 },
        };
        let Some(endpoint) = endpoint else { return Ok(()) };
        self.record(ctx, &endpoint, &delivery, &outcome).await
    }

    async fn send(&self, client: &reqwest::Client, ctx: &JobContext, endpoint: &webhook_endpoint::Model, stored: &event::Model) -> Outcome {
        let failed = |error: String| Outcome { status: None, excerpt: None, error: Some(error), duration_ms: 0 };
        // IP literals are not resolved: the resolver never sees them, so they are checked here.
        if let Err(err) = target::check_url(&endpoint.url, self.rules) {
            return failed(format!("the URL is refused: {err}"));
        }
        let body = body(stored).to_string();
        let id = stored.id.to_string();
        let timestamp = ctx.clock.now().timestamp();
        let signed = match signing::sign(&endpoint.secret, &id, timestamp, &body) {
            Ok(signed) => signed,
            Err(err) => return failed(format!("cannot sign: {err}")),
        };
        let started = Instant::now();
        let sent = client
            .post(&endpoint.url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header("webhook-id", signed.id)
            .header("webhook-timestamp", signed.timestamp)
            .header("webhook-signature", signed.signature)
            .body(body)
            .send()
            .await;
        let mut outcome = match sent {
            Ok(mut response) => {
                let status = response.status().as_u16();
                let mut kept: Vec<u8> = Vec::new();
                // Only the start of the answer is read; a slow or endless body counts against the timeout.
                let mut error = None;
                while kept.len() < EXCERPT_BYTES {
                    match response.chunk().await {
                        Ok(Some(chunk)) => kept.extend_from_slice(&chunk[..chunk.len().min(EXCERPT_BYTES - kept.len())]),
                        Ok(None) => break,
                        Err(err) => {
                            error = Some(describe(err));
                            break;
                        }
                    }
                }
                let excerpt = (!kept.is_empty()).then(|| String::from_utf8_lossy(&kept).into_owned());
                let succeeded = (200..300).contains(&status);
                Outcome { status: Some(status), excerpt, error: if succeeded { None } else { error }, duration_ms: 0 }
            }
            Err(err) => failed(describe(err)),
        };
        outcome.duration_ms = i32::try_from(started.elapsed().as_millis()).unwrap_or(i32::MAX);
        outcome
    }

    /// Records an attempt, if this dispatcher still holds the delivery: its
    /// new state, the log row and the endpoint's health; disables an
    /// endpoint failing for the whole retry window, notifying its owner.
    async fn record(
        &self,
        ctx: &JobContext,
        endpoint: &webhook_endpoint::Model,
        delivery: &webhook_delivery::Model,
        outcome: &Outcome,
    ) -> Result<(), ApiError> {
        let now = ctx.clock.now();
        let succeeded = outcome.succeeded();
        let last = !succeeded && now >= delivery.retry_until;
        let txn = ctx.db.begin().await?;
        let update = webhook_delivery::Entity::update_many()
            .col_expr(webhook_delivery::Column::LockedBy, Expr::value(Option::<String>::None))
            .col_expr(webhook_delivery::Column::LockedUntil, Expr::value(Option::<DateTime<Utc>>::None))
            .col_expr(webhook_delivery::Column::LastStatusCode, Expr::value(outcome.status.map(i32::from)))
            .col_expr(webhook_delivery::Column::UpdatedAt, Expr::value(now));
        let update = if succeeded {
            update
                .col_expr(webhook_delivery::Column::Status, Expr::value(SUCCEEDED))
                .col_expr(webhook_delivery::Column::DeliveredAt, Expr::value(Some(now)))
                .col_expr(webhook_delivery::Column::LastError, Expr::value(Option::<String>::None))
        } else {
            let status = if last { FAILED } else { PENDING };
            update
                .col_expr(webhook_delivery::Column::Status, Expr::value(status))
                .col_expr(webhook_delivery::Column::LastError, Expr::value(Some(truncate(&outcome.failure(), 500))))
                .col_expr(
                    webhook_delivery::Column::NextAttemptAt,
                    Expr::value(service::next_attempt(now, delivery.attempts, delivery.retry_until)),
                )
        };
        let held = update
            .filter(webhook_delivery::Column::Id.eq(delivery.id))
            .filter(webhook_delivery::Column::LockedBy.eq(self.worker.as_str()))
            .exec(&txn)
            .await?
            .rows_affected
            == 1;
        if !held {
            // Deleted with its endpoint, or redelivered by hand while in
            // flight (it is pending again): nothing of this attempt to keep.
            txn.rollback().await?;
            return Ok(());
        }
        webhook_attempt::Entity::insert(webhook_attempt::ActiveModel {
            id: Set(Uuid::now_v7()),
            delivery_id: Set(delivery.id),
            endpoint_id: Set(endpoint.id),
            succeeded: Set(succeeded),
            status_code: Set(outcome.status.map(i32::from)),
            duration_ms: Set(outcome.duration_ms),
            response_excerpt: Set(outcome.excerpt.as_deref().map(|e| truncate(e, EXCERPT_BYTES))),
            error: Set((!succeeded).then(|| truncate(&outcome.failure(), 500))),
            attempted_at: Set(now),
        })
        .exec_without_returning(&txn)
        .await?;
        let mut events = Vec::new();
        if succeeded {
            webhook_endpoint::Entity::update_many()
                .col_expr(webhook_endpoint::Column::LastSuccessAt, Expr::value(Some(now)))
                .col_expr(webhook_endpoint::Column::FailingSince, Expr::value(Option::<DateTime<Utc>>::None))
                .filter(webhook_endpoint::Column::Id.eq(endpoint.id))
                .exec(&txn)
                .await?;
        } else {
            webhook_endpoint::Entity::update_many()
                .col_expr(webhook_endpoint::Column::FailingSince, Expr::value(Some(now)))
                .filter(webhook_endpoint::Column::Id.eq(endpoint.id))
                .filter(webhook_endpoint::Column::FailingSince.is_null())
                .exec(&txn)
                .await?;
            if last {
                // Disabled once, by whichever dispatcher sees it first: only
                // if it is still enabled and has failed for the whole window.
                let disabled = webhook_endpoint::Entity::update_many()
                    .col_expr(webhook_endpoint::Column::Enabled, Expr::value(false))
                    .col_expr(webhook_endpoint::Column::DisabledReason, Expr::value(Some(service::DISABLED_FAILING)))
                    .col_expr(webhook_endpoint::Column::DisabledAt, Expr::value(Some(now)))
                    .col_expr(webhook_endpoint::Column::UpdatedAt, Expr::value(now))
                    .filter(webhook_endpoint::Column::Id.eq(endpoint.id))
                    .filter(webhook_endpoint::Column::Enabled.eq(true))
                    .filter(webhook_endpoint::Column::FailingSince.lte(now - RETRY_WINDOW))
                    .exec(&txn)
                    .await?
                    .rows_affected
                    == 1;
                if disabled {
                    let event = DomainEvent::WebhookEndpointDisabled {
                        endpoint: endpoint.id,
                        owner_scope: endpoint.owner_scope.to_value(),
                        owner_id: endpoint.owner_id,
                    };
                    events.push(crate::events::record(&txn, &ctx.clock, &Actor::system(DISPATCH), &event).await?);
                    tracing::warn!(endpoint = %endpoint.id, "webhook endpoint disabled: its deliveries failed for a day");
                }
            }
        }
        txn.commit().await?;
        crate::events::outbox::publish(self.bus.as_ref(), &events).await;
        if !succeeded {
            tracing::info!(endpoint = %endpoint.id, delivery = %delivery.id, attempts = delivery.attempts, last, error = %outcome.failure(), "webhook attempt failed");
        }
        Ok(())
    }
}

/// What a failed request says, without the URL (the log shows the endpoint).
fn describe(err: reqwest::Error) -> String {
    let what = if err.is_timeout() {
        "timed out"
    } else if err.is_connect() {
        "could not connect"
    } else if err.is_redirect() {
        "redirected (redirects are not followed)"
    } else {
        "request failed"
    };
    let chain = cause_chain(&err.without_url());
    format!("{what}: {chain}")
}

fn truncate(text: &str, max_bytes: usize) -> String {
    if text.len() <= max_bytes {
        return text.to_owned();
    }
    let mut end = max_bytes;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].to_owned()
}

fn gid(kind: NodeKind, payload: &Value, field: &str) -> Value {
    payload
        .get(field)
        .and_then(Value::as_str)
        .and_then(|s| Uuid::parse_str(s).ok())
        .map_or(Value::Null, |id| json!(encode_uuid(kind, id).0))
}

/// The body of an event's deliveries, per Standard Webhooks: `type`,
/// `timestamp` (when it happened) and `data`, plus the event's `id`. The
/// data names things by global ID and status only (read them through the
/// API with a key of the endpoint's owner); no note, reason or name.
pub fn body(stored: &event::Model) -> Value {
    use crate::{
        donors::types::Donor, organizations::types::Organization, programs::request_types::DonationRequest, programs::types::Program,
        validations::types::Validation,
    };
    let payload: Value = serde_json::from_str(&stored.payload).unwrap_or(Value::Null);
    let field = |name: &str| payload.get(name).cloned().unwrap_or(Value::Null);
    let family = stored.event_type.split('.').next().unwrap_or_default();
    let data = match family {
        "donation_request" => json!({
            "request": gid(DonationRequest::KIND, &payload, "request"),
            "program": gid(Program::KIND, &payload, "program"),
            "donor": gid(Donor::KIND, &payload, "donor"),
            "organization": gid(Organization::KIND, &payload, "organization"),
            "quantity": field("quantity"),
            "status": field("to"),
            "previousStatus": field("from"),
        }),
        "program" => json!({
            "program": gid(Program::KIND, &payload, "program"),
            "donor": gid(Donor::KIND, &payload, "donor"),
        }),
        "validation" => json!({
            "validation": gid(Validation::KIND, &payload, "validation"),
            "organization": gid(Organization::KIND, &payload, "organization"),
            "country": field("country"),
            "status": field("to"),
            "previousStatus": field("from"),
            "validUntil": field("validUntil"),
        }),
        "organization" => json!({
            "organization": gid(Organization::KIND, &payload, "organization"),
            "country": field("country"),
        }),
        _ => json!({ "subject": stored.subject }),
    };
    json!({
        "id": stored.id,
        "type": stored.event_type,
        "timestamp": stored.occurred_at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        "data": data,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_names_things_by_global_id_and_carries_no_note() {
        let organization = Uuid::now_v7();
        let stored = event::Model {
            id: Uuid::now_v7(),
            event_type: "validation.approved".to_owned(),
            subject: "x".to_owned(),
            organization_id: Some(organization),
            country_code: Some("KE".to_owned()),
            payload: json!({
                "validation": Uuid::now_v7(), "organization": organization, "country": "KE",
                "from": "IN_REVIEW", "to": "APPROVED", "note": "private words", "reasons": [], "validUntil": "2027-12-01T00:00:00Z"
            })
            .to_string(),
            actor_kind: "user".to_owned(),
            actor_id: Some(Uuid::now_v7()),
            actor_name: Some("A Validator".to_owned()),
            occurred_at: Utc::now(),
        };
        let body = body(&stored);
        assert_eq!(body["type"], "validation.approved");
        assert_eq!(body["data"]["status"], "APPROVED");
        assert_eq!(body["data"]["organization"], json!(encode_uuid(crate::organizations::types::Organization::KIND, organization).0));
        let text = body.to_string();
        assert!(!text.contains("private words") && !text.contains("A Validator"), "{text}");
    }

    #[test]
    fn truncation_keeps_whole_characters() {
        assert_eq!(truncate("héllo", 2), "h");
        assert_eq!(truncate("abc", 10), "abc");
    }
}
