//! The organization directory.

pub mod by_partner;
pub mod duplicates;
pub mod loader;
pub mod mutation;
pub mod query;
pub mod quota;
pub mod seed;
pub mod service;
pub mod types;
mod validate;
pub mod write;
