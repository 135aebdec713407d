//! GraphQL types of accounts.

use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};

use crate::{
    api_keys::types::ApiKey,
    auth::{Caller, sessions::SessionRecord},
    graphql::connection::Conn,
    graphql::{
        context::{db, request, sessions},
        relay::{NodeKind, encode_uuid},
        user_error::{UserError, payload},
    },
    memberships::types::Membership,
    trainings::registration_types::{TrainingCertificate, TrainingRegistration},
};

/// A person with an account. Only the person themself (and platform admins) see this.
#[derive(Clone, Debug)]
pub struct User(pub entity::user::Model);

impl User {
    /// The type of its global IDs: a user account; never fetchable by ID (accounts are reached through `viewer`).
    pub const KIND: NodeKind = NodeKind::new("User");
}

/// A person with an account.
#[Object]
impl User {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode_uuid(User::KIND, self.0.id)
    }

    /// E-mail address (case-insensitive, unique).
    async fn email(&self) -> &str {
        &self.0.email
    }

    /// True once the address was confirmed with `verifyEmail`.
    async fn email_verified(&self) -> bool {
        self.0.email_verified_at.is_some()
    }

    /// When the address was confirmed.
    async fn email_verified_at(&self) -> Option<DateTime<Utc>> {
        self.0.email_verified_at
    }

    /// Display name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// BCP 47 locale, e.g. `sw-KE`.
    async fn locale(&self) -> &str {
        &self.0.locale
    }

    /// IANA time zone, e.g. `Africa/Nairobi`.
    async fn time_zone(&self) -> &str {
        &self.0.time_zone
    }

    /// Platform administrators see and may do everything.
    async fn is_platform_admin(&self) -> bool {
        self.0.is_platform_admin
    }

    /// The user volunteers skills to the network (the volunteer role; matching
    /// with organizations' needs comes with the volunteers area).
    async fn is_volunteer(&self) -> bool {
        self.0.is_volunteer
    }

    /// When the account was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// A login session of the viewer.
#[derive(Clone, Debug)]
pub struct Session {
    /// The record.
    pub record: SessionRecord,
    /// True for the session of the current request.
    pub current: bool,
}

/// A login session: one per login, renewed by `refreshSession`, ended by `logOut`.
#[Object]
impl Session {
    /// Session ID (pass it to `revokeSession`).
    async fn id(&self) -> ID {
        ID(self.record.id.to_string())
    }

    /// When the user logged in.
    async fn created_at(&self) -> DateTime<Utc> {
        self.record.created_at
    }

    /// The last request seen (updated at most once a minute).
    async fn last_seen_at(&self) -> DateTime<Utc> {
        self.record.last_seen_at
    }

    /// When the session ends unless refreshed.
    async fn expires_at(&self) -> DateTime<Utc> {
        self.record.expires_at
    }

    /// The client's `User-Agent` at login.
    async fn user_agent(&self) -> Option<&str> {
        self.record.user_agent.as_deref()
    }

    /// True for the session making this request.
    async fn current(&self) -> bool {
        self.current
    }
}

/// Who the caller is.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ViewerKind {
    /// No credentials.
    Anonymous,
    /// A signed-in user.
    User,
    /// An integration with an API key.
    ApiKey,
}

/// Result of `signUp`.
#[derive(SimpleObject)]
pub struct SignUpPayload {
    /// The address the next step was e-mailed to; null when there are user
    /// errors. The answer is the same whether or not the address already has an
    /// account (the e-mail says what to do), so it tells nobody who is registered.
    pub email: Option<String>,
    /// What the caller must fix; empty on success.
    pub user_errors: Vec<UserError>,
}

/// Result of `logIn` and `refreshSession`.
#[derive(SimpleObject)]
pub struct SessionPayload {
    /// Short-lived JWT: send it as `Authorization: Bearer <accessToken>`.
    pub access_token: Option<String>,
    /// Opaque token for `refreshSession`; it works once and is replaced by each refresh.
    pub refresh_token: Option<String>,
    /// When `accessToken` expires.
    pub expires_at: Option<DateTime<Utc>>,
    /// The signed-in user.
    pub user: Option<User>,
    /// What the caller must fix; empty on success.
    pub user_errors: Vec<UserError>,
}

/// Result of `logOut`, `logOutEverywhere` and `revokeSession`.
#[derive(SimpleObject)]
pub struct LogOutPayload {
    /// How many sessions ended.
    pub revoked_sessions: i32,
}

payload! {
    /// Result of mutations that change the viewer's account.
    AccountPayload { user: User, "The account after the change" }
}

/// Result of `requestPasswordReset`.
#[derive(SimpleObject)]
pub struct RequestPasswordResetPayload {
    /// Always true: whether an account has this address is not revealed.
    pub ok: bool,
}

/// Input of `signUp`.
#[derive(InputObject)]
pub struct SignUpInput {
    /// E-mail address (case-insensitive).
    pub email: String,
    /// Password: at least 12 characters, not the e-mail address, not a common password.
    pub password: String,
    /// Display name; the part of the address before `@` when absent.
    pub name: Option<String>,
    /// BCP 47 locale, e.g. `sw-KE`; `en` when absent.
    pub locale: Option<String>,
    /// IANA time zone, e.g. `Africa/Nairobi`; `UTC` when absent.
    pub time_zone: Option<String>,
}

/// Input of `logIn`.
#[derive(InputObject)]
pub struct LogInInput {
    /// E-mail address.
    pub email: String,
    /// Password.
    pub password: String,
}

/// Input of `refreshSession`.
#[derive(InputObject)]
pub struct RefreshSessionInput {
    /// The refresh token from `logIn` or the last `refreshSession`.
    pub refresh_token: String,
}

/// Input of `changePassword`.
#[derive(InputObject)]
pub struct ChangePasswordInput {
    /// The current password.
    pub current_password: String,
    /// The new password (same policy as `signUp`).
    pub password: String,
}

/// Input of `requestPasswordReset`.
#[derive(InputObject)]
pub struct RequestPasswordResetInput {
    /// The account's e-mail address.
    pub email: String,
}

/// Input of `resetPassword`.
#[derive(InputObject)]
pub struct ResetPasswordInput {
    /// The token from the reset e-mail.
    pub token: String,
    /// The new password.
    pub password: String,
}

/// Input of `verifyEmail`.
#[derive(InputObject)]
pub struct VerifyEmailInput {
    /// The token from the verification e-mail.
    pub token: String,
}

/// Input of `revokeSession`.
#[derive(InputObject)]
pub struct RevokeSessionInput {
    /// A session ID from `viewer.sessions`.
    pub id: ID,
}

/// Input of `updateProfile`.
#[derive(InputObject)]
pub struct UpdateProfileInput {
    /// New display name.
    pub name: Option<String>,
    /// New locale.
    pub locale: Option<String>,
    /// New time zone.
    pub time_zone: Option<String>,
    /// Whether the user volunteers skills to the network.
    pub is_volunteer: Option<bool>,
}

/// Who is calling.
pub struct Viewer;

/// The caller: anonymous, a signed-in user with their sessions, or an API key.
#[Object]
impl Viewer {
    /// Anonymous or a signed-in user.
    async fn kind(&self, ctx: &Context<'_>) -> Result<ViewerKind> {
        Ok(match &request(ctx)?.caller {
            Caller::User(_) => ViewerKind::User,
            Caller::ApiKey(_) => ViewerKind::ApiKey,
            Caller::Anonymous | Caller::System => ViewerKind::Anonymous,
        })
    }

    /// The signed-in user's roles in organizations, partners and donors.
    async fn memberships(&self, ctx: &Context<'_>) -> Result<Vec<Membership>> {
        let Some(caller) = request(ctx)?.caller.user() else { return Ok(Vec::new()) };
        Ok(crate::memberships::service::of_user(db(ctx)?, caller.user_id).await?.into_iter().map(Membership::from).collect())
    }

    /// The API key of the request, for integrations; null otherwise.
    async fn api_key(&self, ctx: &Context<'_>) -> Result<Option<ApiKey>> {
        let Caller::ApiKey(key) = &request(ctx)?.caller else { return Ok(None) };
        Ok(crate::api_keys::service::by_id(db(ctx)?, key.key_id).await?.map(ApiKey))
    }

    /// The signed-in user; null for anonymous callers.
    async fn user(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        let Some(caller) = request(ctx)?.caller.user() else { return Ok(None) };
        Ok(super::service::by_id(db(ctx)?, caller.user_id).await?.map(User))
    }

    /// The signed-in user's registrations for training sessions (cancelled
    /// ones included), newest first; empty for anyone else.
    #[graphql(complexity = "first.unwrap_or(0).clamp(0, 100) as usize * child_complexity + 5")]
    async fn training_registrations(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n items (0 to 100).")] first: Option<i32>,
        #[graphql(desc = "Returns the items after this cursor.")] after: Option<String>,
    ) -> Result<Conn<TrainingRegistration>> {
        crate::trainings::registration_types::viewer_registrations(ctx, first, after).await
    }

    /// The signed-in user's training certificates, newest first; empty for anyone else.
    #[graphql(complexity = "first.unwrap_or(0).clamp(0, 100) as usize * child_complexity + 5")]
    async fn certificates(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n items (0 to 100).")] first: Option<i32>,
        #[graphql(desc = "Returns the items after this cursor.")] after: Option<String>,
    ) -> Result<Conn<TrainingCertificate>> {
        crate::trainings::registration_types::viewer_certificates(ctx, first, after).await
    }

    /// The signed-in user's open sessions, newest first; empty for anonymous callers.
    async fn sessions(&self, ctx: &Context<'_>) -> Result<Vec<Session>> {
        let Some(caller) = request(ctx)?.caller.user() else { return Ok(Vec::new()) };
        let records = sessions(ctx)?.list(caller.user_id).await?;
        Ok(records.into_iter().map(|record| Session { current: record.id == caller.session_id, record }).collect())
    }
}
