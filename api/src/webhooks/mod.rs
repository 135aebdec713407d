//! Webhooks for integrations (issue 13, item 5): endpoints registered by a
//! donor's or partner's admins (or its API keys holding `webhooks:write`),
//! each with the event types it wants and a signing secret. A delivery is
//! written for each endpoint an event goes to in that event's transaction
//! (`service::enqueue_for`, called by `events::record`), so none is lost
//! and none is made for a change that rolled back; the job runner's
//! dispatcher (`dispatch.rs`) sends them signed per Standard Webhooks,
//! retries with backoff for 24 hours, logs every attempt, and disables an
//! endpoint that keeps failing. Targets are checked against SSRF
//! (`target.rs`).

pub mod dispatch;
pub mod mutation;
pub mod query;
pub mod service;
pub mod signing;
pub mod target;
pub mod types;
