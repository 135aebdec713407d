//! The audit log: who read or changed something sensitive, and when.

pub mod query;
pub mod service;
pub mod types;
