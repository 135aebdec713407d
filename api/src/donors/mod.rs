//! Donor companies: they offer programs and connect their systems with API keys.

pub mod mutation;
pub mod query;
pub mod service;
pub mod types;
