//! The job queue's SQL: enqueue, claim with a lease, finish, fail, and the
//! conditional update that fires a schedule once per interval.

use chrono::{DateTime, Duration, Utc};
use entity::{job, job_schedule};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, DbErr, EntityTrait, QueryFilter, Statement,
    TransactionTrait, sea_query::Expr,
};
use uuid::Uuid;

use crate::clock::Clock;

/// Attempts before a job is given up as dead.
pub const DEFAULT_MAX_ATTEMPTS: i32 = 5;
/// How long a claimed job is reserved for its runner: after it, a runner that
/// crashed (or hangs) loses the job to another.
pub const LEASE: Duration = Duration::minutes(5);

/// `jobs.status` of a job waiting (or leased) to run.
pub(super) const QUEUED: &str = "queued";
/// `jobs.status` of a job that succeeded.
pub(super) const DONE: &str = "done";
/// `jobs.status` of a job given up after `max_attempts`.
pub(super) const DEAD: &str = "dead";

/// The wait before the next attempt after `attempts` failed ones: 10 s doubling
/// each time, at most one hour.
pub fn backoff(attempts: i32) -> Duration {
    let doublings = u32::try_from(attempts.saturating_sub(1)).unwrap_or(0).min(16);
    (Duration::seconds(10) * 2_i32.pow(doublings)).min(Duration::hours(1))
}

/// Enqueues a job of `kind` due at `run_at` (with [`DEFAULT_MAX_ATTEMPTS`]).
/// Pass a transaction as `db` to enqueue only if the caller's change commits.
pub async fn enqueue(
    db: &impl ConnectionTrait,
    clock: &Clock,
    kind: &str,
    payload: serde_json::Value,
    run_at: DateTime<Utc>,
) -> Result<Uuid, DbErr> {
    enqueue_with(db, clock, kind, payload, run_at, DEFAULT_MAX_ATTEMPTS).await
}

/// [`enqueue`] with a given number of attempts.
pub async fn enqueue_with(
    db: &impl ConnectionTrait,
    clock: &Clock,
    kind: &str,
    payload: serde_json::Value,
    run_at: DateTime<Utc>,
    max_attempts: i32,
) -> Result<Uuid, DbErr> {
    let id = Uuid::now_v7();
    job::Entity::insert(job::ActiveModel {
        id: Set(id),
        kind: Set(kind.to_owned()),
        payload: Set(payload.to_string()),
        status: Set(QUEUED.to_owned()),
        run_at: Set(run_at),
        attempts: Set(0),
        max_attempts: Set(max_attempts.max(1)),
        locked_by: Set(None),
        locked_until: Set(None),
        last_error: Set(None),
        created_at: Set(clock.now()),
        finished_at: Set(None),
    })
    .exec_without_returning(db)
    .await?;
    Ok(id)
}

/// Claims the most overdue job, if any, for `worker` until now + [`LEASE`],
/// counting the attempt. One statement: PostgreSQL's `FOR UPDATE SKIP LOCKED`
/// lets concurrent runners pass over a row another is claiming; SQLite has one
/// writer, so the same UPDATE ... RETURNING is atomic there without it.
pub(super) async fn claim(db: &impl ConnectionTrait, now: DateTime<Utc>, worker: &str) -> Result<Option<job::Model>, DbErr> {
    let backend = db.get_database_backend();
    let lock = if backend == DbBackend::Postgres { "FOR UPDATE SKIP LOCKED" } else { "" };
    let due = "status = 'queued' AND run_at <= $3 AND (locked_until IS NULL OR locked_until <= $3)";
    let sql = format!(
        "UPDATE jobs SET attempts = attempts + 1, locked_by = $1, locked_until = $2 \
         WHERE id = (SELECT id FROM jobs WHERE {due} ORDER BY run_at LIMIT 1 {lock}) AND {due} RETURNING *"
    );
    // SQLite numbers its parameters ?1, ?2...; PostgreSQL $1, $2...
    let sql = if backend == DbBackend::Postgres { sql } else { sql.replace('$', "?") };
    let stmt = Statement::from_sql_and_values(backend, sql, [worker.into(), (now + LEASE).into(), now.into()]);
    job::Entity::find().from_raw_sql(stmt).one(db).await
}

/// Marks a job done, if `worker` still holds it.
pub(super) async fn finish(db: &impl ConnectionTrait, job: &job::Model, worker: &str, now: DateTime<Utc>) -> Result<(), DbErr> {
    job::Entity::update_many()
        .col_expr(job::Column::Status, Expr::value(DONE))
        .col_expr(job::Column::FinishedAt, Expr::value(now))
        .col_expr(job::Column::LockedBy, Expr::value(Option::<String>::None))
        .col_expr(job::Column::LockedUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .filter(job::Column::Id.eq(job.id))
        .filter(job::Column::LockedBy.eq(worker))
        .exec(db)
        .await?;
    Ok(())
}

/// Records a failure: the job runs again after [`backoff`], or is dead once it
/// has had its `max_attempts`. Returns true when it is dead.
pub(super) async fn fail(
    db: &impl ConnectionTrait,
    job: &job::Model,
    worker: &str,
    now: DateTime<Utc>,
    error: &str,
) -> Result<bool, DbErr> {
    let dead = job.attempts >= job.max_attempts;
    let mut update = job::Entity::update_many()
        .col_expr(job::Column::LastError, Expr::value(error))
        .col_expr(job::Column::LockedBy, Expr::value(Option::<String>::None))
        .col_expr(job::Column::LockedUntil, Expr::value(Option::<DateTime<Utc>>::None));
    update = if dead {
        update.col_expr(job::Column::Status, Expr::value(DEAD)).col_expr(job::Column::FinishedAt, Expr::value(now))
    } else {
        update.col_expr(job::Column::RunAt, Expr::value(now + backoff(job.attempts)))
    };
    update.filter(job::Column::Id.eq(job.id)).filter(job::Column::LockedBy.eq(worker)).exec(db).await?;
    Ok(dead)
}

/// Fires the schedule `kind` if it is due: moves `next_run_at` one interval past
/// now and enqueues its job, in one transaction. The update only applies while
/// `next_run_at` still holds the value read, so of any number of runners that
/// saw it due, one fires it. Returns true when this call fired it.
pub(super) async fn fire_if_due(db: &DatabaseConnection, clock: &Clock, kind: &str, interval: Duration) -> Result<bool, DbErr> {
    let now = clock.now();
    // First sight of a schedule: due at once.
    job_schedule::Entity::insert(job_schedule::ActiveModel {
        name: Set(kind.to_owned()),
        interval_secs: Set(interval.num_seconds()),
        next_run_at: Set(now),
    })
    .on_conflict_do_nothing()
    .exec_without_returning(db)
    .await?;
    let Some(row) = job_schedule::Entity::find_by_id(kind.to_owned()).one(db).await? else { return Ok(false) };
    if row.next_run_at > now {
        return Ok(false);
    }
    let txn = db.begin().await?;
    let claimed = job_schedule::Entity::update_many()
        .col_expr(job_schedule::Column::NextRunAt, Expr::value(now + interval))
        .col_expr(job_schedule::Column::IntervalSecs, Expr::value(interval.num_seconds()))
        .filter(job_schedule::Column::Name.eq(kind))
        .filter(job_schedule::Column::NextRunAt.eq(row.next_run_at))
        .filter(job_schedule::Column::NextRunAt.lte(now))
        .exec(&txn)
        .await?
        .rows_affected
        == 1;
    if claimed {
        enqueue(&txn, clock, kind, serde_json::json!({}), now).await?;
    }
    txn.commit().await?;
    Ok(claimed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_ten_seconds() {
        assert_eq!(backoff(1), Duration::seconds(10));
        assert_eq!(backoff(2), Duration::seconds(20));
        assert_eq!(backoff(4), Duration::seconds(80));
    }

    #[test]
    fn backoff_is_capped_at_one_hour_even_after_many_attempts() {
        assert_eq!(backoff(10), Duration::hours(1));
        assert_eq!(backoff(i32::MAX), Duration::hours(1));
        assert_eq!(backoff(0), Duration::seconds(10), "never shorter than the first wait");
    }
}
