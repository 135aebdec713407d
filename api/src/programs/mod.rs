//! Donations (issue 11): the program catalogue donors offer and the one
//! eligibility engine every path asks. Built so far: the engine, the
//! catalogue (`programs`, `createProgram`) and `Program.eligibility`.

pub mod eligibility;
pub mod mutation;
pub mod query;
pub mod service;
pub mod types;
pub mod write;
