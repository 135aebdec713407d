//! Validations: vetting organizations through the partner network (issue 10).
//! Built so far: the partners' criteria, the cases and their one state
//! machine, the history of each case, `organization.validation`.

pub mod loader;
pub mod mutation;
pub mod query;
pub mod service;
pub mod state;
pub mod types;
pub mod write;
