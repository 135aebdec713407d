//! Rules and SQL of memberships.

use chrono::Utc;
use entity::{
    enums::{MembershipScope, Role},
    membership, partner_country,
};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use crate::{auth::Grant, error::ApiError};

/// The roles that fit each scope.
pub fn role_fits(scope: MembershipScope, role: Role) -> bool {
    match scope {
        MembershipScope::Organization => matches!(role, Role::Owner | Role::Admin | Role::Member),
        MembershipScope::Partner => matches!(role, Role::Admin | Role::Validator | Role::ProgramManager),
        MembershipScope::Donor => matches!(role, Role::Admin | Role::Integrator),
    }
}

/// Gives `user` a role (replacing the one they had in that scope).
pub async fn grant(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    scope: MembershipScope,
    scope_id: Uuid,
    role: Role,
) -> Result<membership::Model, ApiError> {
    if !role_fits(scope, role) {
        return Err(ApiError::BadUserInput(format!("{role:?} is not a role of a {scope:?}")));
    }
    membership::Entity::delete_many()
        .filter(membership::Column::UserId.eq(user_id))
        .filter(membership::Column::Scope.eq(scope))
        .filter(membership::Column::ScopeId.eq(scope_id))
        .exec(db)
        .await?;
    Ok(membership::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user_id),
        scope: Set(scope),
        scope_id: Set(scope_id),
        role: Set(role),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await?)
}

/// A user's roles, and the countries of the partners they work for (two statements).
pub async fn grants_of(db: &impl ConnectionTrait, user_id: Uuid) -> Result<(Vec<Grant>, Vec<(String, Uuid, Role)>), ApiError> {
    let rows = membership::Entity::find().filter(membership::Column::UserId.eq(user_id)).all(db).await?;
    let grants: Vec<Grant> = rows.iter().map(|m| Grant { scope: m.scope, scope_id: m.scope_id, role: m.role }).collect();
    let partner_roles: Vec<(Uuid, Role)> =
        grants.iter().filter(|g| g.scope == MembershipScope::Partner).map(|g| (g.scope_id, g.role)).collect();
    let mut countries = Vec::new();
    if !partner_roles.is_empty() {
        let links = partner_country::Entity::find()
            .filter(partner_country::Column::PartnerId.is_in(partner_roles.iter().map(|(id, _)| *id)))
            .all(db)
            .await?;
        for link in links {
            if let Some((_, role)) = partner_roles.iter().find(|(id, _)| *id == link.partner_id) {
                countries.push((link.country_code, link.partner_id, *role));
            }
        }
    }
    Ok((grants, countries))
}
