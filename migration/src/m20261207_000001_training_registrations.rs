//! Registrations for training sessions (issue 12, items 3, 4 and 7): a
//! user's seat or place on the waitlist, the attendance an organizer marks,
//! and the certificate an attendee gets.

use sea_orm_migration::{prelude::*, schema::*};

/// Adds `training_sessions.registered_count` (seats taken, kept in step by
/// every registration's transaction with a conditional update, so capacity
/// holds under concurrency) and `training_sessions.registration_sequence`
/// (the last place handed out: the order in which the session accepted its
/// registrations), and creates `training_registrations`.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds one at a time.
        manager
            .alter_table(
                Table::alter().table(TrainingSessions::Table).add_column(integer(TrainingSessions::RegisteredCount).default(0)).to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(TrainingSessions::Table)
                    .add_column(integer(TrainingSessions::RegistrationSequence).default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(TrainingRegistrations::Table)
                    .col(pk_uuid(TrainingRegistrations::Id))
                    .col(uuid(TrainingRegistrations::SessionId))
                    .col(uuid(TrainingRegistrations::UserId))
                    .col(uuid_null(TrainingRegistrations::OrganizationId))
                    .col(string_len(TrainingRegistrations::Status, 16))
                    .col(integer(TrainingRegistrations::Sequence))
                    .col(string_len_null(TrainingRegistrations::Attendance, 16))
                    .col(timestamp_with_time_zone_null(TrainingRegistrations::AttendanceMarkedAt))
                    .col(string_len_null(TrainingRegistrations::CertificateCode, 32))
                    .col(timestamp_with_time_zone_null(TrainingRegistrations::CertificateIssuedAt))
                    .col(timestamp_with_time_zone_null(TrainingRegistrations::CancellationNotifiedAt))
                    .col(integer(TrainingRegistrations::Version))
                    .col(timestamp_with_time_zone(TrainingRegistrations::CreatedAt))
                    .col(timestamp_with_time_zone(TrainingRegistrations::UpdatedAt))
                    .col(timestamp_with_time_zone_null(TrainingRegistrations::CancelledAt))
                    .check(Expr::cust("sequence >= 1 AND (certificate_code IS NULL) = (certificate_issued_at IS NULL)"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_training_registrations_session")
                            .from(TrainingRegistrations::Table, TrainingRegistrations::SessionId)
                            .to(TrainingSessions::Table, TrainingSessions::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_training_registrations_user")
                            .from(TrainingRegistrations::Table, TrainingRegistrations::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_training_registrations_organization")
                            .from(TrainingRegistrations::Table, TrainingRegistrations::OrganizationId)
                            .to(Organizations::Table, Organizations::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        for sql in [
            // At most one registration in force per person and session (a
            // partial index: cancelled ones stay as history).
            "CREATE UNIQUE INDEX uq_training_registrations_active ON training_registrations (session_id, user_id) \
             WHERE status <> 'cancelled'",
            // The acceptance order is strict: one place per registration; it
            // also serves a session's list and its waitlist in that order.
            "CREATE UNIQUE INDEX uq_training_registrations_sequence ON training_registrations (session_id, sequence)",
            "CREATE INDEX idx_training_registrations_session_status ON training_registrations (session_id, status, sequence)",
            // The verification of a certificate by its code.
            "CREATE UNIQUE INDEX uq_training_registrations_certificate ON training_registrations (certificate_code)",
            // A user's registrations and certificates, newest first.
            "CREATE INDEX idx_training_registrations_user_created ON training_registrations (user_id, created_at, id)",
            "CREATE INDEX idx_training_registrations_user_certificate ON training_registrations (user_id, certificate_issued_at, id)",
            "CREATE INDEX idx_training_registrations_organization ON training_registrations (organization_id)",
        ] {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(TrainingRegistrations::Table).to_owned()).await?;
        let db = manager.get_connection();
        db.execute_unprepared("ALTER TABLE training_sessions DROP COLUMN registration_sequence").await?;
        db.execute_unprepared("ALTER TABLE training_sessions DROP COLUMN registered_count").await?;
        Ok(())
    }
}

#[derive(DeriveIden)]
enum TrainingSessions {
    Table,
    Id,
    RegisteredCount,
    RegistrationSequence,
}

#[derive(DeriveIden)]
enum TrainingRegistrations {
    Table,
    Id,
    SessionId,
    UserId,
    OrganizationId,
    Status,
    Sequence,
    Attendance,
    AttendanceMarkedAt,
    CertificateCode,
    CertificateIssuedAt,
    CancellationNotifiedAt,
    Version,
    CreatedAt,
    UpdatedAt,
    CancelledAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}
