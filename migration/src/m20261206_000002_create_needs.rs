//! The needs map (issue 12, item 9): each organization's challenges, ranked,
//! with a category, an urgency (1 to 5) and the level of technology each
//! needs. Partners read them aggregated per country.

use sea_orm_migration::{prelude::*, schema::*};

/// Creates `organization_challenges`.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(OrganizationChallenges::Table)
                    .col(pk_uuid(OrganizationChallenges::Id))
                    .col(uuid(OrganizationChallenges::OrganizationId))
                    .col(integer(OrganizationChallenges::Position))
                    .col(string_len(OrganizationChallenges::Title, 200))
                    .col(string_len(OrganizationChallenges::Category, 32))
                    .col(integer(OrganizationChallenges::Urgency))
                    .col(string_len(OrganizationChallenges::TechnologyLevel, 8))
                    .col(timestamp_with_time_zone(OrganizationChallenges::CreatedAt))
                    .check(Expr::cust("urgency BETWEEN 1 AND 5 AND position >= 1"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_organization_challenges_organization")
                            .from(OrganizationChallenges::Table, OrganizationChallenges::OrganizationId)
                            .to(Organizations::Table, Organizations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // An organization's list in rank order; one rank each.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX uq_organization_challenges_rank ON organization_challenges (organization_id, position)",
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(OrganizationChallenges::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum OrganizationChallenges {
    Table,
    Id,
    OrganizationId,
    Position,
    Title,
    Category,
    Urgency,
    TechnologyLevel,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}
