//! Background jobs with a manual clock: runners are ticked directly after the
//! clock is advanced, never waited on.

use std::sync::{
    Arc,
    atomic::{AtomicUsize, Ordering},
};

use api::{
    app::AppState,
    clock::Clock,
    config::{AppEnv, Settings},
    jobs::{self, Handler, JobContext, JobError, Registry, Runner},
};
use chrono::{DateTime, Duration, Utc};
use entity::{email_token, enums, invitation, job};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, Database, EntityTrait, QueryFilter};

use crate::helpers::{TEST_JWT_SECRET, TEST_PASSWORD, spawn_app_with_clock};

fn start() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-12-01T10:00:00Z").expect("time").with_timezone(&Utc)
}

/// Counts its runs; fails while `failures` says so.
#[derive(Clone, Default)]
struct Probe {
    runs: Arc<AtomicUsize>,
    fail: bool,
}

#[derive(Debug)]
struct Upstream(std::io::Error);

impl std::fmt::Display for Upstream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the partner's server answered 503")
    }
}

impl std::error::Error for Upstream {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

#[jobs::async_trait]
impl Handler for Probe {
    async fn run(&self, _ctx: &JobContext, _payload: &serde_json::Value) -> Result<(), JobError> {
        self.runs.fetch_add(1, Ordering::SeqCst);
        if self.fail { Err(Box::new(Upstream(std::io::Error::other("connection reset")))) } else { Ok(()) }
    }
}

impl Probe {
    fn runs(&self) -> usize {
        self.runs.load(Ordering::SeqCst)
    }
}

async fn job_row(db: &impl ConnectionTrait, id: uuid::Uuid) -> job::Model {
    job::Entity::find_by_id(id).one(db).await.expect("query").expect("the job row")
}

#[actix_web::test]
async fn an_enqueued_job_runs_once_when_due_and_is_marked_done() {
    let clock = Clock::manual(start());
    let app = spawn_app_with_clock(AppEnv::Development, &[], clock.clone()).await;
    let probe = Probe::default();
    let runner = Runner::new(app.db.clone(), clock.clone(), Registry::new().handle("probe", probe.clone()));
    let id = jobs::enqueue(&app.db, &clock, "probe", serde_json::json!({ "n": 1 }), start() + Duration::minutes(1)).await.expect("enqueue");

    runner.tick().await.expect("tick");
    assert_eq!(probe.runs(), 0, "not due yet");

    clock.advance(Duration::minutes(1));
    let report = runner.tick().await.expect("tick");
    runner.tick().await.expect("tick");

    assert_eq!(probe.runs(), 1, "ran once");
    assert_eq!(report.succeeded, 1);
    let row = job_row(&app.db, id).await;
    assert_eq!(row.status, "done");
    assert_eq!(row.attempts, 1);
    assert_eq!(row.finished_at, Some(clock.now()));
    assert_eq!((row.locked_by, row.locked_until), (None, None), "the lease is released");
}

#[actix_web::test]
async fn a_failing_job_is_retried_with_a_doubling_backoff_and_is_dead_after_its_last_attempt() {
    let clock = Clock::manual(start());
    let app = spawn_app_with_clock(AppEnv::Development, &[], clock.clone()).await;
    let probe = Probe { fail: true, ..Probe::default() };
    let runner = Runner::new(app.db.clone(), clock.clone(), Registry::new().handle("probe", probe.clone()));
    let id = jobs::enqueue_with(&app.db, &clock, "probe", serde_json::json!({}), start(), 3).await.expect("enqueue");

    let first = runner.tick().await.expect("tick");
    assert_eq!((probe.runs(), first.retried), (1, 1));
    let row = job_row(&app.db, id).await;
    assert_eq!(row.status, "queued");
    assert_eq!(row.run_at, start() + Duration::seconds(10), "first retry after 10 s");
    assert_eq!(row.last_error.as_deref(), Some("the partner's server answered 503: connection reset"), "the cause chain");

    clock.advance(Duration::seconds(9));
    runner.tick().await.expect("tick");
    assert_eq!(probe.runs(), 1, "not before the backoff ends");
    clock.advance(Duration::seconds(1));
    runner.tick().await.expect("tick");
    assert_eq!(probe.runs(), 2);
    assert_eq!(job_row(&app.db, id).await.run_at, clock.now() + Duration::seconds(20), "the wait doubles");

    clock.advance(Duration::seconds(20));
    let last = runner.tick().await.expect("tick");
    assert_eq!((probe.runs(), last.dead), (3, 1));
    clock.advance(Duration::days(1));
    runner.tick().await.expect("tick");
    assert_eq!(probe.runs(), 3, "a dead job never runs again");
    let row = job_row(&app.db, id).await;
    assert_eq!(row.status, "dead");
    assert_eq!(row.attempts, 3);
    assert_eq!(row.finished_at, Some(clock.now() - Duration::days(1)));
}

/// One database that two application states open, as two instances would:
/// a fresh PostgreSQL database when `TEST_DATABASE_URL` is set, else a
/// temporary SQLite file. Removed on drop.
struct SharedDb {
    url: String,
    admin: Option<(String, String)>,
    file: Option<std::path::PathBuf>,
}

impl SharedDb {
    async fn new() -> Self {
        match std::env::var("TEST_DATABASE_URL").ok().filter(|u| !u.is_empty()) {
            Some(admin_url) => {
                let name = format!("civic_test_{}", uuid::Uuid::new_v4().simple());
                let admin = Database::connect(&admin_url).await.expect("TEST_DATABASE_URL reachable");
                admin.execute_unprepared(&format!("CREATE DATABASE \"{name}\"")).await.expect("create database");
                admin.close().await.ok();
                let mut url = url::Url::parse(&admin_url).expect("a URL");
                url.set_path(&format!("/{name}"));
                Self { url: url.to_string(), admin: Some((admin_url, name)), file: None }
            }
            None => {
                let file = std::env::temp_dir().join(format!("civic-graph-jobs-{}.db", uuid::Uuid::new_v4()));
                Self { url: format!("sqlite://{}?mode=rwc", file.display()), admin: None, file: Some(file) }
            }
        }
    }

    async fn instance(&self, clock: &Clock) -> AppState {
        let vars = [("DATABASE_URL", self.url.as_str()), ("JWT_SECRET", TEST_JWT_SECRET), ("DATABASE_MAX_CONNECTIONS", "3")];
        let settings = Settings::from_lookup(|k| vars.iter().find(|(name, _)| *name == k).map(|(_, v)| (*v).to_owned())).expect("settings");
        AppState::connect_with_clock(&settings, clock.clone()).await.expect("connects")
    }
}

impl Drop for SharedDb {
    fn drop(&mut self) {
        if let Some(file) = &self.file {
            for suffix in ["", "-wal", "-shm"] {
                std::fs::remove_file(format!("{}{suffix}", file.display())).ok();
            }
        }
        if let Some((admin_url, name)) = self.admin.take() {
            let dropped = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
                rt.block_on(async move {
                    if let Ok(admin) = Database::connect(&admin_url).await {
                        admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).await.ok();
                        admin.close().await.ok();
                    }
                });
            })
            .join();
            drop(dropped);
        }
    }
}

#[actix_web::test]
async fn a_scheduled_job_runs_once_per_interval_across_two_instances() {
    // Arrange: two instances on one database, each with its runner.
    let shared = SharedDb::new().await;
    let clock = Clock::manual(start());
    let (one, two) = (shared.instance(&clock).await, shared.instance(&clock).await);
    let probe = Probe::default();
    let registry = || Registry::new().handle("hourly", probe.clone()).every("hourly", Duration::hours(1));
    let a = Runner::new(one.db.clone(), clock.clone(), registry());
    let b = Runner::new(two.db.clone(), clock.clone(), registry());

    // Both tick at once: the schedule is due (first sight) for both.
    let (ra, rb) = tokio::join!(a.tick(), b.tick());
    let fired = ra.expect("tick").fired + rb.expect("tick").fired;
    a.tick().await.expect("tick");
    b.tick().await.expect("tick");
    assert_eq!((fired, probe.runs()), (1, 1), "one instance fired it, once");

    clock.advance(Duration::minutes(59));
    let (ra, rb) = tokio::join!(b.tick(), a.tick());
    ra.expect("tick");
    rb.expect("tick");
    assert_eq!(probe.runs(), 1, "not again within the interval");

    clock.advance(Duration::minutes(1));
    let (ra, rb) = tokio::join!(b.tick(), a.tick());
    let fired = ra.expect("tick").fired + rb.expect("tick").fired;
    a.tick().await.expect("tick");
    b.tick().await.expect("tick");
    assert_eq!((fired, probe.runs()), (1, 2), "once more after the next interval");
    one.db.close().await.ok();
    two.db.close().await.ok();
}

fn token(user_id: uuid::Uuid, expires_at: DateTime<Utc>, used_at: Option<DateTime<Utc>>) -> email_token::ActiveModel {
    let id = uuid::Uuid::now_v7();
    email_token::ActiveModel {
        id: Set(id),
        user_id: Set(user_id),
        purpose: Set(enums::TokenPurpose::ResetPassword),
        token_hash: Set(id.simple().to_string()),
        expires_at: Set(expires_at),
        used_at: Set(used_at),
        created_at: Set(expires_at - Duration::hours(1)),
        pending_sign_up: Set(None),
    }
}

fn invitation_row(expires_at: DateTime<Utc>, accepted_at: Option<DateTime<Utc>>) -> invitation::ActiveModel {
    let id = uuid::Uuid::now_v7();
    invitation::ActiveModel {
        id: Set(id),
        email_normalized: Set(format!("{}@example.org", id.simple())),
        scope: Set(enums::MembershipScope::Partner),
        scope_id: Set(uuid::Uuid::now_v7()),
        role: Set(enums::Role::Admin),
        token_hash: Set(id.simple().to_string()),
        invited_by: Set(None),
        expires_at: Set(expires_at),
        accepted_at: Set(accepted_at),
        created_at: Set(expires_at - Duration::days(7)),
    }
}

#[actix_web::test]
async fn the_daily_purge_removes_long_expired_or_used_tokens_and_invitations_and_keeps_the_rest() {
    // Arrange: rows on both sides of the retention period (7 days).
    let clock = Clock::manual(start());
    let app = spawn_app_with_clock(AppEnv::Development, &[], clock.clone()).await;
    let (user, _) =
        api::accounts::service::ensure_user(&app.db, "purge@example.org", TEST_PASSWORD.to_owned(), "P", false).await.expect("user");
    let now = clock.now();
    let long_ago = now - Duration::days(8);
    let kept_tokens = [
        token(user.id, now + Duration::hours(1), None),
        token(user.id, now - Duration::days(1), None),
        token(user.id, now + Duration::hours(1), Some(now - Duration::days(1))),
    ];
    let gone_tokens = [token(user.id, long_ago, None), token(user.id, now + Duration::hours(1), Some(long_ago))];
    let kept_invitations = [invitation_row(now + Duration::days(3), None), invitation_row(long_ago, Some(long_ago - Duration::days(1)))];
    let gone_invitations = [invitation_row(long_ago, None)];
    let mut kept = Vec::new();
    for row in kept_tokens.iter().chain(&gone_tokens) {
        email_token::Entity::insert(row.clone()).exec_without_returning(&app.db).await.expect("token");
    }
    for row in &kept_tokens {
        kept.push(row.id.clone().unwrap());
    }
    for row in kept_invitations.iter().chain(&gone_invitations) {
        invitation::Entity::insert(row.clone()).exec_without_returning(&app.db).await.expect("invitation");
    }

    // Act: the service's own runner, as serve starts it.
    let runner = Runner::new(app.db.clone(), clock.clone(), Registry::standard());
    let report = runner.tick().await.expect("tick");

    // Assert
    assert_eq!((report.fired, report.succeeded), (1, 1), "the schedule fired and its job ran");
    let mut tokens: Vec<_> = email_token::Entity::find()
        .filter(email_token::Column::UserId.eq(user.id))
        .all(&app.db)
        .await
        .expect("tokens")
        .into_iter()
        .map(|t| t.id)
        .collect();
    tokens.sort();
    kept.sort();
    assert_eq!(tokens, kept, "live and recently expired or used tokens stay");
    let invitations: Vec<_> = invitation::Entity::find().all(&app.db).await.expect("invitations").into_iter().map(|i| i.id).collect();
    let mut expected: Vec<_> = kept_invitations.iter().map(|i| i.id.clone().unwrap()).collect();
    expected.sort();
    let mut invitations = invitations;
    invitations.sort();
    assert_eq!(invitations, expected, "live and accepted invitations stay");
    clock.advance(Duration::hours(23));
    assert_eq!(runner.tick().await.expect("tick").fired, 0, "daily, not at every tick");
}

#[actix_web::test]
async fn serve_runs_due_jobs_in_the_background() {
    let clock = Clock::manual(start());
    let app = spawn_app_with_clock(AppEnv::Development, &[("JOBS_ENABLED", "true"), ("JOBS_POLL_INTERVAL_MS", "10")], clock).await;
    // The standard schedule (the purge) is due at first sight: serve's runner runs it.
    let done = || job::Entity::find().filter(job::Column::Kind.eq(jobs::PURGE_KIND)).filter(job::Column::Status.eq("done")).one(&app.db);
    for _ in 0..500 {
        if done().await.expect("query").is_some() {
            return;
        }
        actix_web::rt::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    panic!("serve's runner did not run the purge within 5 s");
}

#[actix_web::test]
async fn a_job_leased_by_a_runner_that_died_is_taken_over_once_the_lease_ends() {
    let clock = Clock::manual(start());
    let app = spawn_app_with_clock(AppEnv::Development, &[], clock.clone()).await;
    let probe = Probe::default();
    let runner = Runner::new(app.db.clone(), clock.clone(), Registry::new().handle("probe", probe.clone()));
    let id = jobs::enqueue(&app.db, &clock, "probe", serde_json::json!({}), start()).await.expect("enqueue");
    // As a runner leaves it when it dies mid-job: claimed, leased, never reported.
    job::Entity::update(job::ActiveModel {
        id: Set(id),
        attempts: Set(1),
        locked_by: Set(Some("a-runner-that-died".to_owned())),
        locked_until: Set(Some(start() + jobs::LEASE)),
        ..Default::default()
    })
    .exec(&app.db)
    .await
    .expect("lease");

    clock.advance(jobs::LEASE - Duration::seconds(1));
    runner.tick().await.expect("tick");
    assert_eq!(probe.runs(), 0, "not while the lease holds");

    clock.advance(Duration::seconds(1));
    runner.tick().await.expect("tick");
    assert_eq!(probe.runs(), 1, "taken over when the lease ends");
    let row = job_row(&app.db, id).await;
    assert_eq!((row.status.as_str(), row.attempts), ("done", 2));
}

/// Blocks inside its job until released, telling when it started.
struct Blocking {
    started: Arc<tokio::sync::Notify>,
    release: Arc<tokio::sync::Notify>,
}

#[jobs::async_trait]
impl Handler for Blocking {
    async fn run(&self, _ctx: &JobContext, _payload: &serde_json::Value) -> Result<(), JobError> {
        self.started.notify_one();
        self.release.notified().await;
        Ok(())
    }
}

#[actix_web::test]
async fn stopping_a_runner_lets_the_job_in_hand_finish() {
    let clock = Clock::manual(start());
    let app = spawn_app_with_clock(AppEnv::Development, &[], clock.clone()).await;
    let (started, release) = (Arc::new(tokio::sync::Notify::new()), Arc::new(tokio::sync::Notify::new()));
    let handler = Blocking { started: started.clone(), release: release.clone() };
    let id = jobs::enqueue(&app.db, &clock, "blocking", serde_json::json!({}), start()).await.expect("enqueue");
    let handle =
        Runner::new(app.db.clone(), clock.clone(), Registry::new().handle("blocking", handler)).spawn(std::time::Duration::from_millis(10));
    started.notified().await;

    // Stop while the job runs; the job is released only after stop was asked.
    let ((), ()) = tokio::join!(handle.stop(), async { release.notify_one() });

    assert_eq!(job_row(&app.db, id).await.status, "done", "the job in hand finished before the runner stopped");
}
