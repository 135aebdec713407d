//! Trainings (issue 12, item 5): each user's private calendar feed of the
//! sessions they registered for, reached by a secret URL. Only the secret's
//! SHA-256 is stored; a user has at most one live feed.

use sea_orm_migration::{prelude::*, schema::*};

/// Creates `calendar_feeds`.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CalendarFeeds::Table)
                    .col(pk_uuid(CalendarFeeds::Id))
                    .col(uuid(CalendarFeeds::UserId))
                    .col(string_len(CalendarFeeds::SecretHash, 64))
                    .col(timestamp_with_time_zone(CalendarFeeds::CreatedAt))
                    .col(timestamp_with_time_zone_null(CalendarFeeds::RevokedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_calendar_feeds_user")
                            .from(CalendarFeeds::Table, CalendarFeeds::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        // `GET /calendar/{secret}.ics` finds a feed by its secret's hash.
        db.execute_unprepared("CREATE UNIQUE INDEX uq_calendar_feeds_secret ON calendar_feeds (secret_hash)").await?;
        // One live feed per user (creating one revokes the last); also serves
        // the user's feeds and the cascade from `users`.
        db.execute_unprepared("CREATE UNIQUE INDEX uq_calendar_feeds_live_user ON calendar_feeds (user_id) WHERE revoked_at IS NULL")
            .await?;
        db.execute_unprepared("CREATE INDEX idx_calendar_feeds_user ON calendar_feeds (user_id, created_at)").await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(CalendarFeeds::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum CalendarFeeds {
    Table,
    Id,
    UserId,
    SecretHash,
    CreatedAt,
    RevokedAt,
}
