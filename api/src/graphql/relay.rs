//! Relay global IDs: opaque base64url of `Type:uuid` (or `Country:KE`).

use async_graphql::ID;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use uuid::Uuid;

use crate::error::ApiError;

/// The types that have global IDs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NodeType {
    /// A country (keyed by its code).
    Country,
    /// A network partner.
    Partner,
    /// An organization.
    Organization,
    /// A focus area.
    FocusArea,
    /// A user account.
    User,
    /// A donor company.
    Donor,
    /// An API key.
    ApiKey,
}

impl NodeType {
    fn name(self) -> &'static str {
        match self {
            Self::Country => "Country",
            Self::Partner => "Partner",
            Self::Organization => "Organization",
            Self::FocusArea => "FocusArea",
            Self::User => "User",
            Self::Donor => "Donor",
            Self::ApiKey => "ApiKey",
        }
    }

    fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "Country" => Self::Country,
            "Partner" => Self::Partner,
            "Organization" => Self::Organization,
            "FocusArea" => Self::FocusArea,
            "User" => Self::User,
            "Donor" => Self::Donor,
            "ApiKey" => Self::ApiKey,
            _ => return None,
        })
    }
}

/// Encodes a global ID.
pub fn encode(node_type: NodeType, key: &str) -> ID {
    ID(URL_SAFE_NO_PAD.encode(format!("{}:{key}", node_type.name())))
}

/// Encodes the global ID of a row.
pub fn encode_uuid(node_type: NodeType, id: Uuid) -> ID {
    encode(node_type, &id.to_string())
}

/// Decodes any global ID into its type and key.
pub fn decode(id: &str) -> Result<(NodeType, String), ApiError> {
    let invalid = || ApiError::InvalidId(format!("`{}` is not an ID of this API", truncate(id)));
    let bytes = URL_SAFE_NO_PAD.decode(id.trim_end_matches('=')).map_err(|_| invalid())?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    let (name, key) = text.split_once(':').ok_or_else(invalid)?;
    let node_type = NodeType::from_name(name).ok_or_else(invalid)?;
    Ok((node_type, key.to_owned()))
}

/// Decodes a global ID that must be of `expected` type and carry a UUID.
pub fn decode_uuid(id: &str, expected: NodeType) -> Result<Uuid, ApiError> {
    let (node_type, key) = decode(id)?;
    if node_type != expected {
        return Err(ApiError::InvalidId(format!("expected the ID of a {}", expected.name())));
    }
    Uuid::parse_str(&key).map_err(|_| ApiError::InvalidId(format!("`{}` is not an ID of this API", truncate(id))))
}

fn truncate(text: &str) -> String {
    text.chars().take(64).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_check_their_type() {
        let uuid = Uuid::now_v7();
        let id = encode_uuid(NodeType::Organization, uuid);
        assert_eq!(decode_uuid(&id, NodeType::Organization).expect("decodes"), uuid);
        assert!(matches!(decode_uuid(&id, NodeType::Partner), Err(ApiError::InvalidId(_))));
        for bad in ["", "not base64 !", "T3JnYW5pemF0aW9u", &URL_SAFE_NO_PAD.encode("Organization:nope")] {
            assert!(decode_uuid(bad, NodeType::Organization).is_err(), "{bad}");
        }
        assert!(decode(&URL_SAFE_NO_PAD.encode("Secret:1")).is_err());
    }
}
