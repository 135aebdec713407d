//! A background job: a unit of work claimed by one runner at a time.

use sea_orm::entity::prelude::*;

/// A row of `jobs`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "jobs")]
pub struct Model {
    /// Primary key (UUIDv7).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Which handler runs it.
    pub kind: String,
    /// The handler's input (JSON text).
    pub payload: String,
    /// `queued`, `done` or `dead` (failed `max_attempts` times).
    pub status: String,
    /// Not before this time (pushed back after each failure).
    pub run_at: DateTimeUtc,
    /// Attempts so far (counted when claimed).
    pub attempts: i32,
    /// Attempts before it is given up as dead.
    pub max_attempts: i32,
    /// The runner holding it, while leased.
    pub locked_by: Option<String>,
    /// End of the lease: after it, another runner may claim the job again.
    pub locked_until: Option<DateTimeUtc>,
    /// The cause chain of the last failure.
    pub last_error: Option<String>,
    /// Creation time (UTC).
    pub created_at: DateTimeUtc,
    /// When it succeeded or was given up.
    pub finished_at: Option<DateTimeUtc>,
}

/// Relations of a job.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
