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

batch_loader! {
    /// Cases by id (the caller's right to read each is checked where it is shown).
    ValidationById: Uuid => entity::validation::Model,
    |db, keys| service::by_ids(db, keys).await.map(|rows| crate::graphql::loader::by_id(rows, |m| m.id))
}

batch_loader! {
    /// The approval of each organization that lasts longest (its end is compared where it is shown).
    ApprovalOf: Uuid => entity::validation::Model,
    |db, keys| service::approval_of(db, keys).await
}
