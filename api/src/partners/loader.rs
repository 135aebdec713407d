//! DataLoaders of partners.

use uuid::Uuid;

use super::service;
use crate::graphql::loader::{batch_loader, by_id};

batch_loader! {
    /// Partners by id.
    PartnerById: Uuid => entity::partner::Model,
    |db, keys| service::by_ids(db, keys).await.map(|rows| by_id(rows, |m| m.id))
}

batch_loader! {
    /// The partners serving each country, by country code.
    PartnersByCountry: String => Vec<entity::partner::Model>,
    |db, keys| service::serving(db, keys).await
}

batch_loader! {
    /// The country codes each partner serves, by partner id.
    CountriesByPartner: Uuid => Vec<String>,
    |db, keys| service::countries_of(db, keys).await
}
