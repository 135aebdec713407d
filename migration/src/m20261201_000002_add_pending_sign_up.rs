//! A sign-up for an address that already has an unverified account must not be
//! blocked by it (anyone can open an account for any address): each sign-up's
//! verification token carries what that sign-up asked for (address as typed,
//! password hash, name, locale, time zone), applied when the token is used.

use sea_orm_migration::{prelude::*, schema::*};

/// Adds `email_tokens.pending_sign_up`.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table(EmailTokens::Table).add_column(text_null(EmailTokens::PendingSignUp)).to_owned()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table(EmailTokens::Table).drop_column(EmailTokens::PendingSignUp).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum EmailTokens {
    Table,
    PendingSignUp,
}
