//! The cap on an answer's size: the response is serialized straight into a
//! buffer that refuses to grow past the cap, so a large answer never exists
//! twice in memory (as a JSON tree and as text) nor beyond the cap as text.

use std::{collections::BTreeMap, io};

use async_graphql::{Response, ServerError, Value};
use serde::Serialize;

use crate::error::ErrorCode;

/// Largest answer sent, in bytes of JSON.
pub const MAX_RESPONSE_BYTES: usize = 8 * 1024 * 1024;

/// The answer's body, as the GraphQL-over-HTTP specification shapes it.
#[derive(Serialize)]
struct Body<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<&'a Value>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    extensions: &'a BTreeMap<String, Value>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    errors: &'a [ServerError],
}

struct Capped {
    buffer: Vec<u8>,
    cap: usize,
}

impl io::Write for Capped {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        if self.buffer.len() + bytes.len() > self.cap {
            return Err(io::Error::other("over the cap"));
        }
        self.buffer.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Why an answer could not be written.
#[derive(Debug, PartialEq, Eq)]
pub enum TooLarge {
    /// Larger than the cap.
    OverCap,
    /// Not serializable (a bug).
    Unserializable,
}

/// Serializes `response` (without `data` when `without_data`), at most `cap` bytes.
pub fn serialize(response: &Response, without_data: bool, cap: usize) -> Result<Vec<u8>, TooLarge> {
    let body =
        Body { data: if without_data { None } else { Some(&response.data) }, extensions: &response.extensions, errors: &response.errors };
    let mut out = Capped { buffer: Vec::new(), cap };
    match serde_json::to_writer(&mut out, &body) {
        Ok(()) => Ok(out.buffer),
        Err(e) if e.is_io() => Err(TooLarge::OverCap),
        Err(_) => Err(TooLarge::Unserializable),
    }
}

/// The answer sent instead of one over the cap.
pub fn over_cap_body() -> String {
    let message = format!(
        "the answer is larger than {} MiB: ask for fewer fields, smaller pages or fewer aliases",
        MAX_RESPONSE_BYTES / (1024 * 1024)
    );
    serde_json::json!({ "data": null, "errors": [{ "message": message, "extensions": { "code": ErrorCode::ResponseTooLarge.as_str() } }] })
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(items: usize) -> Response {
        let list = (0..items).map(|i| Value::from(format!("item {i}"))).collect::<Vec<_>>();
        Response::new(Value::from_json(serde_json::json!({ "list": list })).unwrap_or(Value::Null))
    }

    #[test]
    fn an_answer_under_the_cap_is_written_whole() {
        let body = serialize(&answer(3), false, 1024).expect("fits");
        assert_eq!(String::from_utf8_lossy(&body), r#"{"data":{"list":["item 0","item 1","item 2"]}}"#);
    }

    #[test]
    fn an_answer_over_the_cap_is_refused_without_growing_past_it() {
        assert_eq!(serialize(&answer(100_000), false, 64 * 1024), Err(TooLarge::OverCap));
        assert!(serialize(&answer(100_000), false, MAX_RESPONSE_BYTES).is_ok(), "about 1.3 MB fits the real cap");
    }

    #[test]
    fn a_request_error_is_written_without_data() {
        let mut response = Response::new(Value::Null);
        response.errors.push(ServerError::new("bad", None));
        let body = String::from_utf8(serialize(&response, true, 1024).expect("fits")).expect("utf-8");
        assert_eq!(body, r#"{"errors":[{"message":"bad"}]}"#);
        let over: serde_json::Value = serde_json::from_str(&over_cap_body()).expect("json");
        assert_eq!(over["errors"][0]["extensions"]["code"], "RESPONSE_TOO_LARGE");
        assert!(over["data"].is_null());
    }
}
