//! The catalogue's search and orders (issue 11, item 2): each program text
//! carries its name and description folded for search (`search_text`, as
//! organizations do: accents removed, lower case, single spaces, written by
//! the service), and live programs have an index for each order `programs`
//! offers, the id breaking ties for keyset pages.
//!
//! Rows written before this migration are folded here with SQL `LOWER`
//! (ASCII case only); the service rewrites a program's texts, folded in full,
//! whenever the program is updated.

use sea_orm_migration::{prelude::*, schema::*};

/// Adds `program_texts.search_text` and the catalogue's order indexes.
#[derive(DeriveMigrationName)]
pub struct Migration;

/// (name, key columns) of the partial indexes on live programs.
const INDEXES: [(&str, &str); 3] = [
    ("idx_programs_live_created", "created_at, id"),
    ("idx_programs_live_slug", "slug, id"),
    ("idx_programs_live_admin_fee", "admin_fee, id"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(Table::alter().table(ProgramTexts::Table).add_column(text(ProgramTexts::SearchText).default("")).to_owned())
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared("UPDATE program_texts SET search_text = LOWER(name || ' ' || description)").await?;
        for (name, columns) in INDEXES {
            db.execute_unprepared(&format!("CREATE INDEX {name} ON programs ({columns}) WHERE archived_at IS NULL")).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for (name, _) in INDEXES {
            db.execute_unprepared(&format!("DROP INDEX IF EXISTS {name}")).await?;
        }
        manager.alter_table(Table::alter().table(ProgramTexts::Table).drop_column(ProgramTexts::SearchText).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum ProgramTexts {
    Table,
    SearchText,
}
