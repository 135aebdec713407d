//! Countries: the full ISO 3166-1 list, with the partners serving each and counts
//! of organizations.

pub mod loader;
pub mod query;
pub mod seed;
pub mod service;
pub mod types;
pub mod venues;
