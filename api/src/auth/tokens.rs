//! Tokens: signed access tokens (JWT, HS256) and opaque random tokens stored as
//! SHA-256 hashes (refresh tokens, e-mail tokens, API keys).
//!
//! Expiry follows the [`Clock`](crate::clock::Clock), not the machine's clock:
//! `exp` is written from the time the caller passes to [`JwtKeys::issue`] and
//! checked by [`JwtKeys::verify`] against the time it is given (jsonwebtoken's
//! own check, which reads the system clock, is turned off; the claim stays
//! required). So a test that advances a manual clock sees tokens expire.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// 256 random bits, base64url.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Hex SHA-256 of a token: what is stored instead of the token.
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Claims of an access token.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Claims {
    /// The user.
    pub sub: Uuid,
    /// The session.
    pub sid: Uuid,
    /// Expiry (seconds since the epoch).
    pub exp: i64,
    /// Issued at.
    pub iat: i64,
    /// Issuer.
    pub iss: String,
    /// Audience.
    pub aud: String,
}

/// Claims of a signed link: one user's session may fetch one resource (an
/// evidence document, ...) for a few minutes, from a URL a browser can open
/// without headers. Its audience is not an access token's: neither passes
/// for the other.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct LinkClaims {
    /// The user the link was made for.
    pub sub: Uuid,
    /// Their session: the link dies with it.
    pub sid: Uuid,
    /// The resource, e.g. `evidence:<uuid>`.
    pub res: String,
    /// Expiry (seconds since the epoch).
    pub exp: i64,
    /// Issued at.
    pub iat: i64,
    /// Issuer.
    pub iss: String,
    /// Audience: the access tokens' audience followed by `/link`.
    pub aud: String,
}

/// Why an access token is refused (all answer UNAUTHENTICATED).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// Expired.
    #[error("the access token has expired: refresh the session")]
    Expired,
    /// Malformed, tampered, wrong algorithm, issuer or audience.
    #[error("the access token is not valid")]
    Invalid,
}

/// Seconds of tolerance on `exp` for clocks of instances that drift apart.
const LEEWAY_SECS: u64 = 5;

/// Signs and checks access tokens; a previous key may still verify during rotation.
#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: Vec<DecodingKey>,
    validation: Validation,
    link_validation: Validation,
    issuer: String,
    audience: String,
}

impl std::fmt::Debug for JwtKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwtKeys").field("issuer", &self.issuer).field("audience", &self.audience).finish_non_exhaustive()
    }
}

impl JwtKeys {
    /// Keys from the current secret and an optional previous one.
    pub fn new(secret: &SecretString, previous: Option<&SecretString>, issuer: &str, audience: &str) -> Self {
        let mut decoding = vec![DecodingKey::from_secret(secret.expose_secret().as_bytes())];
        if let Some(prev) = previous {
            decoding.push(DecodingKey::from_secret(prev.expose_secret().as_bytes()));
        }
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[issuer]);
        validation.set_audience(&[audience]);
        validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
        validation.leeway = LEEWAY_SECS;
        // `exp` is checked in `verify` against the Clock's time (see the module doc).
        validation.validate_exp = false;
        let mut link_validation = validation.clone();
        link_validation.set_audience(&[link_audience(audience)]);
        link_validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
        Self {
            encoding: EncodingKey::from_secret(secret.expose_secret().as_bytes()),
            decoding,
            validation,
            link_validation,
            issuer: issuer.to_owned(),
            audience: audience.to_owned(),
        }
    }

    /// Signs an access token for a session.
    pub fn issue(
        &self,
        user: Uuid,
        session: Uuid,
        now: DateTime<Utc>,
        ttl: chrono::Duration,
    ) -> Result<(String, DateTime<Utc>), jsonwebtoken::errors::Error> {
        let expires = now + ttl;
        let claims = Claims {
            sub: user,
            sid: session,
            exp: expires.timestamp(),
            iat: now.timestamp(),
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
        };
        Ok((jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)?, expires))
    }

    /// Checks signature (current or previous key), algorithm, issuer, audience,
    /// and expiry at `now` (the Clock's time).
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Result<Claims, TokenError> {
        let claims = self
            .decoding
            .iter()
            .find_map(|key| jsonwebtoken::decode::<Claims>(token, key, &self.validation).ok())
            .ok_or(TokenError::Invalid)?
            .claims;
        let leeway = i64::try_from(LEEWAY_SECS).unwrap_or(0);
        if claims.exp.saturating_add(leeway) < now.timestamp() {
            return Err(TokenError::Expired);
        }
        Ok(claims)
    }
}

fn link_audience(audience: &str) -> String {
    format!("{audience}/link")
}

impl JwtKeys {
    /// Signs a link for one resource, valid for `ttl` from `now`.
    pub fn issue_link(
        &self,
        user: Uuid,
        session: Uuid,
        resource: &str,
        now: DateTime<Utc>,
        ttl: chrono::Duration,
    ) -> Result<(String, DateTime<Utc>), jsonwebtoken::errors::Error> {
        let expires = now + ttl;
        let claims = LinkClaims {
            sub: user,
            sid: session,
            res: resource.to_owned(),
            exp: expires.timestamp(),
            iat: now.timestamp(),
            iss: self.issuer.clone(),
            aud: link_audience(&self.audience),
        };
        Ok((jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)?, expires))
    }

    /// Checks a link's signature, issuer, audience and expiry at `now`, and
    /// that it was made for `resource`.
    pub fn verify_link(&self, token: &str, resource: &str, now: DateTime<Utc>) -> Result<LinkClaims, TokenError> {
        let claims = self
            .decoding
            .iter()
            .find_map(|key| jsonwebtoken::decode::<LinkClaims>(token, key, &self.link_validation).ok())
            .ok_or(TokenError::Invalid)?
            .claims;
        if claims.res != resource {
            return Err(TokenError::Invalid);
        }
        let leeway = i64::try_from(LEEWAY_SECS).unwrap_or(0);
        if claims.exp.saturating_add(leeway) < now.timestamp() {
            return Err(TokenError::Expired);
        }
        Ok(claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(secret: &str) -> JwtKeys {
        JwtKeys::new(&SecretString::from(secret.to_owned()), None, "civic-graph", "civic-graph")
    }

    #[test]
    fn tokens_round_trip_and_refuse_tampering_other_keys_and_none() {
        let k = keys("a-secret-of-at-least-thirty-two-bytes!!");
        let (token, _) = k.issue(Uuid::now_v7(), Uuid::now_v7(), Utc::now(), chrono::Duration::minutes(15)).expect("signs");
        assert!(k.verify(&token, Utc::now()).is_ok());
        assert_eq!(keys("another-secret-of-at-least-thirty-two-bytes").verify(&token, Utc::now()), Err(TokenError::Invalid));
        let mut tampered = token.clone();
        tampered.insert(tampered.len() - 3, 'x');
        assert_eq!(k.verify(&tampered, Utc::now()), Err(TokenError::Invalid));
        let parts: Vec<&str> = token.split('.').collect();
        let none_header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
        assert_eq!(k.verify(&format!("{none_header}.{}.", parts[1]), Utc::now()), Err(TokenError::Invalid));
        let (old, _) =
            k.issue(Uuid::now_v7(), Uuid::now_v7(), Utc::now() - chrono::Duration::hours(1), chrono::Duration::minutes(15)).expect("signs");
        assert_eq!(k.verify(&old, Utc::now()), Err(TokenError::Expired));
    }

    #[test]
    fn expiry_is_checked_against_the_time_given_not_the_machines_clock() {
        let k = keys("a-secret-of-at-least-thirty-two-bytes!!");
        let issued = DateTime::parse_from_rfc3339("2001-02-03T04:05:06Z").expect("time").with_timezone(&Utc);
        let (token, expires) = k.issue(Uuid::now_v7(), Uuid::now_v7(), issued, chrono::Duration::minutes(15)).expect("signs");
        assert!(k.verify(&token, issued).is_ok(), "valid at its own time, though long past for the machine");
        assert!(k.verify(&token, expires + chrono::Duration::seconds(5)).is_ok(), "within the leeway");
        assert_eq!(k.verify(&token, expires + chrono::Duration::seconds(6)), Err(TokenError::Expired));
    }

    #[test]
    fn a_previous_key_still_verifies_during_rotation() {
        let old = keys("the-old-secret-of-at-least-thirty-two-bytes");
        let (token, _) = old.issue(Uuid::now_v7(), Uuid::now_v7(), Utc::now(), chrono::Duration::minutes(15)).expect("signs");
        let rotated = JwtKeys::new(
            &SecretString::from("the-new-secret-of-at-least-thirty-two-bytes".to_owned()),
            Some(&SecretString::from("the-old-secret-of-at-least-thirty-two-bytes".to_owned())),
            "civic-graph",
            "civic-graph",
        );
        assert!(rotated.verify(&token, Utc::now()).is_ok());
    }

    #[test]
    fn links_open_one_resource_until_they_expire_and_never_pass_for_access_tokens() {
        let k = keys("a-secret-of-at-least-thirty-two-bytes!!");
        let (user, session, now) = (Uuid::now_v7(), Uuid::now_v7(), Utc::now());
        let (link, expires) = k.issue_link(user, session, "evidence:1", now, chrono::Duration::minutes(5)).expect("signs");
        let claims = k.verify_link(&link, "evidence:1", now).expect("valid");
        assert_eq!((claims.sub, claims.sid), (user, session));
        assert_eq!(k.verify_link(&link, "evidence:2", now), Err(TokenError::Invalid), "another resource");
        assert_eq!(k.verify_link(&link, "evidence:1", expires + chrono::Duration::seconds(6)), Err(TokenError::Expired));
        assert_eq!(k.verify(&link, now), Err(TokenError::Invalid), "a link is not an access token");
        let (access, _) = k.issue(user, session, now, chrono::Duration::minutes(15)).expect("signs");
        assert_eq!(k.verify_link(&access, "evidence:1", now), Err(TokenError::Invalid), "an access token is not a link");
        let other = keys("another-secret-of-at-least-thirty-two-bytes");
        assert_eq!(other.verify_link(&link, "evidence:1", now), Err(TokenError::Invalid));
    }

    #[test]
    fn random_tokens_are_256_bits_and_stored_hashed() {
        let t = random_token();
        assert_eq!(URL_SAFE_NO_PAD.decode(&t).expect("base64").len(), 32);
        assert_ne!(t, random_token());
        assert_eq!(hash_token(&t).len(), 64);
        assert!(!hash_token(&t).contains(&t));
    }
}
