//! The impact report's scan (issue 11): fulfilled requests of a period, with
//! the columns both of its statements read (organization, program, quantity,
//! id), so PostgreSQL answers them from the index alone once the table's
//! pages are all-visible, instead of a heap fetch per request. PostgreSQL
//! carries them as `INCLUDE` columns; SQLite, which has no `INCLUDE`, as
//! trailing key columns (the same covering effect).

use sea_orm_migration::{prelude::*, sea_orm::DbBackend};

/// Replaces `idx_donation_requests_fulfilled` by a covering one (under its
/// own name: it is made before the old one is dropped).
#[derive(DeriveMigrationName)]
pub struct Migration;

const COVERING_POSTGRES: &str = "CREATE INDEX idx_donation_requests_fulfilled_covering ON donation_requests (status, fulfilled_at) \
     INCLUDE (organization_id, program_id, quantity, id)";
const COVERING_SQLITE: &str = "CREATE INDEX idx_donation_requests_fulfilled_covering ON donation_requests \
     (status, fulfilled_at, organization_id, program_id, quantity, id)";
const PLAIN: &str = "CREATE INDEX idx_donation_requests_fulfilled ON donation_requests (status, fulfilled_at)";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let covering = match manager.get_database_backend() {
            DbBackend::Postgres => COVERING_POSTGRES,
            _ => COVERING_SQLITE,
        };
        db.execute_unprepared(covering).await?;
        db.execute_unprepared("DROP INDEX IF EXISTS idx_donation_requests_fulfilled").await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared(PLAIN).await?;
        db.execute_unprepared("DROP INDEX IF EXISTS idx_donation_requests_fulfilled_covering").await?;
        Ok(())
    }
}
