//! Signing up and confirming the address.
//!
//! `signUp` answers the same whether or not the address has an account, so it
//! tells nobody who is registered; the e-mail says what to do:
//! - a new address gets an unverified account and a verification token;
//! - an address with an unverified account gets a verification token of its
//!   own, carrying this sign-up's password and profile: anyone can open an
//!   account for any address, so such an account never blocks the real owner,
//!   who alone receives the token. Using it applies that sign-up (and ends the
//!   sessions of whoever opened the account before);
//! - an address with a verified account gets a notice (log in or reset the
//!   password), no token.
//!
//! Addresses are compared by [`text::email_key`] (NFKC and case folding).

use entity::{email_token, enums::TokenPurpose, user};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set, TransactionTrait, sea_query::Expr,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::service::{VERIFY_TTL, check_password, check_time_zone, consume, invalid_token, issue_email_token, normalize_email};
use crate::{
    auth::{password, sessions::SessionManager, throttle},
    clock::Clock,
    domain::text,
    error::ApiError,
    mail::{Email, Mailer},
    store::KeyValueStore,
    user_errors::{Errors, WriteError, checked, text_code},
};

/// Sign-ups per client address per hour.
pub const SIGN_UPS_PER_ADDRESS_PER_HOUR: i64 = 10;

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

/// What a sign-up asked for, kept with its verification token.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
struct PendingSignUp {
    email: String,
    password_hash: String,
    name: String,
    locale: String,
    time_zone: String,
}

fn verification_email(to: String, token: String) -> Email {
    Email {
        to,
        subject: "Confirm your e-mail address".to_owned(),
        body: "Welcome to the network. Confirm your address with the verifyEmail mutation and this token (valid 48 hours):\n\n{secret}\n\nIf you did not sign up, ignore this message: nothing happens without the token.\n".to_owned(),
        secret: token,
        kind: "verify-email",
    }
}

fn existing_account_email(to: String) -> Email {
    Email {
        to,
        subject: "Someone tried to sign up with your address".to_owned(),
        body: "Someone, maybe you, tried to open an account with this address, which already has one. To use it, log in, or set a new password with the requestPasswordReset mutation. If it was not you, nothing changed.\n".to_owned(),
        secret: String::new(),
        kind: "sign-up-existing",
    }
}

async fn find_by_key(db: &impl ConnectionTrait, key: &str) -> Result<Option<user::Model>, ApiError> {
    Ok(user::Entity::find().filter(user::Column::EmailNormalized.eq(key)).one(db).await?)
}

/// Signs up (see the module's doc); returns the address the next step was sent to.
#[tracing::instrument(skip_all)]
pub async fn sign_up(
    db: &DatabaseConnection,
    clock: &Clock,
    store: &dyn KeyValueStore,
    mailer: &dyn Mailer,
    input: SignUp,
    client_address: Option<&str>,
) -> Result<String, WriteError> {
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
    errors.ok()?;
    let (email, name, locale, time_zone) = (checked(email)?, checked(name)?, checked(locale)?, checked(time_zone)?);
    let address_key = format!("sign-up:{}", client_address.unwrap_or("unknown"));
    throttle::fixed_window(store, clock, &address_key, SIGN_UPS_PER_ADDRESS_PER_HOUR, std::time::Duration::from_secs(3600)).await?;
    let key = normalize_email(&email);
    // Hashed in every case, so the answer takes as long whether or not the address is known.
    let password_hash = password::hash(input.password).await?;
    let pending = PendingSignUp { email: email.clone(), password_hash, name, locale, time_zone };
    let pending_json = serde_json::to_string(&pending).map_err(ApiError::internal)?;
    let mail = match find_by_key(db, &key).await? {
        Some(existing) if existing.email_verified_at.is_some() => existing_account_email(existing.email),
        Some(existing) => {
            let token = issue_email_token(db, clock, existing.id, TokenPurpose::VerifyEmail, VERIFY_TTL, Some(pending_json)).await?;
            verification_email(email.clone(), token)
        }
        None => {
            let txn = db.begin().await?;
            let now = clock.now();
            let inserted = user::ActiveModel {
                id: Set(Uuid::now_v7()),
                email_normalized: Set(key.clone()),
                email: Set(pending.email.clone()),
                password_hash: Set(pending.password_hash.clone()),
                name: Set(pending.name.clone()),
                locale: Set(pending.locale.clone()),
                time_zone: Set(pending.time_zone.clone()),
                email_verified_at: Set(None),
                is_platform_admin: Set(false),
                is_volunteer: Set(false),
                created_at: Set(now),
                updated_at: Set(now),
            }
            .insert(&txn)
            .await;
            let account = match inserted {
                Ok(account) => account,
                // Another sign-up for this address won the race: carry on as for an existing account.
                Err(e) if matches!(e.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_))) => {
                    drop(txn);
                    let Some(existing) = find_by_key(db, &key).await? else { return Err(ApiError::from(e).into()) };
                    if existing.email_verified_at.is_some() {
                        return finish(store, clock, mailer, &key, existing_account_email(existing.email), email).await;
                    }
                    let token =
                        issue_email_token(db, clock, existing.id, TokenPurpose::VerifyEmail, VERIFY_TTL, Some(pending_json)).await?;
                    return finish(store, clock, mailer, &key, verification_email(email.clone(), token), email).await;
                }
                Err(e) => return Err(ApiError::from(e).into()),
            };
            let token = issue_email_token(&txn, clock, account.id, TokenPurpose::VerifyEmail, VERIFY_TTL, Some(pending_json)).await?;
            txn.commit().await?;
            verification_email(email.clone(), token)
        }
    };
    finish(store, clock, mailer, &key, mail, email).await
}

/// Sends the sign-up's e-mail unless the recipient had enough this hour.
async fn finish(
    store: &dyn KeyValueStore,
    clock: &Clock,
    mailer: &dyn Mailer,
    key: &str,
    mail: Email,
    email: String,
) -> Result<String, WriteError> {
    if throttle::allow_mail(store, clock, key).await? {
        mailer.send(mail).await;
    } else {
        tracing::warn!(kind = mail.kind, "e-mails to this recipient are over their hourly limit: not sent");
    }
    Ok(email)
}

/// Confirms the address with a verification token. A token sent by a later
/// sign-up than the one that opened the account applies that sign-up's
/// address, password and profile, and ends every session of the account.
#[tracing::instrument(skip_all)]
pub async fn verify_email(
    db: &DatabaseConnection,
    clock: &Clock,
    sessions: &SessionManager,
    token: &str,
) -> Result<user::Model, WriteError> {
    let txn = db.begin().await?;
    let Some(row) = consume(&txn, clock, token, TokenPurpose::VerifyEmail).await? else { return Err(invalid_token()) };
    let Some(current) = user::Entity::find_by_id(row.user_id).one(&txn).await? else { return Err(invalid_token()) };
    let pending = row.pending_sign_up.as_deref().and_then(|p| serde_json::from_str::<PendingSignUp>(p).ok());
    let takes_over = pending.as_ref().is_some_and(|p| p.password_hash != current.password_hash);
    let user_id = current.id;
    let mut model: user::ActiveModel = current.into();
    if let Some(p) = pending.filter(|_| takes_over) {
        model.email = Set(p.email);
        model.password_hash = Set(p.password_hash);
        model.name = Set(p.name);
        model.locale = Set(p.locale);
        model.time_zone = Set(p.time_zone);
    }
    let now = clock.now();
    model.email_verified_at = Set(Some(now));
    model.updated_at = Set(now);
    let updated = model.update(&txn).await?;
    // The address is confirmed: other sign-ups' tokens for it stop working.
    email_token::Entity::update_many()
        .col_expr(email_token::Column::UsedAt, Expr::value(now))
        .filter(email_token::Column::UserId.eq(user_id))
        .filter(email_token::Column::Purpose.eq(TokenPurpose::VerifyEmail))
        .filter(email_token::Column::UsedAt.is_null())
        .exec(&txn)
        .await?;
    txn.commit().await?;
    if takes_over {
        sessions.revoke_all(user_id).await?;
    }
    Ok(updated)
}
