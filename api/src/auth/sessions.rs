//! Sessions: a record per login in the shared store (Redis, or in-process), a
//! short-lived access token (JWT) and a rotating opaque refresh token.
//!
//! - Every request checks the access token's session still exists, so a logout
//!   takes effect on the very next request, on every instance.
//! - Refreshing rotates the refresh token; presenting an already-rotated one is
//!   taken as theft and revokes the whole session.
//! - Refresh tokens are `<session id>.<256 random bits>`; only their SHA-256 is stored.

use std::{sync::Arc, time::Duration};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::tokens::{JwtKeys, TokenError, hash_token, random_token};
use crate::{clock::Clock, error::ApiError, store::KeyValueStore};

/// Most rotated refresh-token hashes remembered per session (for reuse detection).
const REMEMBERED_ROTATIONS: usize = 50;
/// `lastSeenAt` is written at most this often per session.
const TOUCH_EVERY_SECS: i64 = 60;

/// What the store keeps of a session.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct SessionRecord {
    /// Session id (the JWT's `sid`).
    pub id: Uuid,
    /// The user.
    pub user_id: Uuid,
    /// When the user logged in.
    pub created_at: DateTime<Utc>,
    /// Last request seen.
    pub last_seen_at: DateTime<Utc>,
    /// When the session ends unless refreshed.
    pub expires_at: DateTime<Utc>,
    /// The client's `User-Agent` at login.
    pub user_agent: Option<String>,
    /// SHA-256 of the current refresh token.
    refresh_hash: String,
    /// SHA-256 of rotated refresh tokens.
    used_refresh_hashes: Vec<String>,
}

/// Tokens handed to a client.
#[derive(Clone, Debug)]
pub struct TokenPair {
    /// The JWT.
    pub access_token: String,
    /// When the JWT expires.
    pub expires_at: DateTime<Utc>,
    /// The opaque refresh token.
    pub refresh_token: String,
    /// The session.
    pub session_id: Uuid,
}

/// Why a session or token is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SessionError {
    /// The access token itself is bad.
    #[error(transparent)]
    Token(#[from] TokenError),
    /// The session was revoked or expired.
    #[error("the session has ended: log in again")]
    Ended,
    /// A rotated refresh token came back: the session was revoked.
    #[error("this refresh token was already used; the session has been revoked")]
    Reused,
    /// Not a refresh token of this API.
    #[error("the refresh token is not valid")]
    Invalid,
}

/// Issues, checks, rotates and revokes sessions.
#[derive(Clone)]
pub struct SessionManager {
    store: Arc<dyn KeyValueStore>,
    keys: JwtKeys,
    clock: Clock,
    access_ttl: Duration,
    refresh_ttl: Duration,
}

fn session_key(id: Uuid) -> String {
    format!("session:{id}")
}

fn user_key(id: Uuid) -> String {
    format!("user-sessions:{id}")
}

fn chrono_duration(d: Duration) -> chrono::Duration {
    chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX)
}

/// How long a signed link (an evidence download, ...) stays valid.
pub const LINK_TTL_SECS: i64 = 300;

impl SessionManager {
    /// A manager over a store. Times (token expiry, session expiry, last seen)
    /// come from `clock`; the store's own key expiry is housekeeping in real time.
    pub fn new(store: Arc<dyn KeyValueStore>, keys: JwtKeys, clock: Clock, access_ttl: Duration, refresh_ttl: Duration) -> Self {
        Self { store, keys, clock, access_ttl, refresh_ttl }
    }

    async fn save(&self, record: &SessionRecord) -> Result<(), ApiError> {
        let ttl = (record.expires_at - self.clock.now()).to_std().unwrap_or(Duration::from_secs(1));
        let json = serde_json::to_string(record).map_err(ApiError::internal)?;
        self.store.set(&session_key(record.id), &json, Some(ttl)).await?;
        self.store.set_add(&user_key(record.user_id), &record.id.to_string(), self.refresh_ttl).await?;
        Ok(())
    }

    async fn load(&self, id: Uuid) -> Result<Option<SessionRecord>, ApiError> {
        Ok(self.load_raw(id).await?.map(|(_, record)| record))
    }

    /// The stored text of a session (for compare-and-set) and its record.
    async fn load_raw(&self, id: Uuid) -> Result<Option<(String, SessionRecord)>, ApiError> {
        let Some(json) = self.store.get(&session_key(id)).await? else { return Ok(None) };
        let now = self.clock.now();
        // Ended by the Clock even if the store's real-time expiry has not come yet.
        Ok(serde_json::from_str::<SessionRecord>(&json).ok().filter(|record| record.expires_at > now).map(|record| (json, record)))
    }

    /// Writes `record` only if the stored text is still `previous`.
    async fn replace(&self, previous: &str, record: &SessionRecord) -> Result<bool, ApiError> {
        let ttl = (record.expires_at - self.clock.now()).to_std().unwrap_or(Duration::from_secs(1));
        let json = serde_json::to_string(record).map_err(ApiError::internal)?;
        Ok(self.store.compare_and_set(&session_key(record.id), previous, &json, ttl).await?)
    }

    fn pair(&self, record: &SessionRecord, secret: &str, now: DateTime<Utc>) -> Result<TokenPair, ApiError> {
        let (access_token, expires_at) =
            self.keys.issue(record.user_id, record.id, now, chrono_duration(self.access_ttl)).map_err(ApiError::internal)?;
        Ok(TokenPair { access_token, expires_at, refresh_token: format!("{}.{secret}", record.id), session_id: record.id })
    }

    /// Opens a session for a user who just proved who they are.
    pub async fn create(&self, user_id: Uuid, user_agent: Option<String>) -> Result<TokenPair, ApiError> {
        let now = self.clock.now();
        let secret = random_token();
        let record = SessionRecord {
            id: Uuid::now_v7(),
            user_id,
            created_at: now,
            last_seen_at: now,
            expires_at: now + chrono_duration(self.refresh_ttl),
            user_agent: user_agent.map(|ua| ua.chars().take(300).collect()),
            refresh_hash: hash_token(&secret),
            used_refresh_hashes: Vec::new(),
        };
        self.save(&record).await?;
        self.pair(&record, &secret, now)
    }

    /// Checks an access token and that its session is still open.
    pub async fn authenticate(&self, access_token: &str) -> Result<Result<SessionRecord, SessionError>, ApiError> {
        let claims = match self.keys.verify(access_token, self.clock.now()) {
            Ok(c) => c,
            Err(e) => return Ok(Err(e.into())),
        };
        let Some((raw, mut record)) = self.load_raw(claims.sid).await? else { return Ok(Err(SessionError::Ended)) };
        if record.user_id != claims.sub {
            return Ok(Err(SessionError::Ended));
        }
        let now = self.clock.now();
        if (now - record.last_seen_at).num_seconds() >= TOUCH_EVERY_SECS {
            record.last_seen_at = now;
            // Only if nothing changed meanwhile: a concurrent refresh must not be undone.
            self.replace(&raw, &record).await?;
        }
        Ok(Ok(record))
    }

    /// A link to one resource (e.g. `evidence:<uuid>`) for this session's user,
    /// valid [`LINK_TTL_SECS`] and only while the session lasts.
    pub fn issue_link(&self, user_id: Uuid, session_id: Uuid, resource: &str) -> Result<(String, DateTime<Utc>), ApiError> {
        self.keys
            .issue_link(user_id, session_id, resource, self.clock.now(), chrono::Duration::seconds(LINK_TTL_SECS))
            .map_err(ApiError::internal)
    }

    /// Checks a link made for `resource` and that its session is still open
    /// (a logout or a revoked session ends its links too).
    pub async fn authenticate_link(&self, link: &str, resource: &str) -> Result<Result<SessionRecord, SessionError>, ApiError> {
        let claims = match self.keys.verify_link(link, resource, self.clock.now()) {
            Ok(c) => c,
            Err(e) => return Ok(Err(e.into())),
        };
        match self.load(claims.sid).await? {
            Some(record) if record.user_id == claims.sub => Ok(Ok(record)),
            _ => Ok(Err(SessionError::Ended)),
        }
    }

    /// Rotates a refresh token into a new pair; a reused one revokes the session.
    /// The rotation is a compare-and-set: of concurrent refreshes with one token,
    /// one wins and the others count as reuse.
    pub async fn refresh(&self, refresh_token: &str) -> Result<Result<TokenPair, SessionError>, ApiError> {
        let Some((sid, secret)) = refresh_token.trim().split_once('.') else { return Ok(Err(SessionError::Invalid)) };
        let Ok(sid) = Uuid::parse_str(sid) else { return Ok(Err(SessionError::Invalid)) };
        let presented = hash_token(secret);
        for _ in 0..5 {
            let Some((raw, mut record)) = self.load_raw(sid).await? else { return Ok(Err(SessionError::Ended)) };
            if record.used_refresh_hashes.contains(&presented) {
                tracing::warn!(session_id = %sid, user_id = %record.user_id, "refresh token reuse: session revoked");
                self.revoke(record.user_id, sid).await?;
                return Ok(Err(SessionError::Reused));
            }
            if presented != record.refresh_hash {
                return Ok(Err(SessionError::Invalid));
            }
            let now = self.clock.now();
            let secret = random_token();
            let previous = std::mem::replace(&mut record.refresh_hash, hash_token(&secret));
            record.used_refresh_hashes.push(previous);
            if record.used_refresh_hashes.len() > REMEMBERED_ROTATIONS {
                record.used_refresh_hashes.remove(0);
            }
            record.last_seen_at = now;
            record.expires_at = now + chrono_duration(self.refresh_ttl);
            if self.replace(&raw, &record).await? {
                return Ok(Ok(self.pair(&record, &secret, now)?));
            }
            // Someone else changed the session first: look again (a concurrent
            // refresh with this token now shows as reuse).
        }
        Err(ApiError::Conflict("the session is being changed concurrently; retry".to_owned()))
    }

    /// Ends one session at once.
    pub async fn revoke(&self, user_id: Uuid, session_id: Uuid) -> Result<bool, ApiError> {
        let existed = self.store.delete(&session_key(session_id)).await?;
        self.store.set_remove(&user_key(user_id), &session_id.to_string()).await?;
        Ok(existed)
    }

    /// Ends every session of a user; returns how many were open.
    pub async fn revoke_all(&self, user_id: Uuid) -> Result<usize, ApiError> {
        let mut count = 0;
        for sid in self.store.set_members(&user_key(user_id)).await? {
            if let Ok(id) = Uuid::parse_str(&sid)
                && self.revoke(user_id, id).await?
            {
                count += 1;
            }
        }
        Ok(count)
    }

    /// The open sessions of a user, newest first.
    pub async fn list(&self, user_id: Uuid) -> Result<Vec<SessionRecord>, ApiError> {
        let mut sessions = Vec::new();
        for sid in self.store.set_members(&user_key(user_id)).await? {
            let Ok(id) = Uuid::parse_str(&sid) else { continue };
            match self.load(id).await? {
                Some(record) => sessions.push(record),
                None => self.store.set_remove(&user_key(user_id), &sid).await?,
            }
        }
        sessions.sort_by_key(|s| std::cmp::Reverse(s.created_at));
        Ok(sessions)
    }
}

#[cfg(test)]
mod tests {
    use secrecy::SecretString;

    use super::*;
    use crate::store::MemoryStore;

    fn manager() -> SessionManager {
        manager_with(Clock::system())
    }

    fn manager_with(clock: Clock) -> SessionManager {
        let keys =
            JwtKeys::new(&SecretString::from("a-secret-of-at-least-thirty-two-bytes!!".to_owned()), None, "civic-graph", "civic-graph");
        SessionManager::new(Arc::new(MemoryStore::default()), keys, clock, Duration::from_secs(900), Duration::from_secs(3600))
    }

    #[tokio::test]
    async fn refresh_rotates_and_reuse_revokes_the_session() {
        let m = manager();
        let user = Uuid::now_v7();
        let first = m.create(user, Some("test".to_owned())).await.expect("create");
        assert!(m.authenticate(&first.access_token).await.expect("store").is_ok());
        let second = m.refresh(&first.refresh_token).await.expect("store").expect("rotates");
        assert_ne!(second.refresh_token, first.refresh_token);
        assert_eq!(m.refresh(&first.refresh_token).await.expect("store").err(), Some(SessionError::Reused));
        assert_eq!(m.authenticate(&second.access_token).await.expect("store").err(), Some(SessionError::Ended), "revoked");
        assert_eq!(m.refresh(&second.refresh_token).await.expect("store").err(), Some(SessionError::Ended));
    }

    #[tokio::test]
    async fn logout_everywhere_ends_every_session_of_the_user_only() {
        let m = manager();
        let (amina, baraka) = (Uuid::now_v7(), Uuid::now_v7());
        let a1 = m.create(amina, None).await.expect("create");
        let a2 = m.create(amina, None).await.expect("create");
        let b = m.create(baraka, None).await.expect("create");
        assert_eq!(m.list(amina).await.expect("list").len(), 2);
        assert_eq!(m.revoke_all(amina).await.expect("revoke"), 2);
        for t in [&a1, &a2] {
            assert_eq!(m.authenticate(&t.access_token).await.expect("store").err(), Some(SessionError::Ended));
        }
        assert!(m.authenticate(&b.access_token).await.expect("store").is_ok());
    }

    #[tokio::test]
    async fn concurrent_refreshes_with_one_token_let_one_win_and_revoke_the_session() {
        let m = manager();
        let first = m.create(Uuid::now_v7(), None).await.expect("create");
        let (a, b) = tokio::join!(m.refresh(&first.refresh_token), m.refresh(&first.refresh_token));
        let outcomes = [a.expect("store"), b.expect("store")];
        assert_eq!(outcomes.iter().filter(|o| o.is_ok()).count(), 1, "{outcomes:?}");
        assert!(outcomes.iter().any(|o| o.as_ref().err() == Some(&SessionError::Reused)));
    }

    #[tokio::test]
    async fn access_tokens_and_sessions_expire_by_the_clock() {
        let clock = Clock::manual(Utc::now());
        let m = manager_with(clock.clone());
        let pair = m.create(Uuid::now_v7(), None).await.expect("create");
        clock.advance(chrono::Duration::minutes(16));
        let expired = m.authenticate(&pair.access_token).await.expect("store").err();
        assert_eq!(expired, Some(SessionError::Token(TokenError::Expired)), "the access token lasts 15 minutes");
        let renewed = m.refresh(&pair.refresh_token).await.expect("store").expect("the session is still open");
        clock.advance(chrono::Duration::minutes(61));
        assert_eq!(m.refresh(&renewed.refresh_token).await.expect("store").err(), Some(SessionError::Ended), "an hour without refresh");
    }

    #[tokio::test]
    async fn garbage_refresh_tokens_are_invalid() {
        let m = manager();
        for t in ["", "nope", "not-a-uuid.secret", &format!("{}.secret", Uuid::now_v7())] {
            assert!(m.refresh(t).await.expect("store").is_err(), "{t}");
        }
    }
}
