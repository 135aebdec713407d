//! Network partners and the countries they serve.

use sea_orm_migration::{prelude::*, schema::*};

/// Creates `partners` and `partner_countries`.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Partners::Table)
                    .col(pk_uuid(Partners::Id))
                    .col(string_len_uniq(Partners::Slug, 60))
                    .col(string_len(Partners::Name, 200))
                    .col(string_len_null(Partners::Website, 2048))
                    .col(json(Partners::Languages))
                    .col(string_len(Partners::Status, 16))
                    .col(date(Partners::JoinedOn))
                    .col(string_len_null(Partners::ContactEmail, 320))
                    .col(string_len_null(Partners::ContactPhone, 40))
                    .col(string_len_null(Partners::ContactAddress, 500))
                    .col(text(Partners::SearchText))
                    .col(timestamp_with_time_zone(Partners::CreatedAt))
                    .col(timestamp_with_time_zone(Partners::UpdatedAt))
                    .col(timestamp_with_time_zone_null(Partners::ArchivedAt))
                    .col(integer(Partners::Version))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("idx_partners_name_id").table(Partners::Table).col(Partners::Name).col(Partners::Id).to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PartnerCountries::Table)
                    .col(uuid(PartnerCountries::PartnerId))
                    .col(string_len(PartnerCountries::CountryCode, 2))
                    .primary_key(Index::create().col(PartnerCountries::PartnerId).col(PartnerCountries::CountryCode))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_partner_countries_partner")
                            .from(PartnerCountries::Table, PartnerCountries::PartnerId)
                            .to(Partners::Table, Partners::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_partner_countries_country")
                    .table(PartnerCountries::Table)
                    .col(PartnerCountries::CountryCode)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(PartnerCountries::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Partners::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum Partners {
    Table,
    Id,
    Slug,
    Name,
    Website,
    Languages,
    Status,
    JoinedOn,
    ContactEmail,
    ContactPhone,
    ContactAddress,
    SearchText,
    CreatedAt,
    UpdatedAt,
    ArchivedAt,
    Version,
}

#[derive(DeriveIden)]
enum PartnerCountries {
    Table,
    PartnerId,
    CountryCode,
}
