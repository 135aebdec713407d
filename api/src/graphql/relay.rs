//! Relay global IDs: opaque base64url of `Type:uuid` (or `Country:KE`).

use async_graphql::ID;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use uuid::Uuid;

use crate::error::ApiError;

/// A type with global IDs, named by the area that owns it (e.g.
/// `Organization::KIND`). The name is part of every ID of the type: it never
/// changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct NodeKind(&'static str);

impl NodeKind {
    /// The kind named `name` (a GraphQL type name).
    pub const fn new(name: &'static str) -> Self {
        Self(name)
    }

    /// Its name, as written in its IDs.
    pub fn name(self) -> &'static str {
        self.0
    }
}

/// A decoded global ID: the name of its type and its key. Whether the type
/// exists is for its reader to say (`decode_uuid`, the node registry).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GlobalId {
    /// The type's name.
    pub kind: String,
    /// The key within the type (a UUID, or a country code).
    pub key: String,
}

/// Encodes a global ID.
pub fn encode(kind: NodeKind, key: &str) -> ID {
    ID(URL_SAFE_NO_PAD.encode(format!("{}:{key}", kind.name())))
}

/// Encodes the global ID of a row.
pub fn encode_uuid(kind: NodeKind, id: Uuid) -> ID {
    encode(kind, &id.to_string())
}

/// Decodes any global ID into its type's name and its key.
pub fn decode(id: &str) -> Result<GlobalId, ApiError> {
    let bytes = URL_SAFE_NO_PAD.decode(id.trim_end_matches('=')).map_err(|_| not_an_id(id))?;
    let text = String::from_utf8(bytes).map_err(|_| not_an_id(id))?;
    let (kind, key) = text.split_once(':').ok_or_else(|| not_an_id(id))?;
    if kind.is_empty() || !kind.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(not_an_id(id));
    }
    Ok(GlobalId { kind: kind.to_owned(), key: key.to_owned() })
}

/// Decodes a global ID that must be of `expected` type and carry a UUID.
pub fn decode_uuid(id: &str, expected: NodeKind) -> Result<Uuid, ApiError> {
    let global = decode(id)?;
    if global.kind != expected.name() {
        return Err(ApiError::InvalidId(format!("expected the ID of a {}", expected.name())));
    }
    Uuid::parse_str(&global.key).map_err(|_| not_an_id(id))
}

/// INVALID_ID for what is not an ID of this API (quoting at most 64 characters of it).
pub fn not_an_id(id: &str) -> ApiError {
    ApiError::InvalidId(format!("`{}` is not an ID of this API", id.chars().take(64).collect::<String>()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const THING: NodeKind = NodeKind::new("Thing");
    const OTHER: NodeKind = NodeKind::new("Other");

    #[test]
    fn ids_round_trip_and_check_their_type() {
        let uuid = Uuid::now_v7();
        let id = encode_uuid(THING, uuid);
        assert_eq!(decode_uuid(&id, THING).expect("decodes"), uuid);
        assert!(matches!(decode_uuid(&id, OTHER), Err(ApiError::InvalidId(_))));
        for bad in ["", "not base64 !", "VGhpbmc", &URL_SAFE_NO_PAD.encode("Thing:nope")] {
            assert!(decode_uuid(bad, THING).is_err(), "{bad}");
        }
        for bad in [":1", "Th ing:1", "Thing\u{0}:1"] {
            assert!(decode(&URL_SAFE_NO_PAD.encode(bad)).is_err(), "{bad}");
        }
        assert_eq!(decode(&encode(THING, "KE")).expect("decodes"), GlobalId { kind: "Thing".into(), key: "KE".into() });
    }
}
