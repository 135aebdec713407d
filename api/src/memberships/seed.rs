//! The memberships' part of the seeds: the benchmark accounts' roles, written
//! in bulk, row for row as [`super::service::grant`] would.

use chrono::{DateTime, Utc};
use entity::{
    enums::{MembershipScope, Role},
    membership,
};
use sea_orm::{ConnectionTrait, Set};
use uuid::Uuid;

use crate::{
    error::ApiError,
    seed::{
        SeedError,
        generator::{BenchContext, insert_batched},
    },
};

/// A role to give in the benchmark network.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BenchGrant {
    /// The user.
    pub user: Uuid,
    /// In what.
    pub scope: MembershipScope,
    /// Which organization, partner or donor.
    pub scope_id: Uuid,
    /// The role.
    pub role: Role,
    /// When it was given.
    pub at: DateTime<Utc>,
}

/// Writes the grants, in the caller's transaction (at most one per user and scope).
pub async fn insert_bench(db: &impl ConnectionTrait, ctx: &BenchContext, grants: Vec<BenchGrant>) -> Result<(), SeedError> {
    let mut rng = ctx.rng("memberships");
    let mut rows = Vec::with_capacity(grants.len());
    for g in grants {
        if !super::service::role_fits(g.scope, g.role) {
            return Err(SeedError::bad(&g.user.to_string(), &format!("{:?} is not a role of a {:?}", g.role, g.scope)));
        }
        rows.push(membership::ActiveModel {
            id: Set(rng.uuid_at(g.at)),
            user_id: Set(g.user),
            scope: Set(g.scope),
            scope_id: Set(g.scope_id),
            role: Set(g.role),
            created_at: Set(g.at),
        });
    }
    insert_batched(db, rows).await.map_err(ApiError::from)?;
    Ok(())
}
