//! Roles and privacy: donors, memberships (roles scoped to an organization, a
//! partner or a donor), organizations' contact details (sensitive) and the audit log.

use sea_orm_migration::{prelude::*, schema::*};

/// Creates `donors`, `memberships`, `audit_events`; adds contact columns to `organizations`.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Donors::Table)
                    .col(pk_uuid(Donors::Id))
                    .col(string_len_uniq(Donors::Slug, 60))
                    .col(string_len(Donors::Name, 200))
                    .col(string_len_null(Donors::Website, 2048))
                    .col(timestamp_with_time_zone(Donors::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Memberships::Table)
                    .col(pk_uuid(Memberships::Id))
                    .col(uuid(Memberships::UserId))
                    .col(string_len(Memberships::Scope, 16))
                    .col(uuid(Memberships::ScopeId))
                    .col(string_len(Memberships::Role, 24))
                    .col(timestamp_with_time_zone(Memberships::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_memberships_user")
                            .from(Memberships::Table, Memberships::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_memberships_user_scope")
                    .table(Memberships::Table)
                    .col(Memberships::UserId)
                    .col(Memberships::Scope)
                    .col(Memberships::ScopeId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_memberships_scope")
                    .table(Memberships::Table)
                    .col(Memberships::Scope)
                    .col(Memberships::ScopeId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AuditEvents::Table)
                    .col(pk_uuid(AuditEvents::Id))
                    .col(uuid_null(AuditEvents::ActorUserId))
                    .col(string_len(AuditEvents::Action, 60))
                    .col(string_len(AuditEvents::SubjectType, 40))
                    .col(uuid(AuditEvents::SubjectId))
                    .col(string_len(AuditEvents::Detail, 500))
                    .col(timestamp_with_time_zone(AuditEvents::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_audit_events_created")
                    .table(AuditEvents::Table)
                    .col(AuditEvents::CreatedAt)
                    .col(AuditEvents::Id)
                    .to_owned(),
            )
            .await?;
        // One column per statement: SQLite's ALTER TABLE adds one at a time.
        for column in [Organizations::ContactEmail, Organizations::ContactPhone, Organizations::ContactAddress] {
            let len = if matches!(column, Organizations::ContactPhone) { 40 } else { 500 };
            manager.alter_table(Table::alter().table(Organizations::Table).add_column(string_len_null(column, len)).to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Organizations::ContactEmail, Organizations::ContactPhone, Organizations::ContactAddress] {
            manager.alter_table(Table::alter().table(Organizations::Table).drop_column(column).to_owned()).await?;
        }
        manager.drop_table(Table::drop().table(AuditEvents::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Memberships::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Donors::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum Donors {
    Table,
    Id,
    Slug,
    Name,
    Website,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Memberships {
    Table,
    Id,
    UserId,
    Scope,
    ScopeId,
    Role,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AuditEvents {
    Table,
    Id,
    ActorUserId,
    Action,
    SubjectType,
    SubjectId,
    Detail,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Organizations {
    Table,
    ContactEmail,
    ContactPhone,
    ContactAddress,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}
