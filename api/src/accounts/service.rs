//! Rules of accounts. Passwords are hashed with argon2id on a blocking thread;
//! one-time tokens are stored as SHA-256 hashes; nothing secret is logged.

use std::time::Duration;

use entity::{email_token, enums::TokenPurpose, user};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set, TransactionTrait};
use uuid::Uuid;

use crate::{
    auth::{
        password::{self, PasswordPolicyError},
        sessions::{SessionError, SessionManager, TokenPair},
        throttle,
        tokens::{hash_token, random_token},
    },
    clock::Clock,
    domain::text,
    error::ApiError,
    mail::{Email, Mailer},
    store::KeyValueStore,
    user_errors::{Errors, UserErrorCode, WriteError, checked, field_error, text_code},
};

/// How long an e-mail verification link works.
pub const VERIFY_TTL: chrono::Duration = chrono::Duration::hours(48);
/// How long a password-reset link works.
pub const RESET_TTL: chrono::Duration = chrono::Duration::hours(1);
/// Password-reset requests per client address per hour.
pub const RESETS_PER_ADDRESS_PER_HOUR: i64 = 5;

/// The key an address is looked up by (NFKC and case folding, see
/// [`text::email_key`]): the same at sign-up, log-in, reset and invitation.
pub fn normalize_email(email: &str) -> String {
    text::email_key(email)
}

/// An IANA time zone name (from the `chrono-tz` database), e.g. `Africa/Nairobi`.
pub(super) fn check_time_zone(errors: &mut Errors, tz: &str) -> Option<String> {
    match tz.trim().parse::<chrono_tz::Tz>() {
        Ok(zone) => Some(zone.name().to_owned()),
        Err(_) => {
            errors.add(&["timeZone"], UserErrorCode::Invalid, "an IANA time zone, e.g. Africa/Nairobi or UTC");
            None
        }
    }
}

pub(super) fn check_password(errors: &mut Errors, path: &str, password: &str, email: &str) {
    if let Err(e) = password::check_policy(password, email) {
        let code = match e {
            PasswordPolicyError::TooShort | PasswordPolicyError::TooLong => UserErrorCode::WeakPassword,
            PasswordPolicyError::IsEmail | PasswordPolicyError::Common => UserErrorCode::WeakPassword,
        };
        errors.add(&[path], code, e.to_string());
    }
}

pub(super) async fn issue_email_token(
    db: &impl sea_orm::ConnectionTrait,
    clock: &Clock,
    user_id: Uuid,
    purpose: TokenPurpose,
    ttl: chrono::Duration,
    pending_sign_up: Option<String>,
) -> Result<String, ApiError> {
    let token = random_token();
    let now = clock.now();
    email_token::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user_id),
        purpose: Set(purpose),
        token_hash: Set(hash_token(&token)),
        expires_at: Set(now + ttl),
        used_at: Set(None),
        created_at: Set(now),
        pending_sign_up: Set(pending_sign_up),
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// [`ensure_user_at`] at the machine's time, for callers outside a running
/// service that have no clock of their own (the demo seed, test fixtures).
pub async fn ensure_user(
    db: &DatabaseConnection,
    email: &str,
    password: String,
    name: &str,
    platform_admin: bool,
) -> Result<(user::Model, bool), WriteError> {
    ensure_user_at(db, &Clock::system(), email, password, name, platform_admin).await
}

/// Creates a verified account directly (command line, demo seed): no e-mail is sent.
/// An existing account with this address is returned unchanged (its password
/// too), or promoted to platform admin when `platform_admin` is set.
pub async fn ensure_user_at(
    db: &DatabaseConnection,
    clock: &Clock,
    email: &str,
    password: String,
    name: &str,
    platform_admin: bool,
) -> Result<(user::Model, bool), WriteError> {
    let mut errors = Errors::default();
    let email = errors.check(&["email"], text::email(email), text_code);
    errors.ok()?;
    let email = checked(email)?;
    if let Some(existing) = user::Entity::find().filter(user::Column::EmailNormalized.eq(normalize_email(&email))).one(db).await? {
        if platform_admin && (!existing.is_platform_admin || existing.email_verified_at.is_none()) {
            // The operator vouches for the address of the admin they name.
            let verified_at = existing.email_verified_at.unwrap_or_else(|| clock.now());
            let mut model: user::ActiveModel = existing.into();
            model.is_platform_admin = Set(true);
            model.email_verified_at = Set(Some(verified_at));
            model.updated_at = Set(clock.now());
            return Ok((model.update(db).await?, false));
        }
        return Ok((existing, false));
    }
    let mut errors = Errors::default();
    check_password(&mut errors, "password", &password, &email);
    errors.ok()?;
    let hash = password::hash(password).await?;
    let now = clock.now();
    Ok(user::ActiveModel {
        id: Set(Uuid::now_v7()),
        email_normalized: Set(normalize_email(&email)),
        email: Set(email),
        password_hash: Set(hash),
        name: Set(name.to_owned()),
        locale: Set("en".to_owned()),
        time_zone: Set("UTC".to_owned()),
        email_verified_at: Set(Some(now)),
        is_platform_admin: Set(platform_admin),
        is_volunteer: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await
    .map(|u| (u, true))?)
}

/// Checks e-mail and password and opens a session. Every attempt goes through
/// the password throttle ([`throttle`]) before the password is checked.
#[tracing::instrument(skip_all)]
pub async fn log_in(
    db: &DatabaseConnection,
    clock: &Clock,
    store: &dyn KeyValueStore,
    sessions: &SessionManager,
    email: &str,
    password: &str,
    user_agent: Option<String>,
    client_address: Option<&str>,
) -> Result<(user::Model, TokenPair), WriteError> {
    let email = normalize_email(email);
    let ticket = throttle::before_password_check(store, clock, &email, client_address).await?;
    let found = user::Entity::find().filter(user::Column::EmailNormalized.eq(&email)).one(db).await?;
    let stored = match &found {
        Some(u) => u.password_hash.clone(),
        None => password::dummy_hash().await?,
    };
    let matches = password::verify(password.to_owned(), stored).await?;
    let user = found.filter(|_| matches);
    throttle::after_password_check(store, clock, ticket, user.is_some()).await?;
    let Some(user) = user else {
        return Err(field_error(&[], UserErrorCode::InvalidCredentials, "the e-mail address or the password is wrong"));
    };
    let pair = sessions.create(user.id, user_agent).await?;
    Ok((user, pair))
}

/// Rotates a refresh token; a bad or reused one is UNAUTHENTICATED.
pub async fn refresh(sessions: &SessionManager, refresh_token: &str) -> Result<TokenPair, ApiError> {
    sessions.refresh(refresh_token).await?.map_err(|e| unauthenticated(&e))
}

/// The UNAUTHENTICATED error of a session problem.
pub fn unauthenticated(err: &SessionError) -> ApiError {
    ApiError::Unauthenticated(err.to_string())
}

/// A user by id.
pub async fn by_id(db: &DatabaseConnection, id: Uuid) -> Result<Option<user::Model>, ApiError> {
    Ok(user::Entity::find_by_id(id).one(db).await?)
}

/// Users by id (for other areas that name people, e.g. a certificate's
/// holder or the recipients of a notice): one statement.
pub async fn by_ids(db: &impl sea_orm::ConnectionTrait, ids: &[Uuid]) -> Result<Vec<user::Model>, ApiError> {
    Ok(user::Entity::find().filter(crate::db::id_in(db, user::Column::Id, ids)).all(db).await?)
}

/// Changes the password after checking the current one; other sessions end.
#[tracing::instrument(skip_all, fields(user_id = %caller.0))]
pub async fn change_password(
    db: &DatabaseConnection,
    clock: &Clock,
    store: &dyn KeyValueStore,
    sessions: &SessionManager,
    caller: (Uuid, Uuid),
    current_password: &str,
    new_password: String,
    client_address: Option<&str>,
) -> Result<user::Model, WriteError> {
    let (user_id, current_session) = caller;
    let Some(user) = by_id(db, user_id).await? else {
        return Err(ApiError::Unauthenticated("the account no longer exists".to_owned()).into());
    };
    // The same throttle as logging in: a stolen access token must not buy unlimited guesses.
    let ticket = throttle::before_password_check(store, clock, &user.email_normalized, client_address).await?;
    let matches = password::verify(current_password.to_owned(), user.password_hash.clone()).await?;
    throttle::after_password_check(store, clock, ticket, matches).await?;
    if !matches {
        return Err(field_error(&["currentPassword"], UserErrorCode::InvalidCredentials, "the current password is wrong"));
    }
    let mut errors = Errors::default();
    check_password(&mut errors, "password", &new_password, &user.email);
    errors.ok()?;
    let updated = set_password(db, clock, user, new_password).await?;
    for session in sessions.list(user_id).await? {
        if session.id != current_session {
            sessions.revoke(user_id, session.id).await?;
        }
    }
    Ok(updated)
}

async fn set_password(
    db: &impl sea_orm::ConnectionTrait,
    clock: &Clock,
    user: user::Model,
    new_password: String,
) -> Result<user::Model, ApiError> {
    let hash = password::hash(new_password).await?;
    let mut model: user::ActiveModel = user.into();
    model.password_hash = Set(hash);
    model.updated_at = Set(clock.now());
    Ok(model.update(db).await?)
}

/// Sends a reset link if an account has this address; answers the same either
/// way. Limited per client address (RATE_LIMITED) and per recipient (beyond
/// [`throttle::MAILS_PER_RECIPIENT_PER_HOUR`] nothing more is sent, silently).
#[tracing::instrument(skip_all)]
pub async fn request_password_reset(
    db: &DatabaseConnection,
    clock: &Clock,
    store: &dyn KeyValueStore,
    mailer: &dyn Mailer,
    email: &str,
    client_address: Option<&str>,
) -> Result<(), ApiError> {
    let address_key = format!("reset:{}", client_address.unwrap_or("unknown"));
    throttle::fixed_window(store, clock, &address_key, RESETS_PER_ADDRESS_PER_HOUR, Duration::from_secs(3600)).await?;
    let key = normalize_email(email);
    if !throttle::allow_mail(store, clock, &key).await? {
        tracing::warn!("reset e-mails to this recipient are over their hourly limit: not sent");
        return Ok(());
    }
    let Some(user) = user::Entity::find().filter(user::Column::EmailNormalized.eq(key)).one(db).await? else {
        return Ok(());
    };
    let token = issue_email_token(db, clock, user.id, TokenPurpose::ResetPassword, RESET_TTL, None).await?;
    mailer
        .send(Email {
            to: user.email,
            subject: "Reset your password".to_owned(),
            body: "Someone asked to reset your password. If it was you, use the resetPassword mutation with this token (valid 1 hour):\n\n{secret}\n\nIf not, ignore this message.".to_owned(),
            secret: token,
            kind: "reset-password",
        })
        .await;
    Ok(())
}

/// Consumes a one-time token of `purpose`; `None` when unknown, used or expired.
pub(super) async fn consume(
    db: &impl sea_orm::ConnectionTrait,
    clock: &Clock,
    token: &str,
    purpose: TokenPurpose,
) -> Result<Option<email_token::Model>, ApiError> {
    let found = email_token::Entity::find()
        .filter(email_token::Column::TokenHash.eq(hash_token(token.trim())))
        .filter(email_token::Column::Purpose.eq(purpose))
        .one(db)
        .await?;
    let now = clock.now();
    let Some(row) = found.filter(|t| t.used_at.is_none() && t.expires_at > now) else { return Ok(None) };
    let result = email_token::Entity::update_many()
        .col_expr(email_token::Column::UsedAt, sea_orm::sea_query::Expr::value(now))
        .filter(email_token::Column::Id.eq(row.id))
        .filter(email_token::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    Ok((result.rows_affected == 1).then_some(row))
}

pub(super) fn invalid_token() -> WriteError {
    field_error(&["token"], UserErrorCode::InvalidToken, "the token is unknown, already used or expired")
}

/// Sets a new password with a reset token; every session of the user ends.
#[tracing::instrument(skip_all)]
pub async fn reset_password(
    db: &DatabaseConnection,
    clock: &Clock,
    sessions: &SessionManager,
    token: &str,
    new_password: String,
) -> Result<user::Model, WriteError> {
    let txn = db.begin().await?;
    let Some(row) = consume(&txn, clock, token, TokenPurpose::ResetPassword).await? else { return Err(invalid_token()) };
    let Some(user) = user::Entity::find_by_id(row.user_id).one(&txn).await? else { return Err(invalid_token()) };
    let mut errors = Errors::default();
    check_password(&mut errors, "password", &new_password, &user.email);
    errors.ok()?;
    let updated = set_password(&txn, clock, user, new_password).await?;
    txn.commit().await?;
    sessions.revoke_all(updated.id).await?;
    Ok(updated)
}

/// Changes of a profile: `None` leaves a field.
#[derive(Clone, Debug, Default)]
pub struct ProfileChanges {
    /// Display name.
    pub name: Option<String>,
    /// Locale.
    pub locale: Option<String>,
    /// Time zone.
    pub time_zone: Option<String>,
    /// Volunteers skills to the network.
    pub is_volunteer: Option<bool>,
}

/// Updates the caller's profile.
pub async fn update_profile(
    db: &DatabaseConnection,
    clock: &Clock,
    user_id: Uuid,
    changes: ProfileChanges,
) -> Result<user::Model, WriteError> {
    let mut errors = Errors::default();
    let name = changes.name.as_deref().and_then(|n| errors.check(&["name"], text::required_line(n, 200), text_code));
    let locale = changes.locale.as_deref().and_then(|l| errors.check(&["locale"], text::language(l), text_code));
    let time_zone = changes.time_zone.as_deref().and_then(|tz| check_time_zone(&mut errors, tz));
    errors.ok()?;
    let Some(user) = by_id(db, user_id).await? else {
        return Err(ApiError::Unauthenticated("the account no longer exists".to_owned()).into());
    };
    let mut model: user::ActiveModel = user.into();
    if let Some(v) = name {
        model.name = Set(v);
    }
    if let Some(v) = locale {
        model.locale = Set(v);
    }
    if let Some(v) = time_zone {
        model.time_zone = Set(v);
    }
    if let Some(v) = changes.is_volunteer {
        model.is_volunteer = Set(v);
    }
    model.updated_at = Set(clock.now());
    Ok(model.update(db).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_zones_are_checked_against_the_iana_database() {
        let mut errors = Errors::default();
        assert_eq!(check_time_zone(&mut errors, " Africa/Nairobi ").as_deref(), Some("Africa/Nairobi"));
        assert_eq!(check_time_zone(&mut errors, "UTC").as_deref(), Some("UTC"));
        assert!(errors.is_empty());
        assert_eq!(check_time_zone(&mut errors, "Mars/Olympus_Mons"), None);
        assert!(!errors.is_empty());
    }
}
