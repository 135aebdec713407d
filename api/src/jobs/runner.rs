//! The runner: on each tick, fires due schedules, then claims and runs due jobs
//! one at a time until none is left (or it is asked to stop).

use std::{
    panic::AssertUnwindSafe,
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};

use entity::job;
use futures_util::FutureExt;
use sea_orm::{DatabaseConnection, DbErr};

use super::{JobContext, Registry, store};
use crate::{clock::Clock, error::cause_chain};

/// Jobs run per tick at most, so a long queue cannot starve the schedules.
const MAX_JOBS_PER_TICK: usize = 100;

/// What one tick did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TickReport {
    /// Schedules this runner fired (their jobs enqueued).
    pub fired: usize,
    /// Pumps that ran without error.
    pub pumped: usize,
    /// Jobs that succeeded.
    pub succeeded: usize,
    /// Jobs that failed and will be retried.
    pub retried: usize,
    /// Jobs that failed their last attempt.
    pub dead: usize,
}

/// Runs jobs for one instance; any number of runners may share a database.
#[derive(Clone)]
pub struct Runner {
    ctx: JobContext,
    registry: Arc<Registry>,
    worker: String,
    stopping: Arc<AtomicBool>,
}

impl std::fmt::Debug for Runner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runner").field("worker", &self.worker).field("registry", &self.registry).finish_non_exhaustive()
    }
}

impl Runner {
    /// A runner over a database with the given handlers and schedules.
    pub fn new(db: DatabaseConnection, clock: Clock, registry: Registry) -> Self {
        // Names the lease holder in `jobs.locked_by`: unique per runner.
        let worker = format!("{}-{}", std::process::id(), uuid::Uuid::new_v4().simple());
        Self { ctx: JobContext { db, clock }, registry: Arc::new(registry), worker, stopping: Arc::new(AtomicBool::new(false)) }
    }

    /// This runner's name in `jobs.locked_by`.
    pub fn worker(&self) -> &str {
        &self.worker
    }

    /// One round: fire the due schedules, then run the due jobs. Tests call it
    /// directly after advancing the clock; [`Runner::spawn`] calls it on a timer.
    pub async fn tick(&self) -> Result<TickReport, DbErr> {
        let mut report = TickReport::default();
        for schedule in &self.registry.schedules {
            if store::fire_if_due(&self.ctx.db, &self.ctx.clock, schedule.kind, schedule.interval).await? {
                tracing::debug!(schedule = schedule.kind, "schedule fired");
                report.fired += 1;
            }
        }
        for (name, pump) in &self.registry.pumps {
            if self.stopping.load(Ordering::Relaxed) {
                break;
            }
            match AssertUnwindSafe(pump.run(&self.ctx, &serde_json::Value::Null)).catch_unwind().await {
                Ok(Ok(())) => report.pumped += 1,
                Ok(Err(e)) => tracing::error!(pump = name, error = %cause_chain(e.as_ref()), "pump failed"),
                Err(_) => tracing::error!(pump = name, "pump panicked"),
            }
        }
        for _ in 0..MAX_JOBS_PER_TICK {
            if self.stopping.load(Ordering::Relaxed) {
                break;
            }
            let Some(job) = store::claim(&self.ctx.db, self.ctx.clock.now(), &self.worker).await? else { break };
            match self.run(&job).await {
                Ok(()) => {
                    store::finish(&self.ctx.db, &job, &self.worker, self.ctx.clock.now()).await?;
                    report.succeeded += 1;
                }
                Err(error) => {
                    let dead = store::fail(&self.ctx.db, &job, &self.worker, self.ctx.clock.now(), &error).await?;
                    if dead {
                        tracing::error!(job_id = %job.id, kind = %job.kind, attempts = job.attempts, %error, "job failed its last attempt: dead");
                        report.dead += 1;
                    } else {
                        let retry_in = store::backoff(job.attempts).num_seconds();
                        tracing::warn!(job_id = %job.id, kind = %job.kind, attempts = job.attempts, retry_in, %error, "job failed: retrying");
                        report.retried += 1;
                    }
                }
            }
        }
        Ok(report)
    }

    /// Runs one claimed job; the error is the failure's cause chain.
    async fn run(&self, job: &job::Model) -> Result<(), String> {
        if job.attempts > job.max_attempts {
            // Its last attempt's runner died before reporting (the lease ran out).
            return Err("the runner of its last attempt stopped before finishing".to_owned());
        }
        let Some(handler) = self.registry.handler(&job.kind) else {
            // Maybe a newer instance knows it: retried, then dead.
            return Err(format!("no handler for jobs of kind {:?} in this instance", job.kind));
        };
        let payload: serde_json::Value = serde_json::from_str(&job.payload).map_err(|e| format!("payload is not JSON: {e}"))?;
        // A panicking handler fails its job, not the runner.
        match AssertUnwindSafe(handler.run(&self.ctx, &payload)).catch_unwind().await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(cause_chain(e.as_ref())),
            Err(_) => Err("the handler panicked".to_owned()),
        }
    }

    /// Ticks every `poll` on a task of its own until [`RunnerHandle::stop`].
    pub fn spawn(self, poll: Duration) -> RunnerHandle {
        let (stop, mut stopped) = tokio::sync::watch::channel(false);
        let stopping = self.stopping.clone();
        let task = tokio::spawn(async move {
            tracing::info!(worker = %self.worker, poll_ms = poll.as_millis() as u64, "job runner started");
            let mut timer = tokio::time::interval(poll);
            timer.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tokio::select! {
                    biased;
                    _ = stopped.changed() => break,
                    _ = timer.tick() => {}
                }
                // Not raced against the stop signal: the job in hand finishes.
                if let Err(e) = self.tick().await {
                    tracing::error!(error = %cause_chain(&e), "job runner tick failed");
                }
            }
            tracing::info!(worker = %self.worker, "job runner stopped");
        });
        RunnerHandle { stop, stopping, task }
    }
}

/// Stops a spawned runner.
#[derive(Debug)]
pub struct RunnerHandle {
    stop: tokio::sync::watch::Sender<bool>,
    stopping: Arc<AtomicBool>,
    task: tokio::task::JoinHandle<()>,
}

impl RunnerHandle {
    /// Asks the runner to stop after the job in hand, and waits for it.
    pub async fn stop(self) {
        self.stopping.store(true, Ordering::Relaxed);
        // The receiver lives as long as the task: a failed send means it ended.
        self.stop.send(true).ok();
        if let Err(e) = self.task.await {
            tracing::error!(error = %e, "job runner ended abnormally");
        }
    }
}
