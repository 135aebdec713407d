//! The organization directory: organizations, their registration identifiers and
//! focus areas.

use sea_orm_migration::{prelude::*, schema::*};

/// Creates `organizations`, `organization_registrations` and `organization_focus_areas`.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Organizations::Table)
                    .col(pk_uuid(Organizations::Id))
                    .col(string_len(Organizations::LegalName, 300))
                    .col(string_len(Organizations::DisplayName, 300))
                    .col(string_len(Organizations::CountryCode, 2))
                    .col(string_len(Organizations::OrgType, 24))
                    .col(text_null(Organizations::Mission))
                    .col(string_len_null(Organizations::Website, 2048))
                    .col(integer_null(Organizations::FoundedYear))
                    .col(string_len_null(Organizations::StaffSize, 16))
                    .col(big_integer_null(Organizations::BudgetAmount))
                    .col(string_len_null(Organizations::BudgetCurrency, 3))
                    .col(json(Organizations::Languages))
                    .col(string_len(Organizations::Visibility, 16))
                    .col(text(Organizations::SearchText))
                    .col(timestamp_with_time_zone(Organizations::CreatedAt))
                    .col(timestamp_with_time_zone(Organizations::UpdatedAt))
                    .col(timestamp_with_time_zone_null(Organizations::ArchivedAt))
                    .col(integer(Organizations::Version))
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            ("idx_organizations_country", vec![Organizations::CountryCode, Organizations::Id]),
            ("idx_organizations_name_id", vec![Organizations::DisplayName, Organizations::Id]),
            ("idx_organizations_created_id", vec![Organizations::CreatedAt, Organizations::Id]),
            ("idx_organizations_updated_id", vec![Organizations::UpdatedAt, Organizations::Id]),
        ] {
            let mut index = Index::create();
            index.name(name).table(Organizations::Table);
            for col in cols {
                index.col(col);
            }
            manager.create_index(index.to_owned()).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(OrganizationRegistrations::Table)
                    .col(pk_uuid(OrganizationRegistrations::Id))
                    .col(uuid(OrganizationRegistrations::OrganizationId))
                    .col(string_len(OrganizationRegistrations::CountryCode, 2))
                    .col(string_len(OrganizationRegistrations::Kind, 24))
                    .col(string_len(OrganizationRegistrations::Number, 64))
                    .col(integer(OrganizationRegistrations::Position))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_organization_registrations_organization")
                            .from(OrganizationRegistrations::Table, OrganizationRegistrations::OrganizationId)
                            .to(Organizations::Table, Organizations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_organization_registrations_number")
                    .table(OrganizationRegistrations::Table)
                    .col(OrganizationRegistrations::CountryCode)
                    .col(OrganizationRegistrations::Kind)
                    .col(OrganizationRegistrations::Number)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_organization_registrations_organization")
                    .table(OrganizationRegistrations::Table)
                    .col(OrganizationRegistrations::OrganizationId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(OrganizationFocusAreas::Table)
                    .col(uuid(OrganizationFocusAreas::OrganizationId))
                    .col(uuid(OrganizationFocusAreas::FocusAreaId))
                    .primary_key(Index::create().col(OrganizationFocusAreas::OrganizationId).col(OrganizationFocusAreas::FocusAreaId))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_organization_focus_areas_organization")
                            .from(OrganizationFocusAreas::Table, OrganizationFocusAreas::OrganizationId)
                            .to(Organizations::Table, Organizations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_organization_focus_areas_focus_area")
                            .from(OrganizationFocusAreas::Table, OrganizationFocusAreas::FocusAreaId)
                            .to(FocusAreas::Table, FocusAreas::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_organization_focus_areas_focus_area")
                    .table(OrganizationFocusAreas::Table)
                    .col(OrganizationFocusAreas::FocusAreaId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in
            [OrganizationFocusAreas::Table.into_iden(), OrganizationRegistrations::Table.into_iden(), Organizations::Table.into_iden()]
        {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Organizations {
    Table,
    Id,
    LegalName,
    DisplayName,
    CountryCode,
    OrgType,
    Mission,
    Website,
    FoundedYear,
    StaffSize,
    BudgetAmount,
    BudgetCurrency,
    Languages,
    Visibility,
    SearchText,
    CreatedAt,
    UpdatedAt,
    ArchivedAt,
    Version,
}

#[derive(DeriveIden)]
enum OrganizationRegistrations {
    Table,
    Id,
    OrganizationId,
    CountryCode,
    Kind,
    Number,
    Position,
}

#[derive(DeriveIden)]
enum OrganizationFocusAreas {
    Table,
    OrganizationId,
    FocusAreaId,
}

#[derive(DeriveIden)]
enum FocusAreas {
    Table,
    Id,
}
