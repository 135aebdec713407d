//! Validations: vetting organizations through the partner network (issue 10).
//! Built so far: the partners' criteria, the cases and their one state
//! machine, the history of each case, `organization.validation`, the hourly
//! expiry job with its 30-day notice, evidence documents (uploaded with the
//! GraphQL multipart request specification, kept content-addressed and
//! checked on their bytes, required at submission, downloaded through signed
//! links recorded in the audit log); the donor lookup (`validationStatus`, recorded for the
//! organization to see) and consent-based sharing with share tokens.

pub mod download;
pub mod evidence;
pub mod evidence_store;
pub mod evidence_types;
pub mod expiry;
pub mod loader;
pub mod lookup;
pub mod lookup_query;
pub mod lookup_types;
pub mod mutation;
pub mod query;
pub mod queue;
pub mod seed;
pub mod service;
pub mod sharing;
pub mod sharing_mutation;
pub mod state;
pub mod subscription;
pub mod types;
pub mod write;
