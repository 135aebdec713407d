//! Donor companies: they offer programs and connect their systems with API keys.

pub mod graphql;
pub mod service;
