//! The caller's identity.

/// Who is making a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Caller {
    /// No credentials.
    Anonymous,
    /// The service itself (command line, seed): trusted with everything.
    System,
}
