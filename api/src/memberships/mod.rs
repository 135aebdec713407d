//! Memberships: roles of users in organizations, partners and donors.

pub mod graphql;
pub mod service;
