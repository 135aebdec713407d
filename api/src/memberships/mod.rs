//! Memberships: roles of users in organizations, partners and donors.

pub mod service;
