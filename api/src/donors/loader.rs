//! DataLoaders of donors, built per request.

use uuid::Uuid;

use super::service;
use crate::graphql::loader::batch_loader;

batch_loader! {
    /// Donors by id.
    DonorById: Uuid => std::sync::Arc<entity::donor::Model>,
    |db, keys| service::by_ids(db, keys).await.map(|rows| rows.into_iter().map(|(id, m)| (id, m.into())).collect())
}
