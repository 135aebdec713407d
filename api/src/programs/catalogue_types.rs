//! GraphQL side of the catalogue's orders and eligibility view: the
//! `orderBy` input of `programs`, the organization behind
//! `filter.eligibleFor`, and `Organization.eligiblePrograms`.

use std::collections::HashMap;

use async_graphql::{Context, ID, Result, SimpleObject};
use uuid::Uuid;

use super::{
    catalogue::{self, ProgramOrder as ServiceOrder},
    eligibility,
    service::{self, CatalogueFilter},
    types::{Eligibility, Program},
};
use crate::{
    auth::ReadableOrganizations,
    error::ApiError,
    graphql::{
        connection::{Conn, TotalCount, from_page},
        context::{self, clock, db, policy, request, scope},
        enums::mirror_enum,
        order::order_input,
        relay::decode_uuid,
    },
    organizations::types::Organization,
    pagination::PageRequest,
};

mirror_enum! {
    /// Fields the catalogue can be sorted by (the ID breaks ties).
    ProgramOrderField => catalogue::ProgramOrderField {
        /// When it was added.
        CreatedAt,
        /// Its slug (derived from its first name unless given).
        Slug,
        /// Its admin fee per unit, in minor units of its own currency
        /// (filter by country or donor to compare like with like).
        AdminFee,
    }
}

order_input! {
    /// Sort order of the catalogue.
    ProgramOrder { field: ProgramOrderField } => ServiceOrder
}

/// A program an organization may request now, with how much.
#[derive(SimpleObject)]
pub struct EligibleProgram {
    /// The program.
    pub program: Program,
    /// The engine's answer: eligible, with the units still available.
    pub eligibility: Eligibility,
}

impl crate::graphql::connection::Listed for EligibleProgram {
    const CONNECTION: &'static str = "EligibleProgramConnection";
    const EDGE: &'static str = "EligibleProgramEdge";
}

/// The organization `id` if the caller may ask its eligibility: an API key
/// needs `programs:read` (else FORBIDDEN); an organization the caller may not
/// see is NOT_FOUND.
async fn organization_to_check(ctx: &Context<'_>, id: &ID) -> Result<entity::organization::Model> {
    policy(ctx)?.may_check_eligibility(&request(ctx)?.caller)?;
    let id = decode_uuid(id, Organization::KIND)?;
    let scope = scope::<ReadableOrganizations>(ctx)?;
    let found = crate::organizations::service::by_ids(db(ctx)?, &scope, &[id]).await?.into_iter().next();
    Ok(found.ok_or(ApiError::NotFound("organization"))?)
}

/// The programs of `filter` that organization `id` is eligible for now
/// (`programs(filter: {eligibleFor})`).
pub async fn eligible_for(ctx: &Context<'_>, id: &ID, filter: &CatalogueFilter) -> Result<Vec<Uuid>> {
    let organization = organization_to_check(ctx, id).await?;
    let eligible = catalogue::eligible_programs(db(ctx)?, filter, &organization, clock(ctx)?.now()).await?;
    Ok(eligible.into_keys().collect())
}

/// Checks that the caller may ask eligibility for an organization it already
/// sees (`Program.eligibility`, `Organization.eligiblePrograms`).
pub fn check_eligibility_allowed(ctx: &Context<'_>) -> Result<()> {
    Ok(policy(ctx)?.may_check_eligibility(&request(ctx)?.caller)?)
}

/// `Organization.eligiblePrograms`: the programs the organization (reached,
/// so visible to the caller) is eligible for now, newest first.
pub async fn eligible_programs_field(
    ctx: &Context<'_>,
    organization: &entity::organization::Model,
    page: (Option<i32>, Option<String>, Option<i32>, Option<String>),
    locale: Option<String>,
) -> Result<Conn<EligibleProgram>> {
    check_eligibility_allowed(ctx)?;
    let locale = context::locale(ctx, locale.as_deref())?;
    let (first, after, last, before) = page;
    let request = PageRequest::from_args(first, after.as_deref(), last, before.as_deref())?;
    let db = db(ctx)?;
    let eligible: HashMap<Uuid, eligibility::Eligibility> =
        catalogue::eligible_programs(db, &CatalogueFilter::default(), organization, clock(ctx)?.now()).await?;
    let total = TotalCount::known(eligible.len());
    let filter = CatalogueFilter { only: Some(eligible.keys().copied().collect()), ..CatalogueFilter::default() };
    let rows = service::page(db, &filter, ServiceOrder::default(), &request).await?;
    Ok(from_page(rows, total, |m| EligibleProgram {
        eligibility: Eligibility::localized(
            eligible.get(&m.id).cloned().unwrap_or(eligibility::Eligibility::Eligible { available: None }),
            locale,
        ),
        program: Program::from(m),
    }))
}
