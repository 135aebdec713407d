//! A recurring job: when it is next due, across every instance.

use sea_orm::entity::prelude::*;

/// A row of `job_schedules`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "job_schedules")]
pub struct Model {
    /// The schedule's name (also the kind of job it enqueues).
    #[sea_orm(primary_key, auto_increment = false)]
    pub name: String,
    /// Seconds between runs.
    pub interval_secs: i64,
    /// When it is next due.
    pub next_run_at: DateTimeUtc,
}

/// Relations of a schedule.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
