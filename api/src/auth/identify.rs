//! Decides who is calling, once per request, from the request's credentials.
//! Free of HTTP types: the HTTP and (later) WebSocket edges pass header values in.

use sea_orm::DatabaseConnection;

use super::{ApiKeyCaller, Caller, UserCaller, sessions::SessionManager};
use crate::error::ApiError;

/// Why credentials are refused.
#[derive(Debug, thiserror::Error)]
pub enum IdentifyError {
    /// Bad, expired, tampered or revoked credentials: 401, never anonymous.
    #[error("{0}")]
    Refused(String),
    /// The store or database could not be asked.
    #[error(transparent)]
    Unavailable(#[from] ApiError),
}

/// The credentials of a request, as sent.
#[derive(Clone, Copy, Debug, Default)]
pub struct Credentials<'a> {
    /// The `Authorization` header (`None`: absent; `Some(None)`: not text).
    pub authorization: Option<Option<&'a str>>,
    /// The `X-Api-Key` header (`None`: absent; `Some(None)`: not text).
    pub api_key: Option<Option<&'a str>>,
}

fn refused(message: &str) -> IdentifyError {
    IdentifyError::Refused(message.to_owned())
}

/// No credentials is anonymous. An API key comes as `X-Api-Key: <key>` or
/// `Authorization: Bearer cg_...`; a user's access token as `Authorization: Bearer <JWT>`.
pub async fn identify(db: &DatabaseConnection, sessions: &SessionManager, credentials: Credentials<'_>) -> Result<Caller, IdentifyError> {
    let bearer = match credentials.authorization {
        None => None,
        Some(value) => {
            let token = value
                .and_then(|v| v.split_once(' '))
                .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
                .map(|(_, t)| t.trim())
                .filter(|t| !t.is_empty());
            match token {
                Some(t) => Some(t),
                None => return Err(refused("the Authorization header must be `Bearer <access token or API key>`")),
            }
        }
    };
    // Two credentials are ambiguous: which one should decide? Neither.
    if credentials.api_key.is_some() && bearer.is_some() {
        return Err(refused("send one credential: either an Authorization header or an X-Api-Key header, not both"));
    }
    let api_key = match (credentials.api_key, bearer) {
        (Some(value), _) => Some(value.map(str::trim).ok_or_else(|| refused("the X-Api-Key header is not a key of this API"))?),
        (None, Some(t)) if t.starts_with("cg_") => Some(t),
        (None, _) => None,
    };
    if let Some(key) = api_key {
        let Some(found) = crate::api_keys::service::authenticate(db, key).await? else {
            return Err(refused("the API key is unknown, revoked or expired"));
        };
        return Ok(Caller::ApiKey(ApiKeyCaller {
            key_id: found.id,
            owner_scope: found.owner_scope,
            owner_id: found.owner_id,
            // Stored names were checked when the key was made; a name this
            // version no longer knows grants nothing.
            scopes: found.scopes.0.iter().filter_map(|name| super::ApiScope::parse(name)).collect(),
        }));
    }
    let Some(token) = bearer else { return Ok(Caller::Anonymous) };
    let record = match sessions.authenticate(token).await? {
        Ok(record) => record,
        Err(e) => return Err(IdentifyError::Refused(e.to_string())),
    };
    let Some(user) = crate::accounts::service::by_id(db, record.user_id).await? else {
        return Err(refused("the account no longer exists"));
    };
    let (grants, partner_countries) = crate::memberships::service::grants_of(db, user.id).await?;
    Ok(Caller::User(UserCaller {
        user_id: user.id,
        session_id: record.id,
        is_platform_admin: user.is_platform_admin,
        email_verified: user.email_verified_at.is_some(),
        grants,
        partner_countries,
    }))
}
