//! Accounts: sign-up, e-mail verification, login sessions, passwords, profile.

pub mod mutation;
pub mod query;
pub mod seed;
pub mod service;
pub mod sign_up;
pub mod types;
