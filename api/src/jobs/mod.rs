//! Background jobs: a queue in the database, claimed by runners in any number
//! of instances, retried with backoff, plus recurring schedules.
//!
//! - A service enqueues work with [`enqueue`], inside its own transaction when it
//!   has one (the job exists only if the change committed).
//! - A [`Runner`] (started by `serve`, or alone by `civic-graph worker`) claims
//!   one due job at a time atomically, with a lease, and runs its [`Handler`]
//!   found by kind in the [`Registry`]. A failure is logged with its cause chain
//!   and retried after [`backoff`]; after `max_attempts` the job is dead.
//! - A [`Schedule`] enqueues its job once per interval across all instances.
//! - A pump ([`Registry::pump`]) runs at every tick of every runner, without
//!   a job row: for work that keeps its own queue with leases (webhook
//!   deliveries), where a row per tick would only add writes.
//!
//! Time comes from the [`Clock`]: tests advance it and call [`Runner::tick`].

mod purge;
mod runner;
mod store;

use std::{collections::HashMap, sync::Arc};

use sea_orm::DatabaseConnection;

pub use purge::{PURGE_KIND, PurgeExpired, RETENTION};
pub use runner::{Runner, RunnerHandle, TickReport};
pub use store::{DEFAULT_MAX_ATTEMPTS, LEASE, backoff, enqueue, enqueue_with};

use crate::clock::Clock;

/// The attribute to implement [`Handler`] with (`#[jobs::async_trait]`).
pub use async_trait::async_trait;

/// What a failing job reports: any error, logged with its cause chain.
pub type JobError = Box<dyn std::error::Error + Send + Sync>;

/// What a handler may use.
#[derive(Clone, Debug)]
pub struct JobContext {
    /// The database.
    pub db: DatabaseConnection,
    /// The one source of "now".
    pub clock: Clock,
}

/// Runs the jobs of one kind. A handler must tolerate running twice for one job
/// (a runner may crash after the work and before marking it done): make it
/// idempotent.
#[async_trait::async_trait]
pub trait Handler: Send + Sync {
    /// Runs one job with its payload.
    async fn run(&self, ctx: &JobContext, payload: &serde_json::Value) -> Result<(), JobError>;
}

/// A job enqueued once per interval, whatever the number of instances.
#[derive(Clone, Debug)]
pub struct Schedule {
    /// The schedule's name and the kind of the job it enqueues.
    pub kind: &'static str,
    /// Time between runs.
    pub interval: chrono::Duration,
}

/// The handlers by kind, and the schedules.
#[derive(Clone, Default)]
pub struct Registry {
    handlers: HashMap<&'static str, Arc<dyn Handler>>,
    schedules: Vec<Schedule>,
    pumps: Vec<(&'static str, Arc<dyn Handler>)>,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut kinds: Vec<_> = self.handlers.keys().collect();
        kinds.sort();
        let pumps: Vec<_> = self.pumps.iter().map(|(name, _)| name).collect();
        f.debug_struct("Registry").field("kinds", &kinds).field("schedules", &self.schedules).field("pumps", &pumps).finish()
    }
}

impl Registry {
    /// An empty registry (tests fill their own).
    pub fn new() -> Self {
        Self::default()
    }

    /// The service's jobs and schedules.
    pub fn standard() -> Self {
        Self::new().handle(PURGE_KIND, PurgeExpired).every(PURGE_KIND, chrono::Duration::days(1))
    }

    /// Registers the handler of `kind`.
    pub fn handle(mut self, kind: &'static str, handler: impl Handler + 'static) -> Self {
        self.handlers.insert(kind, Arc::new(handler));
        self
    }

    /// Enqueues a job of `kind` (with an empty payload) once per `interval`.
    pub fn every(mut self, kind: &'static str, interval: chrono::Duration) -> Self {
        self.schedules.push(Schedule { kind, interval });
        self
    }

    /// Runs `handler` (with a null payload) at every tick, after the
    /// schedules and before the queued jobs. It must be safe to run on any
    /// number of runners at once; a failure is logged, and it runs again at
    /// the next tick.
    pub fn pump(mut self, name: &'static str, handler: impl Handler + 'static) -> Self {
        self.pumps.push((name, Arc::new(handler)));
        self
    }

    fn handler(&self, kind: &str) -> Option<&Arc<dyn Handler>> {
        self.handlers.get(kind)
    }
}
