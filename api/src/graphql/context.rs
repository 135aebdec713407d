//! Per-request data: the caller, where they call from, and what the request
//! computes once and shares between its resolvers (scopes, DataLoaders).
//! Nothing here names an area: each area builds its own loaders
//! ([`RequestLoader`]) and the policy computes each scope ([`ScopeKind`]) the
//! first time a resolver asks, so a request pays only for what it uses.
//! Everything is per request: nothing one caller loads is served to another.

use std::{
    any::{Any, TypeId},
    collections::HashMap,
    sync::{Arc, Mutex},
};

use async_graphql::{Context, dataloader::DataLoader};
use sea_orm::DatabaseConnection;

use crate::{
    auth::{Action, Caller, OrgScope, Policy, ScopeKind, UserCaller, sessions::SessionManager},
    error::ApiError,
    i18n::Locale,
    mail::Mailer,
    store::KeyValueStore,
};

/// A DataLoader's batch function that an area builds for one request, from
/// what the request knows (database, caller, scopes).
pub trait RequestLoader: Send + Sync + Sized + 'static {
    /// Builds the loader for `request`.
    fn build(request: &RequestContext) -> Self;
}

/// Times a batch yields to the request before it loads. async-graphql's
/// DataLoader waits a timer (1 ms by default, on async-io's timer thread)
/// before loading the keys queued so far; that wait is most of a small
/// query's latency and a cross-thread wake-up each time. Here the timer is
/// zero (ready at once, no timer thread) and the batch instead lets the
/// request run on: its resolvers queue their keys, 32 per turn (futures yield
/// every 32 polls), so eight turns gather a page of 100 (and more) into one
/// statement, measured in `bench/` and checked by `tests/api/statements.rs`.
const BATCH_YIELDS: usize = 8;

fn spawn(batch: async_graphql::futures_util::future::BoxFuture<'static, ()>) {
    tokio::spawn(async move {
        for _ in 0..BATCH_YIELDS {
            tokio::task::yield_now().await;
        }
        batch.await;
    });
}

/// Values computed at most once per request, by type.
#[derive(Default)]
struct Memo(Mutex<HashMap<TypeId, Arc<dyn Any + Send + Sync>>>);

impl Memo {
    fn get_or_init<T: Any + Send + Sync>(&self, key: TypeId, init: impl FnOnce() -> T) -> Arc<T> {
        let cached =
            |map: &HashMap<TypeId, Arc<dyn Any + Send + Sync>>| map.get(&key).cloned().and_then(|value| value.downcast::<T>().ok());
        if let Some(found) = cached(&self.lock()) {
            return found;
        }
        // Built without the lock held: building may ask for other memoized
        // values (a loader asks for its scope).
        let built: Arc<dyn Any + Send + Sync> = Arc::new(init());
        let mut map = self.lock();
        let value = map.entry(key).or_insert(built).clone();
        value.downcast::<T>().unwrap_or_else(|_| unreachable!("memo entries are keyed by their own type"))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<TypeId, Arc<dyn Any + Send + Sync>>> {
        // A panic while holding the lock cannot leave the map inconsistent
        // (inserts are single operations): recover it.
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Where a request comes from.
#[derive(Clone, Debug, Default)]
pub struct ClientInfo {
    /// The peer's IP address.
    pub ip: Option<String>,
    /// The `User-Agent` header.
    pub user_agent: Option<String>,
}

/// What the edge decided about a request, and what it computes once.
pub struct RequestContext {
    /// Who is calling.
    pub caller: Caller,
    /// Where the request comes from.
    pub client: ClientInfo,
    /// The language negotiated from `Accept-Language` (English by default).
    pub locale: Locale,
    db: DatabaseConnection,
    policy: Policy,
    memo: Arc<Memo>,
    /// Set by the request's one password operation (see [`claim_password_operation`]).
    password_operation: std::sync::atomic::AtomicBool,
}

/// Keys of the memo: a scope kind and a loader type never share an entry.
struct ScopeKey<K>(std::marker::PhantomData<K>);
struct LoaderKey<L>(std::marker::PhantomData<L>);

impl RequestContext {
    /// The context of a request from the caller.
    pub fn new(db: &DatabaseConnection, policy: &Policy, caller: Caller, client: ClientInfo) -> Self {
        Self {
            caller,
            client,
            locale: Locale::default(),
            db: db.clone(),
            policy: *policy,
            memo: Arc::default(),
            password_operation: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// The database (for loaders).
    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    /// The organizations the caller may reach for `K` (reading, changing,
    /// archiving, ...): asked of the policy the first time, then reused.
    pub fn scope<K: ScopeKind>(&self) -> Arc<OrgScope> {
        self.memo.get_or_init(TypeId::of::<ScopeKey<K>>(), || K::scope(&self.policy, &self.caller))
    }

    /// A handle that forgets what this context's loaders and scopes hold: a
    /// subscription answers each event with values read afresh.
    pub fn forgetter(&self) -> Forgetter {
        Forgetter(Arc::clone(&self.memo))
    }

    /// The request's DataLoader of `L`, built on first use (and shared with
    /// lazily computed fields such as `totalCount`).
    pub fn loader<L: RequestLoader>(&self) -> Arc<DataLoader<L>> {
        self.memo.get_or_init(TypeId::of::<LoaderKey<L>>(), || DataLoader::new(L::build(self), spawn).delay(std::time::Duration::ZERO))
    }
}

/// See [`RequestContext::forgetter`].
#[derive(Clone)]
pub struct Forgetter(Arc<Memo>);

impl Forgetter {
    /// Drops every loader (with its cache) and scope: the next use rebuilds them.
    pub fn forget(&self) {
        self.0.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clear();
    }
}

fn missing(what: &str) -> ApiError {
    ApiError::internal(std::io::Error::other(format!("{what} missing from the GraphQL context")))
}

/// The database.
pub fn db<'a>(ctx: &Context<'a>) -> Result<&'a DatabaseConnection, ApiError> {
    ctx.data::<DatabaseConnection>().map_err(|_| missing("database"))
}

/// The request's context.
pub fn request<'a>(ctx: &Context<'a>) -> Result<&'a RequestContext, ApiError> {
    ctx.data::<RequestContext>().map_err(|_| missing("request context"))
}

/// The request's DataLoader of `L` (see [`RequestContext::loader`]).
pub fn loader<L: RequestLoader>(ctx: &Context<'_>) -> Result<Arc<DataLoader<L>>, ApiError> {
    Ok(request(ctx)?.loader::<L>())
}

/// The organizations the caller may reach for `K` (see [`RequestContext::scope`]).
pub fn scope<K: ScopeKind>(ctx: &Context<'_>) -> Result<Arc<OrgScope>, ApiError> {
    Ok(request(ctx)?.scope::<K>())
}

/// The language a field answers in: its `locale` argument when it names a
/// supported language, else the request's (`Accept-Language`), else English.
pub fn locale(ctx: &Context<'_>, argument: Option<&str>) -> Result<Locale, ApiError> {
    Ok(Locale::choose(argument, request(ctx)?.locale))
}

/// The session manager.
pub fn sessions<'a>(ctx: &Context<'a>) -> Result<&'a SessionManager, ApiError> {
    ctx.data::<SessionManager>().map_err(|_| missing("session manager"))
}

/// The mailer.
pub fn mailer<'a>(ctx: &Context<'a>) -> Result<&'a dyn Mailer, ApiError> {
    ctx.data::<Arc<dyn Mailer>>().map(AsRef::as_ref).map_err(|_| missing("mailer"))
}

/// The shared key-value store.
pub fn store<'a>(ctx: &Context<'a>) -> Result<&'a dyn KeyValueStore, ApiError> {
    ctx.data::<Arc<dyn KeyValueStore>>().map(AsRef::as_ref).map_err(|_| missing("store"))
}

/// The signed-in user of the request; UNAUTHENTICATED for anyone else.
pub fn signed_in<'a>(ctx: &Context<'a>) -> Result<&'a UserCaller, ApiError> {
    request(ctx)?.caller.user().ok_or_else(|| ApiError::Unauthenticated("sign in to do this".to_owned()))
}

/// The clock: every "now" of a resolver or the services it calls.
pub fn clock<'a>(ctx: &Context<'a>) -> Result<&'a crate::clock::Clock, ApiError> {
    ctx.data::<crate::clock::Clock>().map_err(|_| missing("clock"))
}

/// The event bus (events are published after their transaction commits).
pub fn bus<'a>(ctx: &Context<'a>) -> Result<&'a dyn crate::events::EventBus, ApiError> {
    ctx.data::<Arc<dyn crate::events::EventBus>>().map(AsRef::as_ref).map_err(|_| missing("event bus"))
}

/// The policy.
pub fn policy<'a>(ctx: &Context<'a>) -> Result<&'a Policy, ApiError> {
    ctx.data::<Policy>().map_err(|_| missing("policy"))
}

/// Asks the policy whether the caller may do `action`.
pub fn authorize(ctx: &Context<'_>, action: Action) -> Result<(), ApiError> {
    policy(ctx)?.authorize(&request(ctx)?.caller, action)
}

/// Claims the request's one password operation (checking or hashing a
/// password: `logIn`, `changePassword`, `signUp`, `resetPassword`). A second
/// one in the same request (aliases) is RATE_LIMITED: guesses and argon2's
/// CPU cost are counted per request, whatever the document asks.
pub fn claim_password_operation(ctx: &Context<'_>) -> Result<(), ApiError> {
    if request(ctx)?.password_operation.swap(true, std::sync::atomic::Ordering::SeqCst) {
        return Err(ApiError::RateLimited(1));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_memoized_value_is_built_once_per_key_and_shared() {
        let memo = Memo::default();
        let built = std::sync::atomic::AtomicUsize::new(0);
        let make = |n: u32| {
            built.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            n
        };
        let first = memo.get_or_init(TypeId::of::<ScopeKey<u8>>(), || make(1));
        let again = memo.get_or_init(TypeId::of::<ScopeKey<u8>>(), || make(2));
        assert!(Arc::ptr_eq(&first, &again));
        assert_eq!((*first, built.load(std::sync::atomic::Ordering::SeqCst)), (1, 1));
        // Another key of the same value type is its own entry.
        let other = memo.get_or_init(TypeId::of::<ScopeKey<u16>>(), || make(3));
        assert_eq!((*other, built.load(std::sync::atomic::Ordering::SeqCst)), (3, 2));
    }

    #[test]
    fn building_a_value_may_ask_the_memo_for_another() {
        let memo = Memo::default();
        let outer = memo.get_or_init(TypeId::of::<LoaderKey<u8>>(), || *memo.get_or_init(TypeId::of::<ScopeKey<u8>>(), || 7_u32) + 1);
        assert_eq!(*outer, 8);
    }
}
