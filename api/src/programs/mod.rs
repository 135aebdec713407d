//! Donations (issue 11): the program catalogue donors offer and the one
//! eligibility engine every path asks. Built so far: the engine, the
//! catalogue (`programs`, `createProgram`), `Program.eligibility`, and donation
//! requests (made with idempotency keys, decided in bulk, fulfilled, cancelled;
//! stock and cap reserved atomically at approval).

pub mod bench_seed;
pub mod by_organization;
pub mod eligibility;
pub mod export;
pub mod mutation;
pub mod query;
pub mod request_state;
pub mod request_types;
pub mod requests;
pub mod seed;
pub mod service;
pub mod types;
pub mod write;
