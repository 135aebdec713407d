//! The per-user limit on creating organizations.
//!
//! Creating an organization cannot tell a caller whether another one exists (no
//! registration number is refused as taken), but each creation still costs the
//! network's reviewers work: a user creates at most
//! [`CREATIONS_PER_USER_PER_DAY`] organizations per UTC day. Counted in the
//! shared store (Redis when configured), so the limit holds across instances.
//! Platform admins and the system (command line, seed) are exempt.

use std::time::Duration;

use uuid::Uuid;

use crate::{auth::Caller, clock::Clock, error::ApiError, ratelimit::count_in_window, store::KeyValueStore};

/// Organizations a user may create per UTC day.
pub const CREATIONS_PER_USER_PER_DAY: i64 = 20;

/// The window of the limit: a UTC day.
const DAY: Duration = Duration::from_secs(86_400);

/// A creation counted against a user's daily limit; [`Reservation::release`]
/// gives it back when the creation did not happen.
#[derive(Debug)]
pub struct Reservation {
    key: String,
}

/// The user whose creations count, or `None` for exempt callers.
fn counted_user(caller: &Caller) -> Option<Uuid> {
    match caller {
        Caller::User(u) if !u.is_platform_admin => Some(u.user_id),
        Caller::User(_) | Caller::System | Caller::Anonymous | Caller::ApiKey(_) => None,
    }
}

/// Counts one creation by `caller`; RATE_LIMITED (with the seconds until the
/// next day begins) past the limit. `None` for exempt callers.
pub async fn reserve(store: &dyn KeyValueStore, clock: &Clock, caller: &Caller) -> Result<Option<Reservation>, ApiError> {
    let Some(user_id) = counted_user(caller) else {
        return Ok(None);
    };
    let counted = count_in_window(store, clock, &format!("org-creations:{user_id}"), DAY).await?;
    if counted.count > CREATIONS_PER_USER_PER_DAY {
        // Refused attempts do not count: the next day starts afresh.
        store.incr(&counted.key, -1, DAY).await?;
        return Err(ApiError::RateLimited(counted.reset_secs));
    }
    Ok(Some(Reservation { key: counted.key }))
}

impl Reservation {
    /// Gives the creation back (it was refused with user errors or failed).
    pub async fn release(self, store: &dyn KeyValueStore) {
        if let Err(err) = store.incr(&self.key, -1, DAY).await {
            tracing::warn!(error = %crate::error::cause_chain(&err), "could not release a creation of the daily limit");
        }
    }
}

#[cfg(test)]
mod tests {
    use entity::enums::Role;

    use super::*;
    use crate::{
        auth::{UserCaller, caller::Grant},
        store::MemoryStore,
    };

    fn user(is_platform_admin: bool) -> Caller {
        let grants: Vec<Grant> = Vec::new();
        let partner_countries: Vec<(String, Uuid, Role)> = Vec::new();
        Caller::User(UserCaller {
            user_id: Uuid::now_v7(),
            session_id: Uuid::now_v7(),
            is_platform_admin,
            email_verified: true,
            grants,
            partner_countries,
        })
    }

    #[tokio::test]
    async fn a_user_is_refused_past_the_daily_limit_and_released_creations_do_not_count() {
        let store = MemoryStore::default();
        let caller = user(false);
        let first = reserve(&store, &Clock::system(), &caller).await.expect("store").expect("counted");
        first.release(&store).await;
        for _ in 0..CREATIONS_PER_USER_PER_DAY {
            assert!(reserve(&store, &Clock::system(), &caller).await.expect("within the limit").is_some());
        }
        let refused = reserve(&store, &Clock::system(), &caller).await;
        assert!(matches!(refused, Err(ApiError::RateLimited(secs)) if (1..=86_400).contains(&secs)), "{refused:?}");
        assert!(reserve(&store, &Clock::system(), &user(false)).await.expect("store").is_some(), "users are counted apart");
    }

    #[tokio::test]
    async fn platform_admins_and_the_system_are_exempt() {
        let store = MemoryStore::default();
        for caller in [user(true), Caller::System] {
            for _ in 0..=CREATIONS_PER_USER_PER_DAY {
                assert!(reserve(&store, &Clock::system(), &caller).await.expect("exempt").is_none());
            }
        }
    }
}
