//! Invitations by e-mail to join an organization, a partner or a donor.

use sea_orm_migration::{prelude::*, schema::*};

/// Creates `invitations`.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Invitations::Table)
                    .col(pk_uuid(Invitations::Id))
                    .col(string_len(Invitations::EmailNormalized, 320))
                    .col(string_len(Invitations::Scope, 16))
                    .col(uuid(Invitations::ScopeId))
                    .col(string_len(Invitations::Role, 24))
                    .col(string_len_uniq(Invitations::TokenHash, 64))
                    .col(uuid_null(Invitations::InvitedBy))
                    .col(timestamp_with_time_zone(Invitations::ExpiresAt))
                    .col(timestamp_with_time_zone_null(Invitations::AcceptedAt))
                    .col(timestamp_with_time_zone(Invitations::CreatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Invitations::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum Invitations {
    Table,
    Id,
    EmailNormalized,
    Scope,
    ScopeId,
    Role,
    TokenHash,
    InvitedBy,
    ExpiresAt,
    AcceptedAt,
    CreatedAt,
}
