//! DataLoaders of focus areas.

use uuid::Uuid;

use super::service;
use crate::graphql::loader::{batch_loader, by_id};

batch_loader! {
    /// Focus areas of organizations, by organization id.
    FocusAreasByOrganization: Uuid => Vec<entity::focus_area::Model>,
    |db, keys| service::for_organizations(db, keys).await
}

batch_loader! {
    /// Focus areas by id (for `node(id:)`).
    FocusAreaById: Uuid => entity::focus_area::Model,
    |db, keys| service::by_ids(db, keys).await.map(|rows| by_id(rows, |m| m.id))
}
