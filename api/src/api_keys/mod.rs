//! API keys for integrations: donor companies and partner frontends.

pub mod mutation;
pub mod query;
pub mod service;
pub mod types;
