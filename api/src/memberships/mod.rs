//! Memberships: roles of users in organizations, partners and donors.

pub mod mutation;
pub mod seed;
pub mod service;
pub mod types;
