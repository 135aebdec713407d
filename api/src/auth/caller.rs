//! The caller's identity, decided once at the edge.

use uuid::Uuid;

/// Who is making a request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Caller {
    /// No credentials.
    Anonymous,
    /// A signed-in user, through an access token of an open session.
    User(UserCaller),
    /// The service itself (command line, seed): trusted with everything.
    System,
}

/// A signed-in user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserCaller {
    /// The user.
    pub user_id: Uuid,
    /// The session of the access token.
    pub session_id: Uuid,
    /// Platform administrators see and may do everything.
    pub is_platform_admin: bool,
}

impl Caller {
    /// The signed-in user, if any.
    pub fn user(&self) -> Option<&UserCaller> {
        match self {
            Self::User(u) => Some(u),
            _ => None,
        }
    }
}
