//! Who is calling, and what they may see and do.
//!
//! The caller is decided once at the edge (the HTTP handler); resolvers and
//! services ask [`policy`], never a raw header or token.

pub mod caller;
pub mod identify;
pub mod password;
pub mod policy;
pub mod scope;
pub mod sessions;
pub mod throttle;
pub mod tokens;

pub use caller::{ApiKeyCaller, Caller, Grant, UserCaller};
pub use policy::{
    Action, ArchivableOrganizations, CaseFacts, GroupFacts, MIN_CELL_ORGANIZATIONS, MIN_GROUP_ORGANIZATIONS, OrgScope, Policy,
    ReadableOrganizations, RequestFacts, ScopeKind, WritableOrganizations,
};
pub use scope::ApiScope;
