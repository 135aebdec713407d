//! `civic-graph seed`: the command's orchestration. Each area keeps its own
//! part of the data in its `seed.rs` (`partners/seed.rs`,
//! `organizations/seed.rs`, `accounts/seed.rs`, ...); this module calls them
//! in order and reports.
//!
//! `seed --demo`: a small, realistic, fictional network, created through the
//! same services as the API (so every rule applies) and idempotent: what
//! exists already is left alone. Its writes act as the system (`seed`) and
//! record their events like any other; the seed runs before anyone can
//! subscribe, so it leaves them in the outbox rather than publishing them.
//!
//! `seed --bench`: the benchmark's large, deterministic data set, see [`bench`].

pub mod bench;
pub mod generator;

use entity::{organization, partner};
use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait};

pub use crate::accounts::seed::{DEMO_PASSWORD, DemoAccount, seed_demo_accounts};
use crate::{clock::Clock, error::ApiError, events::Actor, user_errors::WriteError};

/// What a seed run did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SeedReport {
    /// Partners created.
    pub partners_created: usize,
    /// Organizations created.
    pub organizations_created: usize,
}

/// Why the seed failed.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    /// The demo (or benchmark) data breaks a rule (a bug in an area's `seed.rs`).
    #[error("seed record {record} is invalid: {details}")]
    InvalidData {
        /// Which record.
        record: String,
        /// The user errors.
        details: String,
    },
    /// The benchmark data goes into an empty database, and this one is not.
    #[error(
        "the database is not empty ({what}): the benchmark data goes into an empty database (a new one, or after `civic-graph migrate fresh`, which destroys all data)"
    )]
    NotEmpty {
        /// What it holds.
        what: String,
    },
    /// Anything else.
    #[error(transparent)]
    Api(#[from] ApiError),
}

impl SeedError {
    /// A record refused by a write: its user errors, or the failure.
    pub(crate) fn invalid(record: &str, err: WriteError) -> Self {
        match err {
            WriteError::Invalid(errors) => Self::InvalidData {
                record: record.to_owned(),
                details: errors.iter().map(|e| format!("{}: {}", e.field.join("."), e.message)).collect::<Vec<_>>().join("; "),
            },
            WriteError::Api(e) => Self::Api(e),
        }
    }

    /// A record the seed itself finds wrong.
    pub(crate) fn bad(record: &str, what: &str) -> Self {
        Self::InvalidData { record: record.to_owned(), details: what.to_owned() }
    }
}

/// True when the directory holds no partner and no organization.
pub async fn is_empty(db: &DatabaseConnection) -> Result<bool, ApiError> {
    Ok(partner::Entity::find().count(db).await? == 0 && organization::Entity::find().count(db).await? == 0)
}

/// Creates the demo network; records that exist already are skipped. The
/// demo cases' evidence documents go to `evidence`.
#[tracing::instrument(skip_all)]
pub async fn seed_demo(
    db: &DatabaseConnection,
    evidence: &crate::validations::evidence::EvidenceSettings,
) -> Result<SeedReport, SeedError> {
    let (clock, actor) = (Clock::system(), Actor::system("seed"));
    let partners_created = crate::partners::seed::seed_demo(db, &clock, &actor).await?;
    let organizations_created = crate::organizations::seed::seed_demo(db, &clock, &actor).await?;
    let cases = crate::validations::seed::seed_demo(db, &clock, evidence).await?;
    tracing::info!(cases, "seeded validation criteria and cases");
    let requests = crate::programs::seed::seed_demo(db, &clock).await?;
    tracing::info!(requests, "seeded the demo donor's programs and requests");
    let needs = crate::needs::seed::seed_demo(db, &clock).await?;
    tracing::info!(needs, "seeded the organizations' challenges (the needs map)");
    let registrations = crate::trainings::seed::seed_demo(db, clock.now()).await?;
    tracing::info!(registrations, "seeded the demo trainings, their sessions and registrations");
    Ok(SeedReport { partners_created, organizations_created })
}
