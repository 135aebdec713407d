//! `civic-graph seed --bench [--scale N]`: a large, deterministic data set
//! for `bench/run`. The same [`BENCH_VERSION`] and scale give the same data,
//! byte for byte. Each area writes its part (`partners/seed.rs`,
//! `organizations/seed/bench.rs`, `accounts/seed.rs`, `memberships/seed.rs`,
//! `validations/seed.rs`, `programs/bench_seed.rs`, `trainings/bench_seed.rs`;
//! the countries come from `countries/seed.rs`) with multi-row inserts, all
//! in one transaction: the rows are those the areas' writes would make, but
//! their per-row rules and statements would take far too long for 20,000
//! organizations.
//!
//! At scale 1: 60 partners serving 100 countries (one partner each), 20,000
//! organizations skewed across them (1,396 in the largest country, 100 in the
//! smallest), exactly 40 % public, 50 % network-only, 10 % hidden, with focus
//! areas, registrations, `*.created` events, 1,381 accounts with their roles,
//! and about 20,000 validation cases (some organizations have none, some two)
//! with the criteria of every partner and the events of every step; 150
//! donors, 600 programs and 100,000 donation requests (version 3); 300
//! trainings with 1,500 sessions and 30,000 registrations (version 4).

use entity::{enums::Visibility, organization, partner, user};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, TransactionTrait,
    sea_query::{Expr, ExprTrait},
};

pub use super::generator::{BENCH_VERSION, BenchScale};
use super::{
    SeedError,
    generator::{BenchContext, ORGANIZATIONS_AT_SCALE_ONE},
};
pub use crate::accounts::seed::{BENCH_EMAIL_DOMAIN, BENCH_PASSWORD, bench_email};
use crate::{accounts, countries::seed::BENCH_COUNTRIES, error::ApiError, organizations, partners, programs, trainings, validations};

/// What `seed --bench` wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BenchReport {
    /// The data's version.
    pub version: u32,
    /// Its scale.
    pub scale: BenchScale,
    /// Partners.
    pub partners: usize,
    /// Countries served.
    pub countries: usize,
    /// Organizations.
    pub organizations: usize,
    /// Of which public, network-only and hidden.
    pub visibilities: (usize, usize, usize),
    /// Accounts.
    pub accounts: usize,
    /// Their roles.
    pub memberships: usize,
    /// Validation criteria (one per partner and country served).
    pub validation_criteria: usize,
    /// Validation cases.
    pub validations: usize,
    /// Donors.
    pub donors: usize,
    /// Programs.
    pub programs: usize,
    /// Donation requests.
    pub donation_requests: usize,
    /// Of which SUBMITTED, APPROVED, FULFILLED, REJECTED and CANCELLED.
    pub request_statuses: [usize; 5],
    /// Trainings, sessions, registrations and certificates.
    pub trainings: trainings::bench_seed::BenchTrainings,
    /// The partner of the largest country: its validator (`validator-01@`) sees its hidden organizations.
    pub largest_country: &'static str,
}

/// How `seed --bench` ended.
#[derive(Clone, Debug, PartialEq, Eq)]
#[expect(clippy::large_enum_variant, reason = "one value per seed run, matched by callers and tests: no need for a box")]
pub enum BenchOutcome {
    /// It wrote the data.
    Seeded(BenchReport),
    /// The database held this version and scale of the data already: nothing was written.
    AlreadySeeded {
        /// The data's version.
        version: u32,
        /// Its scale.
        scale: BenchScale,
    },
}

/// Writes the benchmark data at `scale` into an empty database (migrated),
/// in one transaction; says so and writes nothing when the database holds
/// this version and scale of it already; refuses (`SeedError::NotEmpty`) a
/// database with any other partner or organization, or benchmark accounts.
#[tracing::instrument(skip(db))]
pub async fn seed_bench(db: &DatabaseConnection, scale: BenchScale) -> Result<BenchOutcome, SeedError> {
    let ctx = BenchContext::new(scale);
    let partners = partners::seed::bench_plan(&ctx);
    let expected = ctx.scale.of(ORGANIZATIONS_AT_SCALE_ONE);
    let (partner_count, organization_count) = (
        partner::Entity::find().count(db).await.map_err(ApiError::from)?,
        organization::Entity::find().count(db).await.map_err(ApiError::from)?,
    );
    let bench_users = user::Entity::find()
        .filter(Expr::col(user::Column::EmailNormalized).like(format!("%@{BENCH_EMAIL_DOMAIN}")))
        .count(db)
        .await
        .map_err(ApiError::from)?;
    if partner_count > 0 || organization_count > 0 || bench_users > 0 {
        let ours = partner::Entity::find()
            .filter(partner::Column::Id.is_in(partners.iter().map(|p| p.id)))
            .count(db)
            .await
            .map_err(ApiError::from)?;
        if ours == partners.len() as u64 && partner_count == ours && organization_count == expected {
            return Ok(BenchOutcome::AlreadySeeded { version: BENCH_VERSION, scale });
        }
        let what = format!("{partner_count} partners, {organization_count} organizations, {bench_users} benchmark accounts");
        return Err(SeedError::NotEmpty { what });
    }

    let txn = db.begin().await.map_err(ApiError::from)?;
    partners::seed::insert_bench(&txn, &ctx, &partners).await?;
    let organizations = organizations::seed::insert_bench(&txn, &ctx).await?;
    let accounts = accounts::seed::insert_bench(
        &txn,
        &ctx,
        &partners.iter().map(|p| (p.id, p.created_at)).collect::<Vec<_>>(),
        &organizations.iter().map(|o| (o.id, o.created_at)).collect::<Vec<_>>(),
    )
    .await?;
    let validations = validations::seed::insert_bench(&txn, &ctx, &partners, &organizations).await?;
    let donations = programs::bench_seed::insert_bench(&txn, &ctx, &organizations).await?;
    let trainings = trainings::bench_seed::insert_bench(&txn, &ctx, &partners, &organizations, &accounts.people).await?;
    txn.commit().await.map_err(ApiError::from)?;

    let count = |v| organizations.iter().filter(|o| o.visibility == v).count();
    Ok(BenchOutcome::Seeded(BenchReport {
        version: BENCH_VERSION,
        scale,
        partners: partners.len(),
        countries: partners.iter().map(|p| p.countries.len()).sum(),
        organizations: organizations.len(),
        visibilities: (count(Visibility::Public), count(Visibility::Network), count(Visibility::Hidden)),
        accounts: accounts.users,
        memberships: accounts.memberships,
        validation_criteria: validations.criteria,
        validations: validations.cases,
        donors: donations.donors,
        programs: donations.programs,
        donation_requests: donations.requests,
        request_statuses: donations.statuses,
        trainings,
        largest_country: BENCH_COUNTRIES[0].code,
    }))
}
