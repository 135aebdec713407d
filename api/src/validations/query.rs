//! Query root of validations.

use async_graphql::{Context, ID, Object, Result};

use super::{
    service,
    types::{Validation, ValidationCriteria, readable},
};
use crate::graphql::{context::db, relay::decode_uuid, scalars::CountryCode};

/// Queries of validations.
#[derive(Default)]
pub struct ValidationQuery;

#[Object]
impl ValidationQuery {
    /// What the partners serving a country require to vet its organizations
    /// (public: organizations read it before they apply).
    async fn validation_criteria(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The country.")] country: CountryCode,
    ) -> Result<Vec<ValidationCriteria>> {
        Ok(service::criteria_in(db(ctx)?, &country.0).await?.into_iter().map(ValidationCriteria).collect())
    }

    /// A validation case by ID; null when there is none or you may not read it
    /// (its organization's members, staff of the partners serving its country,
    /// platform admins).
    async fn validation(&self, ctx: &Context<'_>, #[graphql(desc = "Its global ID.")] id: ID) -> Result<Option<Validation>> {
        let id = decode_uuid(&id, Validation::KIND)?;
        match service::by_id(db(ctx)?, id).await? {
            Some(case) => readable(ctx, case).await,
            None => Ok(None),
        }
    }
}
