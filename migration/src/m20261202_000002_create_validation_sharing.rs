//! Validations (issue 10, items 7 and 8): the share tokens an organization
//! issues so that a donor may see it even when HIDDEN, and the record of every
//! lookup of an organization by a donor.

use sea_orm_migration::{prelude::*, schema::*};

/// Creates `validation_share_tokens` and `validation_lookups`.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ValidationShareTokens::Table)
                    .col(pk_uuid(ValidationShareTokens::Id))
                    .col(uuid(ValidationShareTokens::OrganizationId))
                    .col(string_len(ValidationShareTokens::TokenHash, 64))
                    .col(text_null(ValidationShareTokens::Note))
                    .col(uuid_null(ValidationShareTokens::CreatedBy))
                    .col(timestamp_with_time_zone(ValidationShareTokens::CreatedAt))
                    .col(timestamp_with_time_zone(ValidationShareTokens::ExpiresAt))
                    .col(timestamp_with_time_zone_null(ValidationShareTokens::RevokedAt))
                    .col(uuid_null(ValidationShareTokens::RedeemedDonorId))
                    .col(timestamp_with_time_zone_null(ValidationShareTokens::RedeemedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_validation_share_tokens_organization")
                            .from(ValidationShareTokens::Table, ValidationShareTokens::OrganizationId)
                            .to(Organizations::Table, Organizations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_validation_share_tokens_donor")
                            .from(ValidationShareTokens::Table, ValidationShareTokens::RedeemedDonorId)
                            .to(Donors::Table, Donors::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        // Redemption finds a token by its hash.
        db.execute_unprepared("CREATE UNIQUE INDEX uq_validation_share_tokens_hash ON validation_share_tokens (token_hash)").await?;
        // The organization's tokens, newest first.
        db.execute_unprepared(
            "CREATE INDEX idx_validation_share_tokens_organization ON validation_share_tokens (organization_id, created_at, id)",
        )
        .await?;
        // The organizations shared with a donor (each lookup of its callers).
        db.execute_unprepared(
            "CREATE INDEX idx_validation_share_tokens_donor ON validation_share_tokens (redeemed_donor_id, organization_id) \
             WHERE redeemed_donor_id IS NOT NULL AND revoked_at IS NULL",
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(ValidationLookups::Table)
                    .col(pk_uuid(ValidationLookups::Id))
                    .col(uuid(ValidationLookups::OrganizationId))
                    .col(uuid(ValidationLookups::DonorId))
                    .col(uuid_null(ValidationLookups::ApiKeyId))
                    .col(uuid_null(ValidationLookups::UserId))
                    .col(timestamp_with_time_zone(ValidationLookups::LookedUpAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_validation_lookups_organization")
                            .from(ValidationLookups::Table, ValidationLookups::OrganizationId)
                            .to(Organizations::Table, Organizations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_validation_lookups_donor")
                            .from(ValidationLookups::Table, ValidationLookups::DonorId)
                            .to(Donors::Table, Donors::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // `organization.validationLookups`: newest first, keyset on (time, id).
        db.execute_unprepared("CREATE INDEX idx_validation_lookups_organization ON validation_lookups (organization_id, looked_up_at, id)")
            .await?;
        // Deleting a donor cascades here.
        db.execute_unprepared("CREATE INDEX idx_validation_lookups_donor ON validation_lookups (donor_id)").await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(ValidationLookups::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(ValidationShareTokens::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Donors {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ValidationShareTokens {
    Table,
    Id,
    OrganizationId,
    TokenHash,
    Note,
    CreatedBy,
    CreatedAt,
    ExpiresAt,
    RevokedAt,
    RedeemedDonorId,
    RedeemedAt,
}

#[derive(DeriveIden)]
enum ValidationLookups {
    Table,
    Id,
    OrganizationId,
    DonorId,
    ApiKeyId,
    UserId,
    LookedUpAt,
}
