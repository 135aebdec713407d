//! The focus-area taxonomy: what organizations work on.

pub mod loader;
pub mod query;
pub mod service;
pub mod types;
