//! Background jobs and their schedules.
//!
//! `jobs` is a queue in the database (no broker to run): a runner claims one due
//! row at a time with a lease (`locked_until`), so a crashed worker's job is
//! retried once the lease ends. `job_schedules` holds one row per recurring job;
//! a runner moves `next_run_at` forward with a conditional update, so across any
//! number of instances a schedule fires once per interval.

use sea_orm_migration::{prelude::*, schema::*};

/// Creates `jobs` and `job_schedules`.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Jobs::Table)
                    .col(pk_uuid(Jobs::Id))
                    .col(string_len(Jobs::Kind, 64))
                    .col(text(Jobs::Payload))
                    .col(string_len(Jobs::Status, 16))
                    .col(timestamp_with_time_zone(Jobs::RunAt))
                    .col(integer(Jobs::Attempts))
                    .col(integer(Jobs::MaxAttempts))
                    .col(string_len_null(Jobs::LockedBy, 64))
                    .col(timestamp_with_time_zone_null(Jobs::LockedUntil))
                    .col(text_null(Jobs::LastError))
                    .col(timestamp_with_time_zone(Jobs::CreatedAt))
                    .col(timestamp_with_time_zone_null(Jobs::FinishedAt))
                    .to_owned(),
            )
            .await?;
        // The claim query: `status = 'queued' AND run_at <= now ORDER BY run_at`.
        manager
            .create_index(Index::create().name("idx_jobs_status_run_at").table(Jobs::Table).col(Jobs::Status).col(Jobs::RunAt).to_owned())
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(JobSchedules::Table)
                    .col(string_len(JobSchedules::Name, 64).primary_key())
                    .col(big_integer(JobSchedules::IntervalSecs))
                    .col(timestamp_with_time_zone(JobSchedules::NextRunAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(JobSchedules::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Jobs::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum Jobs {
    Table,
    Id,
    Kind,
    Payload,
    Status,
    RunAt,
    Attempts,
    MaxAttempts,
    LockedBy,
    LockedUntil,
    LastError,
    CreatedAt,
    FinishedAt,
}

#[derive(DeriveIden)]
enum JobSchedules {
    Table,
    Name,
    IntervalSecs,
    NextRunAt,
}
