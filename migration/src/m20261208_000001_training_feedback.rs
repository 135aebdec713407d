//! Feedback on training sessions (issue 12, item 6): an attendee's rating
//! (1 to 5) and optional comment, once per registration.

use sea_orm_migration::{prelude::*, schema::*};

/// Creates `training_feedback`: one row per registration (a unique index,
/// which also settles two simultaneous submissions), the rating held to 1..5
/// and the comment to 2,000 characters by CHECKs as well as by the API.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(TrainingFeedback::Table)
                    .col(pk_uuid(TrainingFeedback::Id))
                    .col(uuid(TrainingFeedback::RegistrationId))
                    .col(uuid(TrainingFeedback::SessionId))
                    .col(integer(TrainingFeedback::Rating))
                    .col(text_null(TrainingFeedback::Comment))
                    .col(timestamp_with_time_zone(TrainingFeedback::CreatedAt))
                    .check(Expr::cust("rating BETWEEN 1 AND 5 AND (comment IS NULL OR length(comment) <= 2000)"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_training_feedback_registration")
                            .from(TrainingFeedback::Table, TrainingFeedback::RegistrationId)
                            .to(TrainingRegistrations::Table, TrainingRegistrations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_training_feedback_session")
                            .from(TrainingFeedback::Table, TrainingFeedback::SessionId)
                            .to(TrainingSessions::Table, TrainingSessions::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        for sql in [
            // Once per registration.
            "CREATE UNIQUE INDEX uq_training_feedback_registration ON training_feedback (registration_id)",
            // A session's summary (grouped by rating) and its comments, in
            // the order of their (random) ids.
            "CREATE INDEX idx_training_feedback_session ON training_feedback (session_id, id)",
        ] {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(TrainingFeedback::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum TrainingFeedback {
    Table,
    Id,
    RegistrationId,
    SessionId,
    Rating,
    Comment,
    CreatedAt,
}

#[derive(DeriveIden)]
enum TrainingRegistrations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum TrainingSessions {
    Table,
    Id,
}
