//! DataLoaders keyed by country code.

use crate::{graphql::loader::batch_loader, organizations::service as organizations};

batch_loader! {
    /// Number of organizations the caller may see, by country code.
    OrganizationCountsByCountry: String => u64,
    |db, scope, keys| organizations::count_by_country(db, scope, keys).await
}
