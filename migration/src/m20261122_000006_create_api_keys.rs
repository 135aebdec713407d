//! API keys of integrations (donor companies, partner frontends).

use sea_orm_migration::{prelude::*, schema::*};

/// Creates `api_keys`.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ApiKeys::Table)
                    .col(pk_uuid(ApiKeys::Id))
                    .col(string_len(ApiKeys::OwnerScope, 16))
                    .col(uuid(ApiKeys::OwnerId))
                    .col(string_len(ApiKeys::Name, 120))
                    .col(string_len_uniq(ApiKeys::Prefix, 16))
                    .col(string_len_uniq(ApiKeys::KeyHash, 64))
                    .col(json(ApiKeys::Scopes))
                    .col(uuid_null(ApiKeys::CreatedBy))
                    .col(timestamp_with_time_zone_null(ApiKeys::ExpiresAt))
                    .col(timestamp_with_time_zone_null(ApiKeys::LastUsedAt))
                    .col(timestamp_with_time_zone_null(ApiKeys::RevokedAt))
                    .col(timestamp_with_time_zone(ApiKeys::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("idx_api_keys_owner").table(ApiKeys::Table).col(ApiKeys::OwnerScope).col(ApiKeys::OwnerId).to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(ApiKeys::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum ApiKeys {
    Table,
    Id,
    OwnerScope,
    OwnerId,
    Name,
    Prefix,
    KeyHash,
    Scopes,
    CreatedBy,
    ExpiresAt,
    LastUsedAt,
    RevokedAt,
    CreatedAt,
}
