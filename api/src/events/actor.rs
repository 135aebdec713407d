//! Who does a write: recorded with every event, decided once at the edge.

use uuid::Uuid;

use crate::{auth::Caller, error::ApiError};

/// The author of a write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Actor {
    /// A signed-in user.
    User(Uuid),
    /// An integration through an API key.
    ApiKey(Uuid),
    /// The service itself, acting for a job or a command: its name (`seed`, `cli`, a job's name).
    System(String),
}

impl Actor {
    /// The actor of a request's caller: anonymous callers change nothing, so
    /// they have none (UNAUTHENTICATED). The system caller acts as `system`.
    pub fn of(caller: &Caller) -> Result<Self, ApiError> {
        match caller {
            Caller::User(user) => Ok(Self::User(user.user_id)),
            Caller::ApiKey(key) => Ok(Self::ApiKey(key.key_id)),
            Caller::System => Ok(Self::system("system")),
            Caller::Anonymous => Err(ApiError::Unauthenticated("sign in to do this".to_owned())),
        }
    }

    /// The system acting for `name` (a job or a command).
    pub fn system(name: &str) -> Self {
        Self::System(name.to_owned())
    }

    /// The stored kind: `user`, `api_key` or `system`.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::User(_) => "user",
            Self::ApiKey(_) => "api_key",
            Self::System(_) => "system",
        }
    }

    /// The user or key id (none for the system).
    pub fn id(&self) -> Option<Uuid> {
        match self {
            Self::User(id) | Self::ApiKey(id) => Some(*id),
            Self::System(_) => None,
        }
    }

    /// The system's name (none for users and keys).
    pub fn name(&self) -> Option<&str> {
        match self {
            Self::System(name) => Some(name),
            Self::User(_) | Self::ApiKey(_) => None,
        }
    }

    /// The user, if a user acts (audit entries name users).
    pub fn user_id(&self) -> Option<Uuid> {
        match self {
            Self::User(id) => Some(*id),
            Self::ApiKey(_) | Self::System(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_system_caller_acts_as_the_system_and_anonymous_callers_cannot_act() {
        assert_eq!(Actor::of(&Caller::System).ok(), Some(Actor::system("system")));
        assert!(matches!(Actor::of(&Caller::Anonymous), Err(ApiError::Unauthenticated(_))));
        let actor = Actor::system("seed");
        assert_eq!((actor.kind(), actor.id(), actor.name()), ("system", None, Some("seed")));
    }
}
