//! Donations (issue 11): the program catalogue donors offer and the one
//! eligibility engine every path asks.
//!
//! - The engine: [`eligibility::decide`], a pure function of the facts.
//! - The catalogue: `programs(filter: {country, category, donor, search,
//!   eligibleFor}, orderBy)` ([`service`], [`catalogue`]); `createProgram`
//!   ([`write`]), `updateProgram` and `archiveProgram` ([`update`]), each
//!   checked by the same rules and recording its event in its transaction.
//! - Eligibility before any request: `Program.eligibility`,
//!   `programs(filter: {eligibleFor})` and `Organization.eligiblePrograms`,
//!   their facts gathered for a whole page in a constant number of
//!   statements ([`catalogue`]); API keys need `programs:read`.
//! - Donation requests: made with idempotency keys, decided in bulk,
//!   fulfilled, cancelled; stock and cap reserved atomically at approval.
//! - The impact report ([`report`]), kept a minute per question and readable
//!   scope, a few computed at a time ([`report_cache`]).

pub mod bench_seed;
pub mod by_organization;
pub mod catalogue;
pub mod catalogue_types;
pub mod eligibility;
pub mod export;
pub mod mutation;
pub mod query;
pub mod report;
pub mod report_cache;
pub mod report_types;
pub mod request_state;
pub mod request_types;
pub mod requests;
pub mod seed;
pub mod service;
pub mod subscription;
pub mod types;
pub mod update;
pub mod update_types;
pub mod write;
