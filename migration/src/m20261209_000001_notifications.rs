//! Real time (issue 13, item 4): each user's inbox of notifications,
//! written in the transaction of the event they stem from.

use sea_orm_migration::{prelude::*, schema::*};

/// Creates `notifications`.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Notifications::Table)
                    .col(pk_uuid(Notifications::Id))
                    .col(uuid(Notifications::UserId))
                    .col(string_len(Notifications::Kind, 48))
                    .col(string_len(Notifications::Subject, 200))
                    .col(uuid_null(Notifications::EventId))
                    .col(timestamp_with_time_zone(Notifications::CreatedAt))
                    .col(timestamp_with_time_zone_null(Notifications::ReadAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_notifications_user")
                            .from(Notifications::Table, Notifications::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        // A user's inbox, newest first; unread ones on their own.
        db.execute_unprepared("CREATE INDEX idx_notifications_user ON notifications (user_id, created_at, id)").await?;
        db.execute_unprepared(
            "CREATE INDEX idx_notifications_user_unread ON notifications (user_id, created_at, id) WHERE read_at IS NULL",
        )
        .await?;
        // `notificationAdded` finds the rows of an event.
        db.execute_unprepared("CREATE INDEX idx_notifications_event ON notifications (event_id)").await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Notifications::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Notifications {
    Table,
    Id,
    UserId,
    Kind,
    Subject,
    EventId,
    CreatedAt,
    ReadAt,
}
