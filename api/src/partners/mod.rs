//! Network partners: the organizations that vet and serve organizations in their countries.

pub mod loader;
pub mod mutation;
pub mod query;
pub mod seed;
pub mod service;
pub mod types;
pub mod write;
