//! Validations (issue 10): the criteria partners apply per country, the cases
//! that vet organizations, and the evidence attached to them.

use sea_orm_migration::{prelude::*, schema::*};

/// Creates `validation_criteria`, `validations` and `validation_evidence`.
#[derive(DeriveMigrationName)]
pub struct Migration;

/// The statuses of a case still in progress: at most one such case per organization.
const OPEN: &str = "'draft', 'submitted', 'in_review', 'needs_information'";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ValidationCriteria::Table)
                    .col(pk_uuid(ValidationCriteria::Id))
                    .col(uuid(ValidationCriteria::PartnerId))
                    .col(string_len(ValidationCriteria::CountryCode, 2))
                    .col(json(ValidationCriteria::EligibleTypes))
                    .col(json(ValidationCriteria::RequiredEvidence))
                    .col(integer(ValidationCriteria::ReferencesForUnregistered))
                    .col(integer(ValidationCriteria::ValidityMonths))
                    .col(boolean(ValidationCriteria::FourEyes))
                    .col(integer(ValidationCriteria::Version))
                    .col(timestamp_with_time_zone(ValidationCriteria::CreatedAt))
                    .col(timestamp_with_time_zone(ValidationCriteria::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_validation_criteria_partner")
                            .from(ValidationCriteria::Table, ValidationCriteria::PartnerId)
                            .to(Partners::Table, Partners::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_validation_criteria_partner_country")
                    .table(ValidationCriteria::Table)
                    .col(ValidationCriteria::PartnerId)
                    .col(ValidationCriteria::CountryCode)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_validation_criteria_country")
                    .table(ValidationCriteria::Table)
                    .col(ValidationCriteria::CountryCode)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Validations::Table)
                    .col(pk_uuid(Validations::Id))
                    .col(uuid(Validations::OrganizationId))
                    .col(string_len(Validations::CountryCode, 2))
                    .col(uuid_null(Validations::PartnerId))
                    .col(string_len(Validations::Status, 24))
                    .col(uuid_null(Validations::RenewalOf))
                    .col(uuid_null(Validations::OpenedBy))
                    .col(timestamp_with_time_zone_null(Validations::SubmittedAt))
                    .col(uuid_null(Validations::FirstApprovedBy))
                    .col(uuid_null(Validations::DecidedBy))
                    .col(timestamp_with_time_zone_null(Validations::DecidedAt))
                    .col(timestamp_with_time_zone_null(Validations::ValidUntil))
                    .col(timestamp_with_time_zone_null(Validations::ExpiryNoticeSentAt))
                    .col(json(Validations::Reasons))
                    .col(text_null(Validations::Note))
                    .col(integer(Validations::Version))
                    .col(timestamp_with_time_zone(Validations::CreatedAt))
                    .col(timestamp_with_time_zone(Validations::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_validations_organization")
                            .from(Validations::Table, Validations::OrganizationId)
                            .to(Organizations::Table, Organizations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_validations_partner")
                            .from(Validations::Table, Validations::PartnerId)
                            .to(Partners::Table, Partners::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        // An organization's cases, newest first (its current case is the first).
        db.execute_unprepared("CREATE INDEX idx_validations_organization_created ON validations (organization_id, created_at, id)").await?;
        // At most one case in progress per organization, whatever the race.
        db.execute_unprepared(&format!(
            "CREATE UNIQUE INDEX uq_validations_open_per_organization ON validations (organization_id) WHERE status IN ({OPEN})"
        ))
        .await?;
        // A partner's queue by status, oldest submission first.
        db.execute_unprepared("CREATE INDEX idx_validations_partner_queue ON validations (partner_id, status, submitted_at, id)").await?;
        // Approvals by end of validity (the expiry job and its 30-day notice).
        db.execute_unprepared("CREATE INDEX idx_validations_approved_until ON validations (valid_until, id) WHERE status = 'approved'")
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ValidationEvidence::Table)
                    .col(pk_uuid(ValidationEvidence::Id))
                    .col(uuid(ValidationEvidence::ValidationId))
                    .col(string_len(ValidationEvidence::Kind, 32))
                    .col(string_len(ValidationEvidence::Sha256, 64))
                    .col(string_len(ValidationEvidence::MediaType, 64))
                    .col(big_integer(ValidationEvidence::SizeBytes))
                    .col(string_len(ValidationEvidence::FileName, 255))
                    .col(uuid_null(ValidationEvidence::UploadedBy))
                    .col(timestamp_with_time_zone(ValidationEvidence::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_validation_evidence_validation")
                            .from(ValidationEvidence::Table, ValidationEvidence::ValidationId)
                            .to(Validations::Table, Validations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_validation_evidence_validation")
                    .table(ValidationEvidence::Table)
                    .col(ValidationEvidence::ValidationId)
                    .col(ValidationEvidence::CreatedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(ValidationEvidence::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Validations::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(ValidationCriteria::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum Partners {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ValidationCriteria {
    Table,
    Id,
    PartnerId,
    CountryCode,
    EligibleTypes,
    RequiredEvidence,
    ReferencesForUnregistered,
    ValidityMonths,
    FourEyes,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Validations {
    Table,
    Id,
    OrganizationId,
    CountryCode,
    PartnerId,
    Status,
    RenewalOf,
    OpenedBy,
    SubmittedAt,
    FirstApprovedBy,
    DecidedBy,
    DecidedAt,
    ValidUntil,
    ExpiryNoticeSentAt,
    Reasons,
    Note,
    Version,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ValidationEvidence {
    Table,
    Id,
    ValidationId,
    Kind,
    Sha256,
    MediaType,
    SizeBytes,
    FileName,
    UploadedBy,
    CreatedAt,
}
