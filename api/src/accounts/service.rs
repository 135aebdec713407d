//! Rules of accounts. Passwords are hashed with argon2id on a blocking thread;
//! one-time tokens are stored as SHA-256 hashes; nothing secret is logged.

use std::time::Duration;

use chrono::Utc;
use entity::{email_token, enums::TokenPurpose, user};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set, TransactionTrait};
use uuid::Uuid;

use crate::{
    auth::{
        password::{self, PasswordPolicyError},
        sessions::{SessionError, SessionManager, TokenPair},
        tokens::{hash_token, random_token},
    },
    domain::text,
    error::ApiError,
    mail::{Email, Mailer},
    store::KeyValueStore,
    validation::{Errors, UserErrorCode, WriteError, checked, field_error, text_code},
};

/// How long an e-mail verification link works.
pub const VERIFY_TTL: chrono::Duration = chrono::Duration::hours(48);
/// How long a password-reset link works.
pub const RESET_TTL: chrono::Duration = chrono::Duration::hours(1);
/// Failed logins allowed per account per window.
pub const MAX_FAILURES_PER_ACCOUNT: i64 = 10;
/// Login attempts allowed per IP address per window.
pub const MAX_ATTEMPTS_PER_IP: i64 = 30;
/// The login throttling window.
pub const LOGIN_WINDOW: Duration = Duration::from_secs(15 * 60);

/// Lower-cases an address: addresses are case-insensitive here.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// Input of a sign-up.
#[derive(Clone, Debug)]
pub struct SignUp {
    /// E-mail address.
    pub email: String,
    /// Password.
    pub password: String,
    /// Display name; the part of the address before `@` when absent.
    pub name: Option<String>,
    /// BCP 47 locale; `en` when absent.
    pub locale: Option<String>,
    /// IANA time zone; `UTC` when absent.
    pub time_zone: Option<String>,
}

/// An IANA time zone name (from the `chrono-tz` database), e.g. `Africa/Nairobi`.
fn check_time_zone(errors: &mut Errors, tz: &str) -> Option<String> {
    match tz.trim().parse::<chrono_tz::Tz>() {
        Ok(zone) => Some(zone.name().to_owned()),
        Err(_) => {
            errors.add(&["timeZone"], UserErrorCode::Invalid, "an IANA time zone, e.g. Africa/Nairobi or UTC");
            None
        }
    }
}

fn check_password(errors: &mut Errors, path: &str, password: &str, email: &str) {
    if let Err(e) = password::check_policy(password, email) {
        let code = match e {
            PasswordPolicyError::TooShort | PasswordPolicyError::TooLong => UserErrorCode::WeakPassword,
            PasswordPolicyError::IsEmail | PasswordPolicyError::Common => UserErrorCode::WeakPassword,
        };
        errors.add(&[path], code, e.to_string());
    }
}

async fn issue_email_token(
    db: &impl sea_orm::ConnectionTrait,
    user_id: Uuid,
    purpose: TokenPurpose,
    ttl: chrono::Duration,
) -> Result<String, ApiError> {
    let token = random_token();
    let now = Utc::now();
    email_token::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user_id),
        purpose: Set(purpose),
        token_hash: Set(hash_token(&token)),
        expires_at: Set(now + ttl),
        used_at: Set(None),
        created_at: Set(now),
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// Creates an account and sends the verification e-mail.
#[tracing::instrument(skip_all)]
pub async fn sign_up(db: &DatabaseConnection, mailer: &dyn Mailer, input: SignUp) -> Result<user::Model, WriteError> {
    let mut errors = Errors::default();
    let email = errors.check(&["email"], text::email(&input.email), text_code);
    check_password(&mut errors, "password", &input.password, &input.email);
    let name = match input.name.as_deref() {
        Some(n) => errors.check(&["name"], text::required_line(n, 200), text_code),
        None => email.as_deref().map(|e| e.split('@').next().unwrap_or(e).to_owned()),
    };
    let locale = match input.locale.as_deref() {
        Some(l) => errors.check(&["locale"], text::language(l), text_code),
        None => Some("en".to_owned()),
    };
    let time_zone = match input.time_zone.as_deref() {
        Some(tz) => check_time_zone(&mut errors, tz),
        None => Some("UTC".to_owned()),
    };
    if let Some(email) = &email
        && user::Entity::find().filter(user::Column::EmailNormalized.eq(normalize_email(email))).one(db).await?.is_some()
    {
        errors.add(&["email"], UserErrorCode::Taken, "an account with this e-mail address exists: log in or reset the password");
    }
    errors.ok()?;
    let (email, name, locale, time_zone) = (checked(email)?, checked(name)?, checked(locale)?, checked(time_zone)?);
    let hash = password::hash(input.password).await?;
    let now = Utc::now();
    let txn = db.begin().await?;
    let created = user::ActiveModel {
        id: Set(Uuid::now_v7()),
        email_normalized: Set(normalize_email(&email)),
        email: Set(email),
        password_hash: Set(hash),
        name: Set(name),
        locale: Set(locale),
        time_zone: Set(time_zone),
        email_verified_at: Set(None),
        is_platform_admin: Set(false),
        is_volunteer: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await
    .map_err(|e| match e.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
            field_error(&["email"], UserErrorCode::Taken, "an account with this e-mail address exists")
        }
        _ => e.into(),
    })?;
    let token = issue_email_token(&txn, created.id, TokenPurpose::VerifyEmail, VERIFY_TTL).await?;
    txn.commit().await?;
    mailer
        .send(Email {
            to: created.email.clone(),
            subject: "Confirm your e-mail address".to_owned(),
            body:
                "Welcome to the network. Confirm your address with the verifyEmail mutation and this token (valid 48 hours):\n\n{secret}\n"
                    .to_owned(),
            secret: token,
            kind: "verify-email",
        })
        .await;
    Ok(created)
}

/// Creates a verified account directly (command line, demo seed): no e-mail is sent.
/// An existing account with this address is returned unchanged (its password
/// too), or promoted to platform admin when `platform_admin` is set.
pub async fn ensure_user(
    db: &DatabaseConnection,
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
        if platform_admin && !existing.is_platform_admin {
            let mut model: user::ActiveModel = existing.into();
            model.is_platform_admin = Set(true);
            model.updated_at = Set(Utc::now());
            return Ok((model.update(db).await?, false));
        }
        return Ok((existing, false));
    }
    let mut errors = Errors::default();
    check_password(&mut errors, "password", &password, &email);
    errors.ok()?;
    let hash = password::hash(password).await?;
    let now = Utc::now();
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

/// Counts a login attempt, atomically, before the password is checked: an
/// account allows `MAX_FAILURES_PER_ACCOUNT` attempts per window (a success
/// clears its count), an address `MAX_ATTEMPTS_PER_IP`. Concurrent attempts
/// cannot slip past the count.
async fn throttle(store: &dyn KeyValueStore, email: &str, ip: Option<&str>) -> Result<String, ApiError> {
    if let Some(ip) = ip {
        let attempts = store.incr(&format!("login-ip:{ip}"), 1, LOGIN_WINDOW).await?;
        if attempts > MAX_ATTEMPTS_PER_IP {
            return Err(ApiError::RateLimited(LOGIN_WINDOW.as_secs()));
        }
    }
    let account_key = format!("login-fail:{}", hash_token(email));
    let attempts = store.incr(&account_key, 1, LOGIN_WINDOW).await?;
    if attempts > MAX_FAILURES_PER_ACCOUNT {
        return Err(ApiError::RateLimited(LOGIN_WINDOW.as_secs()));
    }
    Ok(account_key)
}

/// Checks e-mail and password and opens a session.
#[tracing::instrument(skip_all)]
pub async fn log_in(
    db: &DatabaseConnection,
    store: &dyn KeyValueStore,
    sessions: &SessionManager,
    email: &str,
    password: &str,
    user_agent: Option<String>,
    ip: Option<&str>,
) -> Result<(user::Model, TokenPair), WriteError> {
    let email = normalize_email(email);
    let account_key = throttle(store, &email, ip).await?;
    let found = user::Entity::find().filter(user::Column::EmailNormalized.eq(&email)).one(db).await?;
    let stored = match &found {
        Some(u) => u.password_hash.clone(),
        None => password::dummy_hash().await?,
    };
    let matches = password::verify(password.to_owned(), stored).await?;
    let Some(user) = found.filter(|_| matches) else {
        return Err(field_error(&[], UserErrorCode::InvalidCredentials, "the e-mail address or the password is wrong"));
    };
    store.delete(&account_key).await.map_err(ApiError::from)?;
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

/// Changes the password after checking the current one; other sessions end.
#[tracing::instrument(skip_all, fields(user_id = %user_id))]
pub async fn change_password(
    db: &DatabaseConnection,
    sessions: &SessionManager,
    user_id: Uuid,
    current_session: Uuid,
    current_password: &str,
    new_password: String,
) -> Result<user::Model, WriteError> {
    let Some(user) = by_id(db, user_id).await? else {
        return Err(ApiError::Unauthenticated("the account no longer exists".to_owned()).into());
    };
    if !password::verify(current_password.to_owned(), user.password_hash.clone()).await? {
        return Err(field_error(&["currentPassword"], UserErrorCode::InvalidCredentials, "the current password is wrong"));
    }
    let mut errors = Errors::default();
    check_password(&mut errors, "password", &new_password, &user.email);
    errors.ok()?;
    let updated = set_password(db, user, new_password).await?;
    for session in sessions.list(user_id).await? {
        if session.id != current_session {
            sessions.revoke(user_id, session.id).await?;
        }
    }
    Ok(updated)
}

async fn set_password(db: &impl sea_orm::ConnectionTrait, user: user::Model, new_password: String) -> Result<user::Model, ApiError> {
    let hash = password::hash(new_password).await?;
    let mut model: user::ActiveModel = user.into();
    model.password_hash = Set(hash);
    model.updated_at = Set(Utc::now());
    Ok(model.update(db).await?)
}

/// Sends a reset link if an account has this address; answers the same either way.
#[tracing::instrument(skip_all)]
pub async fn request_password_reset(db: &DatabaseConnection, mailer: &dyn Mailer, email: &str) -> Result<(), ApiError> {
    let Some(user) = user::Entity::find().filter(user::Column::EmailNormalized.eq(normalize_email(email))).one(db).await? else {
        return Ok(());
    };
    let token = issue_email_token(db, user.id, TokenPurpose::ResetPassword, RESET_TTL).await?;
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
async fn consume(db: &impl sea_orm::ConnectionTrait, token: &str, purpose: TokenPurpose) -> Result<Option<email_token::Model>, ApiError> {
    let found = email_token::Entity::find()
        .filter(email_token::Column::TokenHash.eq(hash_token(token.trim())))
        .filter(email_token::Column::Purpose.eq(purpose))
        .one(db)
        .await?;
    let Some(row) = found.filter(|t| t.used_at.is_none() && t.expires_at > Utc::now()) else { return Ok(None) };
    let result = email_token::Entity::update_many()
        .col_expr(email_token::Column::UsedAt, sea_orm::sea_query::Expr::value(Utc::now()))
        .filter(email_token::Column::Id.eq(row.id))
        .filter(email_token::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    Ok((result.rows_affected == 1).then_some(row))
}

fn invalid_token() -> WriteError {
    field_error(&["token"], UserErrorCode::InvalidToken, "the token is unknown, already used or expired")
}

/// Sets a new password with a reset token; every session of the user ends.
#[tracing::instrument(skip_all)]
pub async fn reset_password(
    db: &DatabaseConnection,
    sessions: &SessionManager,
    token: &str,
    new_password: String,
) -> Result<user::Model, WriteError> {
    let txn = db.begin().await?;
    let Some(row) = consume(&txn, token, TokenPurpose::ResetPassword).await? else { return Err(invalid_token()) };
    let Some(user) = user::Entity::find_by_id(row.user_id).one(&txn).await? else { return Err(invalid_token()) };
    let mut errors = Errors::default();
    check_password(&mut errors, "password", &new_password, &user.email);
    errors.ok()?;
    let updated = set_password(&txn, user, new_password).await?;
    txn.commit().await?;
    sessions.revoke_all(updated.id).await?;
    Ok(updated)
}

/// Marks the address verified with a verification token.
#[tracing::instrument(skip_all)]
pub async fn verify_email(db: &DatabaseConnection, token: &str) -> Result<user::Model, WriteError> {
    let txn = db.begin().await?;
    let Some(row) = consume(&txn, token, TokenPurpose::VerifyEmail).await? else { return Err(invalid_token()) };
    let Some(user) = user::Entity::find_by_id(row.user_id).one(&txn).await? else { return Err(invalid_token()) };
    let mut model: user::ActiveModel = user.into();
    model.email_verified_at = Set(Some(Utc::now()));
    model.updated_at = Set(Utc::now());
    let updated = model.update(&txn).await?;
    txn.commit().await?;
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
pub async fn update_profile(db: &DatabaseConnection, user_id: Uuid, changes: ProfileChanges) -> Result<user::Model, WriteError> {
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
    model.updated_at = Set(Utc::now());
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
