//! The `events` table: every domain event, written in the transaction of the
//! change it describes. It is the outbox that history, subscriptions, webhooks
//! and notifications read.

use sea_orm_migration::{prelude::*, schema::*};

/// Creates `events`.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Events::Table)
                    .col(pk_uuid(Events::Id))
                    .col(string_len(Events::Type, 64))
                    .col(string_len(Events::Subject, 128))
                    .col(uuid_null(Events::OrganizationId))
                    .col(string_len_null(Events::CountryCode, 2))
                    // Text, not a JSON column type: the same on SQLite and PostgreSQL.
                    .col(text(Events::Payload))
                    .col(string_len(Events::ActorKind, 16))
                    .col(uuid_null(Events::ActorId))
                    .col(string_len_null(Events::ActorName, 64))
                    .col(timestamp_with_time_zone(Events::OccurredAt))
                    .to_owned(),
            )
            .await?;
        // A subject's history, in order.
        manager
            .create_index(
                Index::create()
                    .name("idx_events_subject_occurred")
                    .table(Events::Table)
                    .col(Events::Subject)
                    .col(Events::OccurredAt)
                    .col(Events::Id)
                    .to_owned(),
            )
            .await?;
        // New events in order (the outbox read by subscriptions, webhooks, notifications).
        manager
            .create_index(
                Index::create().name("idx_events_occurred").table(Events::Table).col(Events::OccurredAt).col(Events::Id).to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Events::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum Events {
    Table,
    Id,
    Type,
    Subject,
    OrganizationId,
    CountryCode,
    Payload,
    ActorKind,
    ActorId,
    ActorName,
    OccurredAt,
}
