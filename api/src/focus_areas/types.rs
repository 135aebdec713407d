//! GraphQL types of the focus-area taxonomy.

use async_graphql::{ID, Object};

use crate::graphql::relay::{NodeKind, encode_uuid};

/// A focus area of the taxonomy (what an organization works on), e.g. `digital-literacy`.
#[derive(Clone, Debug)]
pub struct FocusArea(pub entity::focus_area::Model);

impl FocusArea {
    /// The type of its global IDs: a focus area.
    pub const KIND: NodeKind = NodeKind::new("FocusArea");
}

impl From<entity::focus_area::Model> for FocusArea {
    fn from(model: entity::focus_area::Model) -> Self {
        Self(model)
    }
}

/// A focus area of the taxonomy (what an organization works on), e.g. `digital-literacy`.
#[Object]
impl FocusArea {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode_uuid(FocusArea::KIND, self.0.id)
    }

    /// Stable handle, used in filters and inputs, e.g. `digital-literacy`.
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// English name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Grouping in the taxonomy, e.g. `Rights & justice`.
    async fn category(&self) -> &str {
        &self.0.category
    }

    /// One-line description.
    async fn description(&self) -> &str {
        &self.0.description
    }
}
