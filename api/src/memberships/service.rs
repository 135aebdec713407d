//! Rules and SQL of memberships. Writes run in one transaction (their own, or a
//! savepoint in the caller's) that records their domain events; the caller
//! publishes them after the outermost commit, and e-mails only then.

use entity::{
    donor,
    enums::{MembershipScope, Role},
    invitation, membership, organization, partner, partner_country,
};
use sea_orm::{
    ActiveEnum, ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
    TransactionSession, TransactionTrait,
};
use uuid::Uuid;

use crate::{
    auth::{
        Grant,
        tokens::{hash_token, random_token},
    },
    clock::Clock,
    domain::text,
    error::ApiError,
    events::{Actor, DomainEvent, MembershipChange, Written, record},
    mail::{Email, Mailer},
    user_errors::{Errors, UserErrorCode, WriteError, checked, field_error, text_code},
};

/// How long an invitation works.
pub const INVITATION_TTL: chrono::Duration = chrono::Duration::days(7);

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
    clock: &Clock,
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
        created_at: Set(clock.now()),
    }
    .insert(db)
    .await?)
}

fn change(m: &membership::Model) -> MembershipChange {
    MembershipChange { user: m.user_id, scope: m.scope.to_value(), scope_id: m.scope_id, role: m.role.to_value() }
}

/// A user's roles, and the countries of the (not archived) partners they work for (two statements).
pub async fn grants_of(db: &impl ConnectionTrait, user_id: Uuid) -> Result<(Vec<Grant>, Vec<(String, Uuid, Role)>), ApiError> {
    let rows = membership::Entity::find().filter(membership::Column::UserId.eq(user_id)).all(db).await?;
    let grants: Vec<Grant> = rows.iter().map(|m| Grant { scope: m.scope, scope_id: m.scope_id, role: m.role }).collect();
    let partner_roles: Vec<(Uuid, Role)> =
        grants.iter().filter(|g| g.scope == MembershipScope::Partner).map(|g| (g.scope_id, g.role)).collect();
    let mut countries = Vec::new();
    if !partner_roles.is_empty() {
        // An archived partner serves no country: its staff keep no access there.
        let links = partner_country::Entity::find()
            .find_also_related(partner::Entity)
            .filter(partner_country::Column::PartnerId.is_in(partner_roles.iter().map(|(id, _)| *id)))
            .filter(partner::Column::Status.ne(entity::enums::PartnerStatus::Archived))
            .all(db)
            .await?;
        for (link, _) in links {
            if let Some((_, role)) = partner_roles.iter().find(|(id, _)| *id == link.partner_id) {
                countries.push((link.country_code, link.partner_id, *role));
            }
        }
    }
    Ok((grants, countries))
}

/// The memberships of a user, oldest first.
pub async fn of_user(db: &impl ConnectionTrait, user_id: Uuid) -> Result<Vec<membership::Model>, ApiError> {
    Ok(membership::Entity::find()
        .filter(membership::Column::UserId.eq(user_id))
        .order_by_asc(membership::Column::CreatedAt)
        .all(db)
        .await?)
}

/// The e-mail addresses of the confirmed accounts holding one of `roles` in
/// an organization, partner or donor (whom to tell about it), sorted.
pub async fn emails_of(db: &impl ConnectionTrait, scope: MembershipScope, scope_id: Uuid, roles: &[Role]) -> Result<Vec<String>, ApiError> {
    let user_ids: Vec<Uuid> = membership::Entity::find()
        .filter(membership::Column::Scope.eq(scope))
        .filter(membership::Column::ScopeId.eq(scope_id))
        .filter(membership::Column::Role.is_in(roles.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.user_id)
        .collect();
    if user_ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut emails: Vec<String> = entity::user::Entity::find()
        .filter(entity::user::Column::Id.is_in(user_ids))
        .filter(entity::user::Column::EmailVerifiedAt.is_not_null())
        .all(db)
        .await?
        .into_iter()
        .map(|u| u.email)
        .collect();
    emails.sort();
    emails.dedup();
    Ok(emails)
}

async fn scope_exists(db: &impl ConnectionTrait, scope: MembershipScope, id: Uuid) -> Result<bool, ApiError> {
    Ok(match scope {
        MembershipScope::Organization => organization::Entity::find_by_id(id).one(db).await?.is_some_and(|o| o.archived_at.is_none()),
        MembershipScope::Partner => partner::Entity::find_by_id(id).one(db).await?.is_some(),
        MembershipScope::Donor => donor::Entity::find_by_id(id).one(db).await?.is_some(),
    })
}

/// An invitation to create.
#[derive(Clone, Debug)]
pub struct NewInvitation {
    /// The invitee's address.
    pub email: String,
    /// Organization, partner or donor.
    pub scope: MembershipScope,
    /// Which one (the caller was allowed to invite there).
    pub scope_id: Uuid,
    /// The role offered.
    pub role: Role,
    /// Who invites.
    pub invited_by: Option<Uuid>,
}

/// An invitation recorded, with the e-mail that carries its token: sent by
/// [`SentInvitation::deliver`] once the transaction has committed.
#[derive(Debug)]
pub struct SentInvitation {
    /// The invitation.
    pub invitation: invitation::Model,
    email: Email,
}

impl SentInvitation {
    /// E-mails the one-time token (after the commit) and hands back the invitation.
    pub async fn deliver(self, mailer: &dyn Mailer) -> invitation::Model {
        mailer.send(self.email).await;
        self.invitation
    }
}

/// Records an invitation; its one-time token goes out by e-mail after the
/// commit ([`SentInvitation::deliver`]).
pub async fn invite<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    clock: &Clock,
    actor: &Actor,
    input: NewInvitation,
) -> Result<Written<SentInvitation>, WriteError> {
    let mut errors = Errors::default();
    let email = errors.check(&["email"], text::email(&input.email), text_code);
    if !role_fits(input.scope, input.role) {
        errors.add(&["role"], UserErrorCode::Invalid, "this role does not exist in this kind of scope");
    }
    if !scope_exists(db, input.scope, input.scope_id).await? {
        errors.add(&["scopeId"], UserErrorCode::NotFound, "nothing to join has this ID");
    }
    errors.ok()?;
    let email = checked(email)?;
    let token = random_token();
    let now = clock.now();
    let txn = db.begin().await?;
    let created = invitation::ActiveModel {
        id: Set(Uuid::now_v7()),
        email_normalized: Set(crate::accounts::service::normalize_email(&email)),
        scope: Set(input.scope),
        scope_id: Set(input.scope_id),
        role: Set(input.role),
        token_hash: Set(hash_token(&token)),
        invited_by: Set(input.invited_by),
        expires_at: Set(now + INVITATION_TTL),
        accepted_at: Set(None),
        created_at: Set(now),
    }
    .insert(&txn)
    .await?;
    let event = DomainEvent::InvitationSent {
        invitation: created.id,
        scope: created.scope.to_value(),
        scope_id: created.scope_id,
        role: created.role.to_value(),
    };
    let events = vec![record(&txn, clock, actor, &event).await?];
    txn.commit().await?;
    let email = Email {
        to: email,
        subject: "You are invited to join the network".to_owned(),
        body: "You were invited to take a role in the network. Sign up or log in with this address, then use the acceptInvitation mutation with this token (valid 7 days):\n\n{secret}\n".to_owned(),
        secret: token,
        kind: "invitation",
    };
    Ok(Written::new(SentInvitation { invitation: created, email }, events))
}

async fn owners(db: &impl ConnectionTrait, organization_id: Uuid) -> Result<u64, ApiError> {
    Ok(membership::Entity::find()
        .filter(membership::Column::Scope.eq(MembershipScope::Organization))
        .filter(membership::Column::ScopeId.eq(organization_id))
        .filter(membership::Column::Role.eq(Role::Owner))
        .count(db)
        .await?)
}

fn last_owner() -> WriteError {
    field_error(&["scopeId"], UserErrorCode::LastOwner, "you are the last owner of this organization: make someone else an owner first")
}

/// Accepts an invitation for the signed-in user whose address it was sent to.
pub async fn accept<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    clock: &Clock,
    actor: &Actor,
    user: &entity::user::Model,
    token: &str,
) -> Result<Written<membership::Model>, WriteError> {
    let now = clock.now();
    let invalid =
        || field_error(&["token"], UserErrorCode::InvalidToken, "the invitation is unknown, used, expired or for another address");
    let txn = db.begin().await?;
    let found = invitation::Entity::find().filter(invitation::Column::TokenHash.eq(hash_token(token.trim()))).one(&txn).await?;
    let Some(inv) = found.filter(|i| i.accepted_at.is_none() && i.expires_at > now && i.email_normalized == user.email_normalized) else {
        return Err(invalid());
    };
    let current = membership::Entity::find()
        .filter(membership::Column::UserId.eq(user.id))
        .filter(membership::Column::Scope.eq(inv.scope))
        .filter(membership::Column::ScopeId.eq(inv.scope_id))
        .one(&txn)
        .await?;
    if current.is_some_and(|m| m.role == Role::Owner) && inv.role != Role::Owner && owners(&txn, inv.scope_id).await? <= 1 {
        return Err(last_owner());
    }
    let claimed = invitation::Entity::update_many()
        .col_expr(invitation::Column::AcceptedAt, sea_orm::sea_query::Expr::value(now))
        .filter(invitation::Column::Id.eq(inv.id))
        .filter(invitation::Column::AcceptedAt.is_null())
        .exec(&txn)
        .await?;
    if claimed.rows_affected != 1 {
        return Err(invalid());
    }
    let granted = grant(&txn, clock, user.id, inv.scope, inv.scope_id, inv.role).await?;
    let events = vec![record(&txn, clock, actor, &DomainEvent::MembershipGranted(change(&granted))).await?];
    txn.commit().await?;
    Ok(Written::new(granted, events))
}

/// Ends the user's own role in a scope; the last owner of an organization cannot leave.
pub async fn leave<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    clock: &Clock,
    actor: &Actor,
    user_id: Uuid,
    scope: MembershipScope,
    scope_id: Uuid,
) -> Result<Written<membership::Model>, WriteError> {
    let txn = db.begin().await?;
    let found = membership::Entity::find()
        .filter(membership::Column::UserId.eq(user_id))
        .filter(membership::Column::Scope.eq(scope))
        .filter(membership::Column::ScopeId.eq(scope_id))
        .one(&txn)
        .await?;
    let Some(current) = found else {
        return Err(field_error(&["scopeId"], UserErrorCode::NotFound, "you have no role there"));
    };
    if current.role == Role::Owner && owners(&txn, scope_id).await? <= 1 {
        return Err(last_owner());
    }
    membership::Entity::delete_by_id(current.id).exec(&txn).await?;
    let events = vec![record(&txn, clock, actor, &DomainEvent::MembershipLeft(change(&current))).await?];
    txn.commit().await?;
    Ok(Written::new(current, events))
}
