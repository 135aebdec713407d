//! DataLoaders of validations, built per request.

use uuid::Uuid;

use super::service;
use crate::graphql::loader::batch_loader;

batch_loader! {
    /// The current (newest) case of each organization.
    CurrentValidation: Uuid => entity::validation::Model,
    |db, keys| service::current_of(db, keys).await
}

batch_loader! {
    /// The steps of each case, oldest first.
    ValidationHistory: Uuid => Vec<entity::event::Model>,
    |db, keys| service::history_of(db, keys).await
}
