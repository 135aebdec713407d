//! Donor companies: they offer programs and connect their systems with API keys.

pub mod loader;
pub mod mutation;
pub mod query;
pub mod service;
pub mod types;
