//! Trainings (issue 12, first slice): the topic taxonomy, trainings with
//! their topics, languages and co-organizers, and their sessions. Later
//! slices (registrations, attendance, certificates, feedback) hang their
//! tables off `training_sessions`.

use sea_orm_migration::{prelude::*, schema::*};

/// Creates `training_topics` (with the taxonomy), `trainings`,
/// `training_topic_links`, `training_languages`, `training_co_organizers`
/// and `training_sessions`, with the indexes of every filter and order of
/// `trainings` and `upcomingSessions`.
#[derive(DeriveMigrationName)]
pub struct Migration;

/// Namespace of topic ids: `Uuid::new_v5(&NAMESPACE, slug)`, stable across databases.
const TOPIC_NAMESPACE: uuid::Uuid = uuid::uuid!("3b8f6c52-7d0e-5a41-9c1e-8a2f4d6b0c17");

/// The topic taxonomy: (slug, English name).
const TOPICS: &[(&str, &str)] = &[
    ("digital-security", "Digital security"),
    ("data-visualisation", "Data visualisation"),
    ("online-storytelling", "Online storytelling"),
    ("social-media-campaigns", "Social media campaigns"),
    ("fundraising", "Fundraising"),
    ("graphic-design", "Graphic design"),
    ("open-source-video", "Video with open-source tools"),
    ("office-suites", "Office suites"),
    ("data-analysis", "Data analysis"),
    ("investigative-techniques", "Investigative techniques"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(TrainingTopics::Table)
                    .col(pk_uuid(TrainingTopics::Id))
                    .col(string_len_uniq(TrainingTopics::Slug, 60))
                    .col(string_len(TrainingTopics::Name, 120))
                    .to_owned(),
            )
            .await?;
        let mut insert = Query::insert();
        insert.into_table(TrainingTopics::Table).columns([TrainingTopics::Id, TrainingTopics::Slug, TrainingTopics::Name]);
        for (slug, name) in TOPICS {
            let id = uuid::Uuid::new_v5(&TOPIC_NAMESPACE, slug.as_bytes());
            insert.values_panic([id.into(), (*slug).into(), (*name).into()]);
        }
        manager.exec_stmt(insert).await?;

        manager
            .create_table(
                Table::create()
                    .table(Trainings::Table)
                    .col(pk_uuid(Trainings::Id))
                    .col(uuid(Trainings::PartnerId))
                    .col(string_len(Trainings::Slug, 100))
                    .col(string_len(Trainings::Title, 200))
                    .col(string_len(Trainings::Summary, 500))
                    .col(text(Trainings::Description))
                    .col(string_len(Trainings::Level, 16))
                    .col(string_len(Trainings::Format, 16))
                    .col(json(Trainings::Languages))
                    .col(json(Trainings::Materials))
                    .col(string_len(Trainings::Status, 16))
                    .col(integer(Trainings::Version))
                    .col(timestamp_with_time_zone(Trainings::CreatedAt))
                    .col(timestamp_with_time_zone(Trainings::UpdatedAt))
                    .col(timestamp_with_time_zone_null(Trainings::PublishedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_trainings_partner")
                            .from(Trainings::Table, Trainings::PartnerId)
                            .to(Partners::Table, Partners::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        // The list's order (newest first, id breaking ties) and each of its
        // equality filters followed by that order.
        for sql in [
            "CREATE UNIQUE INDEX uq_trainings_partner_slug ON trainings (partner_id, slug)",
            "CREATE INDEX idx_trainings_created ON trainings (created_at, id)",
            "CREATE INDEX idx_trainings_partner_created ON trainings (partner_id, created_at, id)",
            "CREATE INDEX idx_trainings_level_created ON trainings (level, created_at, id)",
            "CREATE INDEX idx_trainings_format_created ON trainings (format, created_at, id)",
            "CREATE INDEX idx_trainings_status_created ON trainings (status, created_at, id)",
        ] {
            db.execute_unprepared(sql).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(TrainingTopicLinks::Table)
                    .col(uuid(TrainingTopicLinks::TrainingId))
                    .col(uuid(TrainingTopicLinks::TopicId))
                    .primary_key(Index::create().col(TrainingTopicLinks::TrainingId).col(TrainingTopicLinks::TopicId))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_training_topic_links_training")
                            .from(TrainingTopicLinks::Table, TrainingTopicLinks::TrainingId)
                            .to(Trainings::Table, Trainings::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_training_topic_links_topic")
                            .from(TrainingTopicLinks::Table, TrainingTopicLinks::TopicId)
                            .to(TrainingTopics::Table, TrainingTopics::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        db.execute_unprepared("CREATE INDEX idx_training_topic_links_topic ON training_topic_links (topic_id, training_id)").await?;

        // The languages of `trainings.languages`, one row each (lower case),
        // so that the language filter has an index on both backends.
        manager
            .create_table(
                Table::create()
                    .table(TrainingLanguages::Table)
                    .col(uuid(TrainingLanguages::TrainingId))
                    .col(string_len(TrainingLanguages::Language, 35))
                    .primary_key(Index::create().col(TrainingLanguages::TrainingId).col(TrainingLanguages::Language))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_training_languages_training")
                            .from(TrainingLanguages::Table, TrainingLanguages::TrainingId)
                            .to(Trainings::Table, Trainings::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        db.execute_unprepared("CREATE INDEX idx_training_languages_language ON training_languages (language, training_id)").await?;

        manager
            .create_table(
                Table::create()
                    .table(TrainingCoOrganizers::Table)
                    .col(pk_uuid(TrainingCoOrganizers::Id))
                    .col(uuid(TrainingCoOrganizers::TrainingId))
                    .col(uuid_null(TrainingCoOrganizers::DonorId))
                    .col(uuid_null(TrainingCoOrganizers::OrganizationId))
                    // Exactly one of a donor and an organization.
                    .check(Expr::cust("(donor_id IS NULL) <> (organization_id IS NULL)"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_training_co_organizers_training")
                            .from(TrainingCoOrganizers::Table, TrainingCoOrganizers::TrainingId)
                            .to(Trainings::Table, Trainings::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_training_co_organizers_donor")
                            .from(TrainingCoOrganizers::Table, TrainingCoOrganizers::DonorId)
                            .to(Donors::Table, Donors::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_training_co_organizers_organization")
                            .from(TrainingCoOrganizers::Table, TrainingCoOrganizers::OrganizationId)
                            .to(Organizations::Table, Organizations::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        for sql in [
            "CREATE UNIQUE INDEX uq_training_co_organizers_donor ON training_co_organizers (training_id, donor_id)",
            "CREATE UNIQUE INDEX uq_training_co_organizers_organization ON training_co_organizers (training_id, organization_id)",
            "CREATE INDEX idx_training_co_organizers_organization ON training_co_organizers (organization_id)",
        ] {
            db.execute_unprepared(sql).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(TrainingSessions::Table)
                    .col(pk_uuid(TrainingSessions::Id))
                    .col(uuid(TrainingSessions::TrainingId))
                    .col(timestamp_with_time_zone(TrainingSessions::StartsAt))
                    .col(timestamp_with_time_zone(TrainingSessions::EndsAt))
                    .col(string_len(TrainingSessions::TimeZone, 64))
                    .col(string_len_null(TrainingSessions::VenueAddress, 500))
                    .col(string_len_null(TrainingSessions::VenueCity, 200))
                    .col(string_len_null(TrainingSessions::CountryCode, 2))
                    .col(string_len_null(TrainingSessions::OnlineUrl, 2048))
                    .col(integer(TrainingSessions::Capacity))
                    .col(timestamp_with_time_zone(TrainingSessions::RegistrationDeadline))
                    .col(string_len(TrainingSessions::Status, 16))
                    .col(integer(TrainingSessions::Version))
                    .col(timestamp_with_time_zone(TrainingSessions::CreatedAt))
                    .col(timestamp_with_time_zone(TrainingSessions::UpdatedAt))
                    .check(Expr::cust("ends_at > starts_at AND registration_deadline <= starts_at AND capacity > 0"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_training_sessions_training")
                            .from(TrainingSessions::Table, TrainingSessions::TrainingId)
                            .to(Trainings::Table, Trainings::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // A training's sessions by start; upcoming sessions by start (all, or
        // in a country); trainings with a session in a country or a period.
        for sql in [
            "CREATE INDEX idx_training_sessions_training ON training_sessions (training_id, starts_at)",
            "CREATE INDEX idx_training_sessions_starts ON training_sessions (starts_at, id)",
            "CREATE INDEX idx_training_sessions_country_starts ON training_sessions (country_code, starts_at, id)",
        ] {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(TrainingSessions::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(TrainingCoOrganizers::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(TrainingLanguages::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(TrainingTopicLinks::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Trainings::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(TrainingTopics::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum TrainingTopics {
    Table,
    Id,
    Slug,
    Name,
}

#[derive(DeriveIden)]
enum Trainings {
    Table,
    Id,
    PartnerId,
    Slug,
    Title,
    Summary,
    Description,
    Level,
    Format,
    Languages,
    Materials,
    Status,
    Version,
    CreatedAt,
    UpdatedAt,
    PublishedAt,
}

#[derive(DeriveIden)]
enum TrainingTopicLinks {
    Table,
    TrainingId,
    TopicId,
}

#[derive(DeriveIden)]
enum TrainingLanguages {
    Table,
    TrainingId,
    Language,
}

#[derive(DeriveIden)]
enum TrainingCoOrganizers {
    Table,
    Id,
    TrainingId,
    DonorId,
    OrganizationId,
}

#[derive(DeriveIden)]
enum TrainingSessions {
    Table,
    Id,
    TrainingId,
    StartsAt,
    EndsAt,
    TimeZone,
    VenueAddress,
    VenueCity,
    CountryCode,
    OnlineUrl,
    Capacity,
    RegistrationDeadline,
    Status,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Partners {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Donors {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}
