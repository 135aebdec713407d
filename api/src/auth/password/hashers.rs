//! The threads that hash passwords.
//!
//! One argon2id hash takes tens of milliseconds of CPU and 19 MiB of memory
//! (the crate's default parameters). On tokio's blocking pool, a burst of
//! sign-ins would run as many hashes at once as there are requests (up to
//! 512 threads, 19 MiB each) and take every core from the requests in flight.
//! Here they run on a fixed set of threads, one per two cores, at a lower CPU
//! priority (nice 10 on Linux), so a login waits for CPU time rather than
//! taking it from reads, and memory stays bounded. Past [`QUEUE_PER_THREAD`]
//! waiting hashes per thread, a new one is refused with `SERVICE_UNAVAILABLE`
//! (sign-in throttling and rate limits come first; this is the last guard).

use std::{
    panic::{AssertUnwindSafe, catch_unwind},
    sync::{
        Arc, Mutex, OnceLock, PoisonError,
        mpsc::{self, Receiver, SyncSender, TrySendError},
    },
    thread,
};

use thread_priority::{ThreadPriority, ThreadPriorityValue, set_current_thread_priority};
use tokio::sync::oneshot;

use crate::error::ApiError;

/// Hashes that may wait for a thread, per thread.
pub const QUEUE_PER_THREAD: usize = 32;

/// thread-priority maps 0..=99 onto nice 19..=-20: 22 is nice 10.
const PRIORITY: u8 = 22;

type Job = Box<dyn FnOnce() + Send>;

/// Threads that run jobs from a bounded queue; they stop when it is dropped.
struct Pool {
    queue: SyncSender<Job>,
}

static POOL: OnceLock<Result<Pool, String>> = OnceLock::new();

/// How many hashing threads run: half the cores, at least one.
pub fn threads() -> usize {
    thread::available_parallelism().map_or(1, |n| n.get().div_ceil(2))
}

impl Pool {
    fn start(threads: usize, queued: usize) -> Result<Self, String> {
        let (queue, jobs) = mpsc::sync_channel::<Job>(queued);
        let jobs = Arc::new(Mutex::new(jobs));
        for n in 0..threads {
            let jobs = Arc::clone(&jobs);
            thread::Builder::new()
                .name(format!("password-hash-{n}"))
                .spawn(move || work(&jobs))
                .map_err(|e| format!("could not start a password hashing thread: {e}"))?;
        }
        Ok(Self { queue })
    }

    /// Queues `f`, or refuses it when the queue is full.
    fn submit<T: Send + 'static>(&self, f: impl FnOnce() -> T + Send + 'static) -> Result<oneshot::Receiver<T>, ApiError> {
        let (reply, result) = oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = reply.send(f());
        });
        match self.queue.try_send(job) {
            Ok(()) => Ok(result),
            Err(TrySendError::Full(_)) => {
                Err(ApiError::Unavailable(Box::new(std::io::Error::other("too many passwords are being checked at once"))))
            }
            Err(TrySendError::Disconnected(_)) => Err(ApiError::internal(std::io::Error::other("the password hashing threads stopped"))),
        }
    }
}

fn work(jobs: &Mutex<Receiver<Job>>) {
    // Lower priority is best effort: where it is refused, hashing still works.
    if let Ok(priority) = ThreadPriorityValue::try_from(PRIORITY)
        && let Err(e) = set_current_thread_priority(ThreadPriority::Crossplatform(priority))
    {
        tracing::debug!(error = ?e, "password hashing runs at normal priority");
    }
    loop {
        let job = jobs.lock().unwrap_or_else(PoisonError::into_inner).recv();
        let Ok(job) = job else { return };
        // A panicking job drops its reply (the caller gets an internal
        // error); the thread lives on for the next one.
        let _ = catch_unwind(AssertUnwindSafe(job));
    }
}

/// Runs `f` on a hashing thread and returns its result.
pub async fn run<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T, ApiError> {
    let pool = POOL
        .get_or_init(|| Pool::start(threads(), threads() * QUEUE_PER_THREAD))
        .as_ref()
        .map_err(|e| ApiError::internal(std::io::Error::other(e.clone())))?;
    pool.submit(f)?.await.map_err(|_| ApiError::internal(std::io::Error::other("password hashing failed")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn runs_jobs_and_survives_a_panicking_one() {
        assert_eq!(run(|| 6 * 7).await.ok(), Some(42));
        // Linux shows each thread's nice value in /proc (field 19 of stat).
        if cfg!(target_os = "linux") {
            let nice = run(|| {
                let stat = std::fs::read_to_string("/proc/thread-self/stat").unwrap_or_default();
                let after_name = stat.rsplit_once(')').map(|(_, rest)| rest.to_owned()).unwrap_or_default();
                after_name.split_whitespace().nth(16).and_then(|n| n.parse::<i32>().ok())
            });
            assert_eq!(nice.await.ok().flatten(), Some(10), "hashing threads run at nice 10");
        }
        #[allow(clippy::panic)]
        let failed = run(|| -> u8 { panic!("a job that fails") }).await;
        assert!(failed.is_err());
        // The threads are still there.
        let many: Vec<_> = (0..threads() * 4).map(|n| run(move || n + 1)).collect();
        for (n, result) in futures_util::future::join_all(many).await.into_iter().enumerate() {
            assert_eq!(result.ok(), Some(n + 1));
        }
    }

    #[tokio::test]
    async fn a_full_queue_is_refused_and_what_was_queued_still_runs() {
        // Hold every thread of a pool of its own, then fill the queue: a job
        // past its bound is refused with SERVICE_UNAVAILABLE; the queued
        // ones run once released.
        const THREADS: usize = 2;
        const QUEUED: usize = 3;
        let pool = Pool::start(THREADS, QUEUED).expect("threads");
        let (release, gate) = std::sync::mpsc::channel::<()>();
        let gate = std::sync::Arc::new(Mutex::new(gate));
        let (started_tx, started) = std::sync::mpsc::channel::<()>();
        let mut held = Vec::new();
        for _ in 0..THREADS {
            let gate = std::sync::Arc::clone(&gate);
            let started_tx = started_tx.clone();
            held.push(pool.submit(move || {
                let _ = started_tx.send(());
                let _ = gate.lock().unwrap_or_else(PoisonError::into_inner).recv();
            }));
        }
        for _ in 0..THREADS {
            assert!(started.recv_timeout(std::time::Duration::from_secs(30)).is_ok(), "a hashing thread never started");
        }
        let mut queued = Vec::new();
        let mut refused = None;
        for n in 0..=QUEUED {
            match pool.submit(move || n) {
                Ok(reply) => queued.push((n, reply)),
                Err(e) => {
                    refused = Some(e.code());
                    break;
                }
            }
        }
        for _ in 0..THREADS {
            let _ = release.send(());
        }
        assert_eq!(refused, Some(crate::error::ErrorCode::ServiceUnavailable));
        assert_eq!(queued.len(), QUEUED);
        for (n, reply) in queued {
            assert_eq!(reply.await.ok(), Some(n));
        }
        for reply in held {
            assert!(reply.expect("queued").await.is_ok());
        }
    }
}
