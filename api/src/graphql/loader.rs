//! `batch_loader!`: a DataLoader an area declares in a few lines: its batch
//! function, and how the request builds it (with the database, and the
//! caller's read scope when it reads organizations).

/// Declares a request-scoped DataLoader (see [`crate::graphql::context::RequestLoader`]):
///
/// ```ignore
/// batch_loader! {
///     /// Partners by id.
///     PartnerById: Uuid => entity::partner::Model,
///     |db, keys| service::by_ids(db, keys).await.map(|rows| rows.into_iter().map(|m| (m.id, m)).collect())
/// }
/// batch_loader! {
///     /// Organizations by id, within the caller's scope.
///     OrganizationById: Uuid => entity::organization::Model,
///     |db, scope, keys| service::by_ids(db, scope, keys).await.map(...)
/// }
/// ```
///
/// The body runs inside the batch function and answers
/// `Result<HashMap<Key, Value>, ApiError>`; with `scope`, it gets the
/// organizations the caller may read (`auth::ReadableOrganizations`).
#[macro_export]
#[doc(hidden)]
macro_rules! __batch_loader {
    ($(#[$meta:meta])* $name:ident: $key:ty => $value:ty, |$db:ident, $keys:ident| $body:expr) => {
        $(#[$meta])*
        pub struct $name(sea_orm::DatabaseConnection);

        impl $crate::graphql::context::RequestLoader for $name {
            fn build(request: &$crate::graphql::context::RequestContext) -> Self {
                Self(request.db().clone())
            }
        }

        impl async_graphql::dataloader::Loader<$key> for $name {
            type Value = $value;
            type Error = std::sync::Arc<$crate::error::ApiError>;

            async fn load(&self, $keys: &[$key]) -> Result<std::collections::HashMap<$key, $value>, Self::Error> {
                let $db = &self.0;
                let loaded: Result<std::collections::HashMap<$key, $value>, $crate::error::ApiError> = $body;
                loaded.map_err(std::sync::Arc::new)
            }
        }
    };
    ($(#[$meta:meta])* $name:ident: $key:ty => $value:ty, |$db:ident, $scope:ident, $keys:ident| $body:expr) => {
        $(#[$meta])*
        pub struct $name {
            db: sea_orm::DatabaseConnection,
            scope: std::sync::Arc<$crate::auth::OrgScope>,
        }

        impl $crate::graphql::context::RequestLoader for $name {
            fn build(request: &$crate::graphql::context::RequestContext) -> Self {
                Self { db: request.db().clone(), scope: request.scope::<$crate::auth::ReadableOrganizations>() }
            }
        }

        impl async_graphql::dataloader::Loader<$key> for $name {
            type Value = $value;
            type Error = std::sync::Arc<$crate::error::ApiError>;

            async fn load(&self, $keys: &[$key]) -> Result<std::collections::HashMap<$key, $value>, Self::Error> {
                let ($db, $scope) = (&self.db, &*self.scope);
                let loaded: Result<std::collections::HashMap<$key, $value>, $crate::error::ApiError> = $body;
                loaded.map_err(std::sync::Arc::new)
            }
        }
    };
}

pub use crate::__batch_loader as batch_loader;

/// Rows keyed by their id, as by-id loaders answer.
pub fn by_id<K: std::hash::Hash + Eq, V>(rows: Vec<V>, id: impl Fn(&V) -> K) -> std::collections::HashMap<K, V> {
    rows.into_iter().map(|row| (id(&row), row)).collect()
}
