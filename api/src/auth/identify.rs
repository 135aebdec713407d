//! Decides who is calling, once per request, from the request's credentials.
//! Free of HTTP types: the HTTP and (later) WebSocket edges pass header values in.
//! Free of areas too: what it must look up (a key, an account and its roles) it
//! asks a [`Directory`], which the application wires to the areas that own them.

use uuid::Uuid;

use super::{
    ApiKeyCaller, Caller, Grant, UserCaller,
    sessions::{SessionError, SessionManager, SessionRecord},
    tokens::TokenError,
};
use crate::error::ApiError;

/// An account as identification needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    /// The user.
    pub user_id: Uuid,
    /// Platform administrators see and may do everything.
    pub is_platform_admin: bool,
    /// The account confirmed its e-mail address.
    pub email_verified: bool,
    /// Roles held.
    pub grants: Vec<Grant>,
    /// Countries of the partners the user works for, with the partner and the role.
    pub partner_countries: Vec<(String, Uuid, entity::enums::Role)>,
}

/// What identifying a caller looks up, answered by the areas that own it.
#[async_trait::async_trait]
pub trait Directory: Send + Sync {
    /// The live (not revoked, not expired) API key presented, with its owner
    /// and scopes; `None` when unknown, revoked or expired.
    async fn api_key(&self, presented: &str) -> Result<Option<ApiKeyCaller>, ApiError>;
    /// The account with its roles; `None` when it no longer exists.
    async fn account(&self, user_id: Uuid) -> Result<Option<Account>, ApiError>;
}

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
pub async fn identify(directory: &dyn Directory, sessions: &SessionManager, credentials: Credentials<'_>) -> Result<Caller, IdentifyError> {
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
        let Some(found) = directory.api_key(key).await? else {
            return Err(refused("the API key is unknown, revoked or expired"));
        };
        return Ok(Caller::ApiKey(found));
    }
    let Some(token) = bearer else { return Ok(Caller::Anonymous) };
    let record = match sessions.authenticate(token).await? {
        Ok(record) => record,
        Err(e) => return Err(IdentifyError::Refused(e.to_string())),
    };
    user_caller(directory, record).await
}

/// The caller a signed link (see [`SessionManager::issue_link`]) speaks for:
/// the user it was made for, with their roles as they are now, while the
/// session it was made in lasts.
pub async fn identify_link(
    directory: &dyn Directory,
    sessions: &SessionManager,
    link: &str,
    resource: &str,
) -> Result<Caller, IdentifyError> {
    let record = match sessions.authenticate_link(link, resource).await? {
        Ok(record) => record,
        Err(SessionError::Token(TokenError::Expired)) => return Err(refused("this link has expired: ask for a new one")),
        Err(e) => return Err(IdentifyError::Refused(e.to_string().replace("access token", "link"))),
    };
    user_caller(directory, record).await
}

async fn user_caller(directory: &dyn Directory, record: SessionRecord) -> Result<Caller, IdentifyError> {
    let Some(account) = directory.account(record.user_id).await? else {
        return Err(refused("the account no longer exists"));
    };
    Ok(Caller::User(UserCaller {
        user_id: account.user_id,
        session_id: record.id,
        is_platform_admin: account.is_platform_admin,
        email_verified: account.email_verified,
        grants: account.grants,
        partner_countries: account.partner_countries,
    }))
}
