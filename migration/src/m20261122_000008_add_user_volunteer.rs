//! Users can say they volunteer their skills to the network.

use sea_orm_migration::{prelude::*, schema::*};

/// Adds `users.is_volunteer`.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table(Users::Table).add_column(boolean(Users::IsVolunteer).default(false)).to_owned()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table(Users::Table).drop_column(Users::IsVolunteer).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum Users {
    Table,
    IsVolunteer,
}
