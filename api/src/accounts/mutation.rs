//! Mutations of accounts and sessions.

use async_graphql::{Context, Object, Result};

use super::{
    service, sign_up,
    types::{
        AccountPayload, ChangePasswordInput, LogInInput, LogOutPayload, RefreshSessionInput, RequestPasswordResetInput,
        RequestPasswordResetPayload, ResetPasswordInput, RevokeSessionInput, SessionPayload, SignUpInput, SignUpPayload,
        UpdateProfileInput, User, VerifyEmailInput,
    },
};
use crate::graphql::{
    context::{claim_password_operation, clock, db, mailer, request, sessions, signed_in, store},
    user_error::outcome,
};

/// Mutations of accounts and sessions.
#[derive(Default)]
pub struct AccountMutation;

#[Object]
impl AccountMutation {
    /// Signs up: e-mails the address a verification token (or, when it already
    /// has a verified account, a notice to log in or reset the password). The
    /// answer is the same whether or not the address has an account. Sign-ups
    /// are limited per client address, e-mails per recipient.
    async fn sign_up(&self, ctx: &Context<'_>, #[graphql(desc = "The new account.")] input: SignUpInput) -> Result<SignUpPayload> {
        claim_password_operation(ctx)?;
        let new = sign_up::SignUp {
            email: input.email,
            password: input.password,
            name: input.name,
            locale: input.locale,
            time_zone: input.time_zone,
        };
        let client = &request(ctx)?.client;
        let result = sign_up::sign_up(db(ctx)?, clock(ctx)?, store(ctx)?, mailer(ctx)?, new, client.ip.as_deref()).await;
        let (email, user_errors) = outcome(result, |e| e)?;
        Ok(SignUpPayload { email, user_errors })
    }

    /// Opens a session: a short-lived access token and a refresh token. Attempts are
    /// throttled per account and address, per address, and progressively per
    /// account from addresses that never logged in to it (RATE_LIMITED, HTTP 429
    /// with `Retry-After`); one password check per request.
    async fn log_in(&self, ctx: &Context<'_>, #[graphql(desc = "The credentials.")] input: LogInInput) -> Result<SessionPayload> {
        claim_password_operation(ctx)?;
        let client = &request(ctx)?.client;
        let result = service::log_in(
            db(ctx)?,
            clock(ctx)?,
            store(ctx)?,
            sessions(ctx)?,
            &input.email,
            &input.password,
            client.user_agent.clone(),
            client.ip.as_deref(),
        )
        .await;
        let (session, user_errors) = outcome(result, |v| v)?;
        Ok(match session {
            Some((user, pair)) => SessionPayload {
                access_token: Some(pair.access_token),
                refresh_token: Some(pair.refresh_token),
                expires_at: Some(pair.expires_at),
                user: Some(User(user)),
                user_errors,
            },
            None => SessionPayload { access_token: None, refresh_token: None, expires_at: None, user: None, user_errors },
        })
    }

    /// Trades a refresh token for a new pair. Each refresh token works once: a
    /// reused one revokes the whole session (UNAUTHENTICATED).
    async fn refresh_session(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The refresh token.")] input: RefreshSessionInput,
    ) -> Result<SessionPayload> {
        let pair = service::refresh(sessions(ctx)?, &input.refresh_token).await?;
        Ok(SessionPayload {
            access_token: Some(pair.access_token),
            refresh_token: Some(pair.refresh_token),
            expires_at: Some(pair.expires_at),
            user: None,
            user_errors: Vec::new(),
        })
    }

    /// Ends the session of this request at once, on every instance.
    async fn log_out(&self, ctx: &Context<'_>) -> Result<LogOutPayload> {
        let caller = signed_in(ctx)?;
        let revoked = sessions(ctx)?.revoke(caller.user_id, caller.session_id).await?;
        Ok(LogOutPayload { revoked_sessions: i32::from(revoked) })
    }

    /// Ends every session of the signed-in user.
    async fn log_out_everywhere(&self, ctx: &Context<'_>) -> Result<LogOutPayload> {
        let caller = signed_in(ctx)?;
        let count = sessions(ctx)?.revoke_all(caller.user_id).await?;
        Ok(LogOutPayload { revoked_sessions: i32::try_from(count).unwrap_or(i32::MAX) })
    }

    /// Ends one of the signed-in user's sessions (see `viewer.sessions`).
    async fn revoke_session(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The session.")] input: RevokeSessionInput,
    ) -> Result<LogOutPayload> {
        let caller = signed_in(ctx)?;
        let Ok(id) = uuid::Uuid::parse_str(&input.id) else { return Ok(LogOutPayload { revoked_sessions: 0 }) };
        // Sessions are keyed by user: another user's session id revokes nothing.
        let revoked =
            sessions(ctx)?.list(caller.user_id).await?.iter().any(|s| s.id == id) && sessions(ctx)?.revoke(caller.user_id, id).await?;
        Ok(LogOutPayload { revoked_sessions: i32::from(revoked) })
    }

    /// Changes the password after checking the current one (throttled like
    /// `logIn`); the other sessions end.
    async fn change_password(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The passwords.")] input: ChangePasswordInput,
    ) -> Result<AccountPayload> {
        let caller = signed_in(ctx)?;
        claim_password_operation(ctx)?;
        let result = service::change_password(
            db(ctx)?,
            clock(ctx)?,
            store(ctx)?,
            sessions(ctx)?,
            (caller.user_id, caller.session_id),
            &input.current_password,
            input.password,
            request(ctx)?.client.ip.as_deref(),
        )
        .await;
        let (user, user_errors) = outcome(result, User)?;
        Ok(AccountPayload { user, user_errors })
    }

    /// E-mails a one-time reset token when an account has this address. The
    /// answer is the same either way. Limited per client address (RATE_LIMITED);
    /// a recipient gets a few such e-mails an hour at most.
    async fn request_password_reset(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The address.")] input: RequestPasswordResetInput,
    ) -> Result<RequestPasswordResetPayload> {
        let client = &request(ctx)?.client;
        service::request_password_reset(db(ctx)?, clock(ctx)?, store(ctx)?, mailer(ctx)?, &input.email, client.ip.as_deref()).await?;
        Ok(RequestPasswordResetPayload { ok: true })
    }

    /// Sets a new password with a reset token; every session of the account ends.
    async fn reset_password(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The token and new password.")] input: ResetPasswordInput,
    ) -> Result<AccountPayload> {
        claim_password_operation(ctx)?;
        let (user, user_errors) =
            outcome(service::reset_password(db(ctx)?, clock(ctx)?, sessions(ctx)?, &input.token, input.password).await, User)?;
        Ok(AccountPayload { user, user_errors })
    }

    /// Confirms the e-mail address with the token that was sent to it. A token
    /// from a later sign-up than the one that opened the account applies that
    /// sign-up's password and profile, and ends every session of the account.
    async fn verify_email(&self, ctx: &Context<'_>, #[graphql(desc = "The token.")] input: VerifyEmailInput) -> Result<AccountPayload> {
        let (user, user_errors) = outcome(sign_up::verify_email(db(ctx)?, clock(ctx)?, sessions(ctx)?, &input.token).await, User)?;
        Ok(AccountPayload { user, user_errors })
    }

    /// Changes the signed-in user's name, locale or time zone.
    async fn update_profile(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The changes.")] input: UpdateProfileInput,
    ) -> Result<AccountPayload> {
        let caller = signed_in(ctx)?;
        let changes = service::ProfileChanges {
            name: input.name,
            locale: input.locale,
            time_zone: input.time_zone,
            is_volunteer: input.is_volunteer,
        };
        let (user, user_errors) = outcome(service::update_profile(db(ctx)?, clock(ctx)?, caller.user_id, changes).await, User)?;
        Ok(AccountPayload { user, user_errors })
    }
}
