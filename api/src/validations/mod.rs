//! Validations: vetting organizations through the partner network (issue 10).
//! Built so far: the partners' criteria, the cases and their one state
//! machine, the history of each case, `organization.validation`, the hourly
//! expiry job with its 30-day notice, and the
//! store evidence documents will be kept in (content-addressed, checked on
//! their bytes).

pub mod evidence_store;
pub mod expiry;
pub mod loader;
pub mod mutation;
pub mod query;
pub mod queue;
pub mod seed;
pub mod service;
pub mod state;
pub mod types;
pub mod write;
