//! Donations (issue 11, item 6): what the impact report groups by. A request
//! records when it was fulfilled and the partner that vetted the organization
//! when it asked (the partner of its approval in force, if any), so a report
//! counts each delivery in its year and for the partner it came through, even
//! after the organization's approval lapses or moves to another partner.

use sea_orm_migration::{prelude::*, schema::*};

/// Adds `fulfilled_at` and `partner_id` to `donation_requests`.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        manager
            .alter_table(
                Table::alter()
                    .table(DonationRequests::Table)
                    .add_column(timestamp_with_time_zone_null(DonationRequests::FulfilledAt))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(Table::alter().table(DonationRequests::Table).add_column(uuid_null(DonationRequests::PartnerId)).to_owned())
            .await?;
        // Requests fulfilled before this migration: their last change was the fulfilment.
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE donation_requests SET fulfilled_at = updated_at WHERE status = 'fulfilled' AND fulfilled_at IS NULL",
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_donation_requests_fulfilled")
                    .table(DonationRequests::Table)
                    .col(DonationRequests::Status)
                    .col(DonationRequests::FulfilledAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name("idx_donation_requests_fulfilled").table(DonationRequests::Table).to_owned()).await?;
        manager.alter_table(Table::alter().table(DonationRequests::Table).drop_column(DonationRequests::PartnerId).to_owned()).await?;
        manager.alter_table(Table::alter().table(DonationRequests::Table).drop_column(DonationRequests::FulfilledAt).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum DonationRequests {
    Table,
    Status,
    FulfilledAt,
    PartnerId,
}
