//! Signing per the Standard Webhooks specification, with its reference
//! implementation (the `standardwebhooks` crate): the secret is `whsec_`
//! and the base64 of 32 random bytes; each request carries `webhook-id`
//! (the event's id, the same on every retry, for de-duplication),
//! `webhook-timestamp` (Unix seconds) and `webhook-signature`
//! (`v1,` and the base64 HMAC-SHA256 of `id.timestamp.body`).

use base64::Engine;
use rand::RngCore;

/// The prefix of secrets.
pub const SECRET_PREFIX: &str = "whsec_";

/// A new signing secret.
pub fn new_secret() -> String {
    let mut key = [0u8; 32];
    rand::rng().fill_bytes(&mut key);
    format!("{SECRET_PREFIX}{}", base64::engine::general_purpose::STANDARD.encode(key))
}

/// The headers of one signed request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signed {
    /// `webhook-id`.
    pub id: String,
    /// `webhook-timestamp`.
    pub timestamp: String,
    /// `webhook-signature`.
    pub signature: String,
}

/// Signs `body` sent as message `id` at `timestamp` (Unix seconds).
pub fn sign(secret: &str, id: &str, timestamp: i64, body: &str) -> Result<Signed, standardwebhooks::WebhookError> {
    let signature = standardwebhooks::Webhook::new(secret)?.sign(id, timestamp, body.as_bytes())?;
    Ok(Signed { id: id.to_owned(), timestamp: timestamp.to_string(), signature })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_specifications_example_signs_as_published() {
        // The example of the Standard Webhooks specification.
        let signed = sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, r#"{"test": 2432232314}"#)
            .expect("a valid secret");
        assert_eq!(signed.signature, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    #[test]
    fn a_new_secret_is_32_random_bytes_under_the_prefix() {
        let (a, b) = (new_secret(), new_secret());
        assert_ne!(a, b);
        let key = base64::engine::general_purpose::STANDARD.decode(a.trim_start_matches(SECRET_PREFIX)).expect("base64");
        assert_eq!(key.len(), 32);
        assert!(sign(&a, "id", 1, "{}").is_ok());
    }
}
