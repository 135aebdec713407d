//! Indexes that serve every list of organizations the API offers, filter and
//! order together (issue 9).
//!
//! A list reads live (not archived) organizations, optionally of one country,
//! ordered by name, creation or update time with the id breaking ties. Before
//! this migration no index served `country_code = $1 ORDER BY display_name, id`:
//! PostgreSQL walked the name index and threw away the rows of other countries
//! (the whole table for a small country). Each index here is partial on live
//! rows, so archived ones cost nothing, and on PostgreSQL it carries the
//! visibility (the anonymous and network scopes filter on it) so that counts
//! are answered from the index alone.
//!
//! Searches (`search_text LIKE '%...%'`) get a trigram index on PostgreSQL when
//! the `pg_trgm` extension can be created (it ships with PostgreSQL and is a
//! trusted extension: a database owner may create it); without it, a search
//! within a country still walks only that country's index.

use sea_orm_migration::{prelude::*, sea_orm::DbBackend};

/// Partial list indexes on live organizations.
#[derive(DeriveMigrationName)]
pub struct Migration;

/// (name, key columns): each followed by the id, for keyset pages.
const INDEXES: [(&str, &str); 6] = [
    ("idx_organizations_live_country_name", "country_code, display_name, id"),
    ("idx_organizations_live_country_created", "country_code, created_at, id"),
    ("idx_organizations_live_country_updated", "country_code, updated_at, id"),
    ("idx_organizations_live_name", "display_name, id"),
    ("idx_organizations_live_created", "created_at, id"),
    ("idx_organizations_live_updated", "updated_at, id"),
];

const TRIGRAM: &str = "idx_organizations_live_search_trgm";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let postgres = manager.get_database_backend() == DbBackend::Postgres;
        for (name, columns) in INDEXES {
            // SQLite has no INCLUDE; its partial indexes work the same.
            let include = if postgres { " INCLUDE (visibility, country_code)" } else { "" };
            db.execute_unprepared(&format!("CREATE INDEX {name} ON organizations ({columns}){include} WHERE archived_at IS NULL")).await?;
        }
        if postgres && trigram_available(manager).await? {
            db.execute_unprepared("CREATE EXTENSION IF NOT EXISTS pg_trgm").await?;
            db.execute_unprepared(&format!(
                "CREATE INDEX {TRIGRAM} ON organizations USING gin (search_text gin_trgm_ops) WHERE archived_at IS NULL"
            ))
            .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        // The extension stays: other objects may use it.
        db.execute_unprepared(&format!("DROP INDEX IF EXISTS {TRIGRAM}")).await?;
        for (name, _) in INDEXES {
            db.execute_unprepared(&format!("DROP INDEX IF EXISTS {name}")).await?;
        }
        Ok(())
    }
}

/// Whether `pg_trgm` is installed on the server and this role may create it
/// (or it exists already).
async fn trigram_available(manager: &SchemaManager<'_>) -> Result<bool, DbErr> {
    use sea_orm_migration::sea_orm::{ConnectionTrait, Statement};
    let sql = "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') \
               OR (EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') \
                   AND (SELECT rolsuper OR has_database_privilege(current_database(), 'CREATE') FROM pg_roles WHERE rolname = current_user)) AS ok";
    let row = manager.get_connection().query_one_raw(Statement::from_string(DbBackend::Postgres, sql)).await?;
    Ok(row.map(|r| r.try_get::<bool>("", "ok")).transpose()?.unwrap_or(false))
}
