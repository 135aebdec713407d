//! Password hashing (argon2id, on a few dedicated threads) and the password policy.

mod hashers;

use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};

use crate::error::ApiError;

/// Shortest password accepted.
pub const MIN_LENGTH: usize = 12;
/// Longest password accepted (hashing cost stays bounded).
pub const MAX_LENGTH: usize = 256;

/// A few of the most used passwords of 12 characters or more; any password
/// containing one of the short classics is refused too.
const COMMON: &[&str] = &[
    "123456789012",
    "1234567890123",
    "12345678901234",
    "qwertyuiopas",
    "qwertyuiop123",
    "passwordpassword",
    "password1234",
    "password12345",
    "password123456",
    "iloveyou1234",
    "111111111111",
    "000000000000",
    "aaaaaaaaaaaa",
    "abcdefghijkl",
    "abc123abc123",
    "letmeinletmein",
    "welcome12345",
    "administrator",
    "changeme1234",
    "qwerty123456",
    "1q2w3e4r5t6y",
    "zaq12wsxcde3",
    "football1234",
    "baseball1234",
    "sunshine1234",
    "princess1234",
    "trustno1trustno1",
    "superman1234",
    "monkey123456",
    "dragon123456",
    "master123456",
    "starwars1234",
    "whatever1234",
    "passw0rd1234",
    "p@ssw0rd1234",
];
const CLASSICS: &[&str] = &["password", "passw0rd", "p@ssw0rd", "qwerty", "123456", "letmein", "iloveyou", "admin"];

/// Why a password is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PasswordPolicyError {
    /// Too short.
    #[error("use at least {MIN_LENGTH} characters")]
    TooShort,
    /// Too long.
    #[error("use at most {MAX_LENGTH} characters")]
    TooLong,
    /// Equal to or contained in the e-mail address.
    #[error("the password can't be your e-mail address")]
    IsEmail,
    /// A well-known password.
    #[error("this password is too common; choose another")]
    Common,
}

/// Checks a new password against the policy.
pub fn check_policy(password: &str, email: &str) -> Result<(), PasswordPolicyError> {
    let length = password.chars().count();
    if length < MIN_LENGTH {
        return Err(PasswordPolicyError::TooShort);
    }
    if length > MAX_LENGTH {
        return Err(PasswordPolicyError::TooLong);
    }
    let lower = password.to_lowercase();
    let email = email.trim().to_lowercase();
    let local = email.split('@').next().unwrap_or_default();
    if lower == email || (!local.is_empty() && lower.contains(local) && local.len() * 2 >= lower.len()) {
        return Err(PasswordPolicyError::IsEmail);
    }
    let distinct = {
        let mut chars: Vec<char> = lower.chars().collect();
        chars.sort_unstable();
        chars.dedup();
        chars.len()
    };
    if COMMON.contains(&lower.as_str()) || distinct <= 3 || CLASSICS.iter().any(|c| lower.contains(c) && c.len() * 2 >= lower.len()) {
        return Err(PasswordPolicyError::Common);
    }
    Ok(())
}

/// Hashes a password with argon2id and a fresh salt (on a hashing thread).
pub async fn hash(password: String) -> Result<String, ApiError> {
    hashers::run(move || Argon2::default().hash_password(password.as_bytes()).map(|h| h.to_string()))
        .await?
        .map_err(|e| ApiError::internal(std::io::Error::other(format!("password hashing failed: {e}"))))
}

/// Checks a password against a stored hash (on a hashing thread).
pub async fn verify(password: String, stored: String) -> Result<bool, ApiError> {
    hashers::run(move || {
        let Ok(parsed) = PasswordHash::new(&stored) else { return false };
        Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok()
    })
    .await
}

/// A hash of a random password, verified against when the e-mail is unknown so
/// that logging in takes as long whether or not an account exists.
pub async fn dummy_hash() -> Result<String, ApiError> {
    hash(super::tokens::random_token()).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_refuses_short_email_like_and_common_passwords() {
        assert_eq!(check_policy("short", "a@b.org"), Err(PasswordPolicyError::TooShort));
        assert_eq!(check_policy("amina@example.org", "Amina@Example.org"), Err(PasswordPolicyError::IsEmail));
        assert_eq!(check_policy("amina.wanjiru1", "amina.wanjiru@example.org"), Err(PasswordPolicyError::IsEmail));
        assert_eq!(check_policy("Password1234", "a@b.org"), Err(PasswordPolicyError::Common));
        assert_eq!(check_policy("aaaaaaaaaaaaaaa", "a@b.org"), Err(PasswordPolicyError::Common));
        assert!(check_policy("correct horse battery staple", "amina@example.org").is_ok());
    }

    #[tokio::test]
    async fn hashes_are_salted_argon2id_and_verify() {
        let a = hash("correct horse battery staple".to_owned()).await.expect("hash");
        let b = hash("correct horse battery staple".to_owned()).await.expect("hash");
        assert!(a.starts_with("$argon2id$"), "{a}");
        assert_ne!(a, b, "a fresh salt each time");
        assert!(verify("correct horse battery staple".to_owned(), a.clone()).await.expect("verify"));
        assert!(!verify("wrong horse battery staple".to_owned(), a).await.expect("verify"));
        assert!(!verify("x".to_owned(), "not a hash".to_owned()).await.expect("verify"));
    }
}
