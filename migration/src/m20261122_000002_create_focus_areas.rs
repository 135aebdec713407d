//! The focus-area taxonomy: a table and its reference rows.
//!
//! The rows are reference data every deployment needs (organizations are
//! validated against them), so they ship with the schema rather than the demo seed.
//! Ids are UUIDv5 of the slug, identical in every database.

use sea_orm_migration::{prelude::*, schema::*};

/// Creates `focus_areas` and inserts the taxonomy.
#[derive(DeriveMigrationName)]
pub struct Migration;

/// Namespace of focus-area ids: `Uuid::new_v5(&NAMESPACE, slug)`.
const FOCUS_AREA_NAMESPACE: uuid::Uuid = uuid::uuid!("6f1c3f0e-2d0b-5b8e-9a57-1f6c2b7e4a10");

/// (slug, name, category, description)
const TAXONOMY: &[(&str, &str, &str, &str)] = &[
    ("human-rights", "Human rights", "Rights & justice", "Defending and promoting human rights."),
    (
        "civic-participation",
        "Civic participation & democracy",
        "Democracy & governance",
        "Elections, public participation and civic education.",
    ),
    ("access-to-justice", "Access to justice", "Rights & justice", "Legal aid, paralegals and justice for people who cannot afford it."),
    (
        "gender-equality",
        "Gender equality",
        "Rights & justice",
        "Rights and opportunities of women and girls; ending gender-based violence.",
    ),
    ("lgbtqi-rights", "LGBTQI+ rights", "Rights & justice", "Rights, safety and inclusion of LGBTQI+ people."),
    ("disability-inclusion", "Disability inclusion", "People & communities", "Accessibility and the rights of people with disabilities."),
    ("refugees-migrants", "Refugees & migrants", "Humanitarian", "Protection and integration of refugees, migrants and displaced people."),
    ("indigenous-peoples", "Indigenous peoples", "People & communities", "Rights, land and culture of indigenous peoples."),
    ("children-youth", "Children & youth", "People & communities", "Protection, development and voice of children and young people."),
    ("education", "Education", "Education & skills", "Schools, literacy and lifelong learning."),
    ("digital-literacy", "Digital literacy & inclusion", "Education & skills", "Access to and skills with digital technology."),
    ("health", "Health", "Health & wellbeing", "Health care, prevention and health rights."),
    ("mental-health", "Mental health", "Health & wellbeing", "Mental health and psychosocial support."),
    ("water-sanitation", "Water & sanitation", "Health & wellbeing", "Clean water, sanitation and hygiene."),
    ("food-security", "Food security & agriculture", "Economy & livelihoods", "Smallholder farming, nutrition and food systems."),
    ("livelihoods", "Livelihoods & economic development", "Economy & livelihoods", "Jobs, enterprise, microfinance and skills for work."),
    ("environment", "Environment & climate", "Environment", "Conservation, climate action and environmental justice."),
    ("disaster-relief", "Disaster relief & humanitarian aid", "Humanitarian", "Emergency response, preparedness and recovery."),
    ("housing", "Housing & homelessness", "People & communities", "Decent housing and support for people without a home."),
    (
        "media-freedom",
        "Independent media & press freedom",
        "Democracy & governance",
        "Independent journalism, freedom of expression and information.",
    ),
    ("anti-corruption", "Transparency & anti-corruption", "Democracy & governance", "Accountability of public and private power."),
    ("arts-culture", "Arts & culture", "Culture", "Arts, heritage and cultural expression."),
    ("animal-welfare", "Animal welfare", "Environment", "Care and protection of animals."),
    ("older-people", "Older people", "People & communities", "Care, rights and inclusion of older people."),
    (
        "peacebuilding",
        "Peacebuilding & conflict resolution",
        "Democracy & governance",
        "Dialogue, reconciliation and prevention of violence.",
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(FocusAreas::Table)
                    .col(pk_uuid(FocusAreas::Id))
                    .col(string_len_uniq(FocusAreas::Slug, 60))
                    .col(string_len(FocusAreas::Name, 120))
                    .col(string_len(FocusAreas::Category, 120))
                    .col(string_len(FocusAreas::Description, 500))
                    .to_owned(),
            )
            .await?;
        let mut insert = Query::insert();
        insert.into_table(FocusAreas::Table).columns([
            FocusAreas::Id,
            FocusAreas::Slug,
            FocusAreas::Name,
            FocusAreas::Category,
            FocusAreas::Description,
        ]);
        for (slug, name, category, description) in TAXONOMY {
            let id = uuid::Uuid::new_v5(&FOCUS_AREA_NAMESPACE, slug.as_bytes());
            insert.values_panic([id.into(), (*slug).into(), (*name).into(), (*category).into(), (*description).into()]);
        }
        manager.exec_stmt(insert).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(FocusAreas::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum FocusAreas {
    Table,
    Id,
    Slug,
    Name,
    Category,
    Description,
}
