//! Donations (issue 11): donors grow a description, a logo and the countries
//! where they give; the program catalogue (with its texts per language and
//! its countries); and the donation requests organizations make.

use sea_orm_migration::{prelude::*, schema::*};

/// Creates `donor_countries`, `programs`, `program_texts`,
/// `program_countries` and `donation_requests`; adds `description` and
/// `logo_url` to `donors`.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        manager.alter_table(Table::alter().table(Donors::Table).add_column(text_null(Donors::Description)).to_owned()).await?;
        manager.alter_table(Table::alter().table(Donors::Table).add_column(string_len_null(Donors::LogoUrl, 2048)).to_owned()).await?;

        manager
            .create_table(
                Table::create()
                    .table(DonorCountries::Table)
                    .col(uuid(DonorCountries::DonorId))
                    .col(string_len(DonorCountries::CountryCode, 2))
                    .primary_key(Index::create().col(DonorCountries::DonorId).col(DonorCountries::CountryCode))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_donor_countries_donor")
                            .from(DonorCountries::Table, DonorCountries::DonorId)
                            .to(Donors::Table, Donors::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Programs::Table)
                    .col(pk_uuid(Programs::Id))
                    .col(uuid(Programs::DonorId))
                    .col(string_len(Programs::Slug, 100))
                    .col(string_len(Programs::Category, 24))
                    .col(string_len(Programs::Currency, 3))
                    .col(big_integer(Programs::UnitValue))
                    .col(big_integer(Programs::AdminFee))
                    .col(json(Programs::EligibleTypes))
                    .col(big_integer_null(Programs::MaxAnnualBudget))
                    .col(boolean(Programs::RequiresValidation))
                    .col(integer_null(Programs::CapUnits))
                    .col(string_len_null(Programs::CapPeriod, 16))
                    .col(integer_null(Programs::CapMonths))
                    .col(integer_null(Programs::FiscalYearStartMonth))
                    .col(integer_null(Programs::StockTotal))
                    .col(integer(Programs::StockReserved).default(0))
                    .col(timestamp_with_time_zone_null(Programs::ActiveFrom))
                    .col(timestamp_with_time_zone_null(Programs::ActiveUntil))
                    .col(boolean(Programs::AutoApprove))
                    .col(integer(Programs::Version))
                    .col(timestamp_with_time_zone(Programs::CreatedAt))
                    .col(timestamp_with_time_zone(Programs::UpdatedAt))
                    .col(timestamp_with_time_zone_null(Programs::ArchivedAt))
                    // Reservations never exceed the stock nor go below zero,
                    // whatever the code does: the database refuses it too.
                    .check(Expr::cust("stock_reserved >= 0 AND (stock_total IS NULL OR stock_reserved <= stock_total)"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_programs_donor")
                            .from(Programs::Table, Programs::DonorId)
                            .to(Donors::Table, Donors::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared("CREATE UNIQUE INDEX uq_programs_donor_slug ON programs (donor_id, slug)").await?;
        db.execute_unprepared("CREATE INDEX idx_programs_category ON programs (category, id)").await?;

        manager
            .create_table(
                Table::create()
                    .table(ProgramTexts::Table)
                    .col(uuid(ProgramTexts::ProgramId))
                    .col(string_len(ProgramTexts::Language, 35))
                    .col(string_len(ProgramTexts::Name, 200))
                    .col(text(ProgramTexts::Description))
                    .primary_key(Index::create().col(ProgramTexts::ProgramId).col(ProgramTexts::Language))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_program_texts_program")
                            .from(ProgramTexts::Table, ProgramTexts::ProgramId)
                            .to(Programs::Table, Programs::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ProgramCountries::Table)
                    .col(uuid(ProgramCountries::ProgramId))
                    .col(string_len(ProgramCountries::CountryCode, 2))
                    .primary_key(Index::create().col(ProgramCountries::ProgramId).col(ProgramCountries::CountryCode))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_program_countries_program")
                            .from(ProgramCountries::Table, ProgramCountries::ProgramId)
                            .to(Programs::Table, Programs::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        db.execute_unprepared("CREATE INDEX idx_program_countries_country ON program_countries (country_code, program_id)").await?;

        manager
            .create_table(
                Table::create()
                    .table(DonationRequests::Table)
                    .col(pk_uuid(DonationRequests::Id))
                    .col(uuid(DonationRequests::ProgramId))
                    .col(uuid(DonationRequests::OrganizationId))
                    .col(uuid_null(DonationRequests::RequestedBy))
                    .col(integer(DonationRequests::Quantity))
                    .col(string_len(DonationRequests::Status, 16))
                    .col(string_len_null(DonationRequests::IdempotencyKey, 200))
                    .col(string_len(DonationRequests::InputHash, 64))
                    .col(text_null(DonationRequests::Note))
                    .col(json(DonationRequests::Reasons))
                    .col(text_null(DonationRequests::Fulfilment))
                    .col(uuid_null(DonationRequests::DecidedBy))
                    .col(timestamp_with_time_zone_null(DonationRequests::DecidedAt))
                    .col(timestamp_with_time_zone_null(DonationRequests::ApprovedAt))
                    .col(integer(DonationRequests::Version))
                    .col(timestamp_with_time_zone(DonationRequests::CreatedAt))
                    .col(timestamp_with_time_zone(DonationRequests::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_donation_requests_program")
                            .from(DonationRequests::Table, DonationRequests::ProgramId)
                            .to(Programs::Table, Programs::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_donation_requests_organization")
                            .from(DonationRequests::Table, DonationRequests::OrganizationId)
                            .to(Organizations::Table, Organizations::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        // An idempotency key names one request of an organization.
        db.execute_unprepared(
            "CREATE UNIQUE INDEX uq_donation_requests_idempotency ON donation_requests (organization_id, idempotency_key) \
             WHERE idempotency_key IS NOT NULL",
        )
        .await?;
        // The organization's requests, newest first; its units per program (caps).
        db.execute_unprepared("CREATE INDEX idx_donation_requests_organization ON donation_requests (organization_id, created_at, id)")
            .await?;
        db.execute_unprepared("CREATE INDEX idx_donation_requests_program ON donation_requests (program_id, status, created_at, id)")
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            DonationRequests::Table.into_iden(),
            ProgramCountries::Table.into_iden(),
            ProgramTexts::Table.into_iden(),
            Programs::Table.into_iden(),
            DonorCountries::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        manager.alter_table(Table::alter().table(Donors::Table).drop_column(Donors::LogoUrl).to_owned()).await?;
        manager.alter_table(Table::alter().table(Donors::Table).drop_column(Donors::Description).to_owned()).await?;
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Donors {
    Table,
    Id,
    Description,
    LogoUrl,
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum DonorCountries {
    Table,
    DonorId,
    CountryCode,
}

#[derive(DeriveIden)]
enum Programs {
    Table,
    Id,
    DonorId,
    Slug,
    Category,
    Currency,
    UnitValue,
    AdminFee,
    EligibleTypes,
    MaxAnnualBudget,
    RequiresValidation,
    CapUnits,
    CapPeriod,
    CapMonths,
    FiscalYearStartMonth,
    StockTotal,
    StockReserved,
    ActiveFrom,
    ActiveUntil,
    AutoApprove,
    Version,
    CreatedAt,
    UpdatedAt,
    ArchivedAt,
}

#[derive(DeriveIden)]
enum ProgramTexts {
    Table,
    ProgramId,
    Language,
    Name,
    Description,
}

#[derive(DeriveIden)]
enum ProgramCountries {
    Table,
    ProgramId,
    CountryCode,
}

#[derive(DeriveIden)]
enum DonationRequests {
    Table,
    Id,
    ProgramId,
    OrganizationId,
    RequestedBy,
    Quantity,
    Status,
    IdempotencyKey,
    InputHash,
    Note,
    Reasons,
    Fulfilment,
    DecidedBy,
    DecidedAt,
    ApprovedAt,
    Version,
    CreatedAt,
    UpdatedAt,
}
