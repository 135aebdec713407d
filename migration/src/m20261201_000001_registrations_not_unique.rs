//! Registration numbers are no longer unique per (country, kind, number).
//!
//! Refusing a number that another organization holds told any signed-in user
//! that an organization they may not see exists (issue 7, finding 3). Two
//! organizations may now record the same identifier; partner staff of the
//! country see them as possible duplicates. The unique index becomes a plain
//! one, which serves that duplicate look-up.
//!
//! `down` restores the unique index: it fails while two organizations of a
//! country share a registration (kind and number). Resolve those duplicates
//! first (see `Organization.possibleDuplicates`).

use sea_orm_migration::prelude::*;

/// Replaces the unique index on registration numbers by a plain index.
#[derive(DeriveMigrationName)]
pub struct Migration;

const UNIQUE: &str = "uq_organization_registrations_number";
const PLAIN: &str = "idx_organization_registrations_number";

fn number_index(name: &str) -> IndexCreateStatement {
    Index::create()
        .name(name)
        .table(OrganizationRegistrations::Table)
        .col(OrganizationRegistrations::CountryCode)
        .col(OrganizationRegistrations::Kind)
        .col(OrganizationRegistrations::Number)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name(UNIQUE).table(OrganizationRegistrations::Table).to_owned()).await?;
        manager.create_index(number_index(PLAIN)).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Fails (and leaves the plain index in place) while duplicates exist.
        manager.create_index(number_index(UNIQUE).unique().to_owned()).await?;
        manager.drop_index(Index::drop().name(PLAIN).table(OrganizationRegistrations::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum OrganizationRegistrations {
    Table,
    CountryCode,
    Kind,
    Number,
}
