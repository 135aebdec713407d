//! Writes of organizations: create, update, archive. The whole input is checked
//! first and every problem reported at once as a user error; nothing changes then.
//! Each write runs in one transaction (its own, or a savepoint in the caller's)
//! that records its [`DomainEvent`]; the caller publishes the returned events
//! after the outermost commit.

use entity::{
    StringList,
    enums::{MembershipScope, OrganizationType, RegistrationKind, Role, StaffSize, Visibility},
    organization, organization_focus_area, organization_registration,
};
use sea_orm::{
    ActiveEnum, ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, TransactionSession, TransactionTrait,
    sea_query::{Expr, ExprTrait},
};
use uuid::Uuid;

use super::validate::{
    check_budget, check_contact, check_country, check_focus_areas, check_founded, check_registrations, line, search_text,
};
use crate::{
    auth::{Caller, OrgScope},
    clock::Clock,
    domain::{CountryCode, text},
    events::{Actor, DomainEvent, Written, record},
    store::KeyValueStore,
    user_errors::{Errors, UserErrorCode, WriteError, check_languages, checked, field_error, text_code},
};

/// Largest annual budget accepted, in minor units (10^15: a trillion in a
/// two-decimal currency). Anything above is a typo.
pub const MAX_BUDGET: i64 = 1_000_000_000_000_000;
/// Most registration identifiers per organization.
pub const MAX_REGISTRATIONS: usize = 10;
/// Most focus areas per organization.
pub const MAX_FOCUS_AREAS: usize = 10;

/// A registration identifier as given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegistrationInput {
    /// Kind.
    pub kind: RegistrationKind,
    /// Number as typed.
    pub number: String,
}

/// Money as given (currency format-checked only).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MoneyInput {
    /// Minor units.
    pub amount: i64,
    /// Currency code.
    pub currency: String,
}

/// Input of a new organization.
#[derive(Clone, Debug)]
pub struct NewOrganization {
    /// Legal name.
    pub legal_name: String,
    /// Display name; the legal name when absent.
    pub display_name: Option<String>,
    /// Country code.
    pub country: String,
    /// Type.
    pub org_type: OrganizationType,
    /// Registration identifiers (none for unregistered groups).
    pub registrations: Vec<RegistrationInput>,
    /// Focus-area slugs.
    pub focus_areas: Vec<String>,
    /// Mission.
    pub mission: Option<String>,
    /// Web site.
    pub website: Option<String>,
    /// Year founded.
    pub founded_year: Option<i32>,
    /// Staff band.
    pub staff_size: Option<StaffSize>,
    /// Annual budget.
    pub annual_budget: Option<MoneyInput>,
    /// Language tags.
    pub languages: Vec<String>,
    /// Visibility; NETWORK when absent.
    pub visibility: Option<Visibility>,
    /// Contact e-mail (sensitive).
    pub contact_email: Option<String>,
    /// Contact phone (sensitive).
    pub contact_phone: Option<String>,
    /// Postal address (sensitive).
    pub contact_address: Option<String>,
    /// The user who becomes its first owner, if a user creates it ([`create_as`] sets it from the caller).
    pub owner: Option<Uuid>,
}

/// Changes to an organization: `None` leaves a field, `Some(None)` clears it.
#[derive(Clone, Debug, Default)]
pub struct OrganizationChanges {
    /// Which organization.
    pub id: Uuid,
    /// The version the caller read.
    pub expected_version: i32,
    /// New legal name.
    pub legal_name: Option<String>,
    /// New display name.
    pub display_name: Option<String>,
    /// New country.
    pub country: Option<String>,
    /// New type.
    pub org_type: Option<OrganizationType>,
    /// New registrations (replace).
    pub registrations: Option<Vec<RegistrationInput>>,
    /// New focus areas (replace).
    pub focus_areas: Option<Vec<String>>,
    /// New mission.
    pub mission: Option<Option<String>>,
    /// New web site.
    pub website: Option<Option<String>>,
    /// New year founded.
    pub founded_year: Option<Option<i32>>,
    /// New staff band.
    pub staff_size: Option<Option<StaffSize>>,
    /// New budget.
    pub annual_budget: Option<Option<MoneyInput>>,
    /// New languages (replace).
    pub languages: Option<Vec<String>>,
    /// New visibility.
    pub visibility: Option<Visibility>,
    /// New contact e-mail.
    pub contact_email: Option<Option<String>>,
    /// New contact phone.
    pub contact_phone: Option<Option<String>>,
    /// New postal address.
    pub contact_address: Option<Option<String>>,
}

/// Creates an organization for `caller` (the actor), who becomes its owner when
/// a user, within the per-user daily limit (RATE_LIMITED past it; see [`super::quota`]).
#[tracing::instrument(skip_all)]
pub async fn create_as<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    clock: &Clock,
    store: &dyn KeyValueStore,
    caller: &Caller,
    mut input: NewOrganization,
) -> Result<Written<organization::Model>, WriteError> {
    let actor = Actor::of(caller)?;
    let reservation = super::quota::reserve(store, clock, caller).await?;
    input.owner = caller.user().map(|u| u.user_id);
    let result = create(db, clock, &actor, input).await;
    if let (Err(_), Some(reservation)) = (&result, reservation) {
        reservation.release(store).await;
    }
    result
}

/// Creates an organization with its registrations and focus areas, without
/// counting it against anyone's limit (the seed and [`create_as`] call it).
#[tracing::instrument(skip_all)]
pub async fn create<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    clock: &Clock,
    actor: &Actor,
    input: NewOrganization,
) -> Result<Written<organization::Model>, WriteError> {
    let mut errors = Errors::default();
    let legal_name = line(&mut errors, "legalName", &input.legal_name);
    let display_name = match input.display_name.as_deref() {
        Some(d) => line(&mut errors, "displayName", d),
        None => legal_name.clone(),
    };
    let country = check_country(&mut errors, &input.country);
    let registrations = check_registrations(&mut errors, &input.registrations);
    let mission = errors.check(&["mission"], text::optional_paragraph(input.mission.as_deref(), 2000), text_code).flatten();
    let website = input
        .website
        .as_deref()
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .and_then(|w| errors.check(&["website"], text::website(w), text_code));
    if let Some(year) = input.founded_year {
        check_founded(&mut errors, year);
    }
    let budget = input.annual_budget.as_ref().and_then(|m| check_budget(&mut errors, m));
    let languages = check_languages(&mut errors, &input.languages);
    let (contact_email, contact_phone, contact_address) =
        check_contact(&mut errors, input.contact_email.as_deref(), input.contact_phone.as_deref(), input.contact_address.as_deref());
    let txn = db.begin().await?;
    let focus_ids = check_focus_areas(&txn, &mut errors, &input.focus_areas).await?;
    errors.ok()?;
    let (legal_name, display_name, country) = (checked(legal_name)?, checked(display_name)?, checked(country)?);
    let now = clock.now();
    let model = organization::ActiveModel {
        id: Set(Uuid::now_v7()),
        search_text: Set(search_text(&legal_name, &display_name, mission.as_deref())),
        legal_name: Set(legal_name),
        display_name: Set(display_name),
        country_code: Set(country.as_str().to_owned()),
        org_type: Set(input.org_type),
        mission: Set(mission),
        website: Set(website),
        founded_year: Set(input.founded_year),
        staff_size: Set(input.staff_size),
        budget_amount: Set(budget.map(|(a, _)| a)),
        budget_currency: Set(budget.map(|(_, c)| c.as_str().to_owned())),
        languages: Set(StringList(languages)),
        visibility: Set(input.visibility.unwrap_or(Visibility::Network)),
        contact_email: Set(contact_email),
        contact_phone: Set(contact_phone),
        contact_address: Set(contact_address),
        created_at: Set(now),
        updated_at: Set(now),
        archived_at: Set(None),
        version: Set(1),
    };
    let created = model.insert(&txn).await?;
    replace_registrations(&txn, created.id, &country, &registrations).await?;
    replace_focus_areas(&txn, created.id, &focus_ids).await?;
    if let Some(owner) = input.owner {
        crate::memberships::service::grant(&txn, clock, owner, MembershipScope::Organization, created.id, Role::Owner).await?;
    }
    let event = DomainEvent::OrganizationCreated {
        organization: created.id,
        country: created.country_code.clone(),
        visibility: created.visibility.to_value(),
    };
    let events = vec![record(&txn, clock, actor, &event).await?];
    txn.commit().await?;
    Ok(Written::new(created, events))
}

async fn replace_registrations(
    db: &impl ConnectionTrait,
    org_id: Uuid,
    country: &CountryCode,
    regs: &[(RegistrationKind, String)],
) -> Result<(), WriteError> {
    organization_registration::Entity::delete_many().filter(organization_registration::Column::OrganizationId.eq(org_id)).exec(db).await?;
    if regs.is_empty() {
        return Ok(());
    }
    let rows = regs.iter().enumerate().map(|(i, (kind, number))| organization_registration::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(org_id),
        country_code: Set(country.as_str().to_owned()),
        kind: Set(*kind),
        number: Set(number.clone()),
        position: Set(i32::try_from(i).unwrap_or(i32::MAX)),
    });
    organization_registration::Entity::insert_many(rows).exec(db).await?;
    Ok(())
}

async fn replace_focus_areas(db: &impl ConnectionTrait, org_id: Uuid, ids: &[Uuid]) -> Result<(), WriteError> {
    organization_focus_area::Entity::delete_many().filter(organization_focus_area::Column::OrganizationId.eq(org_id)).exec(db).await?;
    if !ids.is_empty() {
        organization_focus_area::Entity::insert_many(
            ids.iter().map(|id| organization_focus_area::ActiveModel { organization_id: Set(org_id), focus_area_id: Set(*id) }),
        )
        .exec(db)
        .await?;
    }
    Ok(())
}

/// Who may do what to which organizations, for one write.
#[derive(Clone, Debug)]
pub struct WriteScopes {
    /// What the caller may read: outside it, NOT_FOUND (as if it did not exist).
    pub read: std::sync::Arc<OrgScope>,
    /// What the caller may change: outside it (but readable), FORBIDDEN.
    pub write: std::sync::Arc<OrgScope>,
}

async fn load_for_write(
    db: &impl ConnectionTrait,
    scopes: &WriteScopes,
    id: Uuid,
    expected_version: Option<i32>,
) -> Result<organization::Model, WriteError> {
    let found = organization::Entity::find_by_id(id).filter(super::service::scope_condition(&scopes.read)).one(db).await?;
    let Some(current) = found else {
        return Err(field_error(&["id"], UserErrorCode::NotFound, "no organization has this ID"));
    };
    if !scopes.write.contains(current.id, &current.country_code, current.visibility) {
        return Err(crate::error::ApiError::Forbidden("you may not change this organization".to_owned()).into());
    }
    if current.archived_at.is_some() {
        return Err(field_error(&["id"], UserErrorCode::Archived, "the organization is archived"));
    }
    if let Some(expected) = expected_version
        && expected != current.version
    {
        return Err(field_error(
            &["expectedVersion"],
            UserErrorCode::StaleVersion,
            format!("the organization changed since you read it (version {} now, {expected} read): reload and retry", current.version),
        ));
    }
    Ok(current)
}

async fn bump_version(db: &impl ConnectionTrait, id: Uuid, expected: i32) -> Result<(), WriteError> {
    let result = organization::Entity::update_many()
        .col_expr(organization::Column::Version, Expr::col(organization::Column::Version).add(1))
        .filter(organization::Column::Id.eq(id))
        .filter(organization::Column::Version.eq(expected))
        .exec(db)
        .await?;
    if result.rows_affected == 1 {
        Ok(())
    } else {
        Err(field_error(&["expectedVersion"], UserErrorCode::StaleVersion, "the organization changed since you read it: reload and retry"))
    }
}

/// Applies changes to an organization the caller may write to.
#[tracing::instrument(skip_all, fields(organization_id = %changes.id))]
pub async fn update<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    clock: &Clock,
    actor: &Actor,
    scopes: &WriteScopes,
    changes: OrganizationChanges,
) -> Result<Written<organization::Model>, WriteError> {
    let mut errors = Errors::default();
    let legal_name = changes.legal_name.as_deref().and_then(|v| line(&mut errors, "legalName", v));
    let display_name = changes.display_name.as_deref().and_then(|v| line(&mut errors, "displayName", v));
    let country = changes.country.as_deref().and_then(|c| check_country(&mut errors, c));
    let registrations = changes.registrations.as_ref().map(|r| check_registrations(&mut errors, r));
    let mission =
        changes.mission.as_ref().map(|m| errors.check(&["mission"], text::optional_paragraph(m.as_deref(), 2000), text_code).flatten());
    let website = changes.website.as_ref().map(|w| {
        w.as_deref().map(str::trim).filter(|w| !w.is_empty()).and_then(|w| errors.check(&["website"], text::website(w), text_code))
    });
    if let Some(Some(year)) = changes.founded_year {
        check_founded(&mut errors, year);
    }
    let budget = changes.annual_budget.as_ref().map(|b| b.as_ref().and_then(|m| check_budget(&mut errors, m)));
    let languages = changes.languages.as_ref().map(|l| check_languages(&mut errors, l));
    let contact = (changes.contact_email.is_some() || changes.contact_phone.is_some() || changes.contact_address.is_some()).then(|| {
        let pick = |v: &Option<Option<String>>| v.clone().flatten();
        let checked = check_contact(
            &mut errors,
            pick(&changes.contact_email).as_deref(),
            pick(&changes.contact_phone).as_deref(),
            pick(&changes.contact_address).as_deref(),
        );
        (changes.contact_email.is_some(), changes.contact_phone.is_some(), changes.contact_address.is_some(), checked)
    });

    let txn = db.begin().await?;
    let current = load_for_write(&txn, scopes, changes.id, Some(changes.expected_version)).await?;
    let focus_ids = match &changes.focus_areas {
        Some(slugs) => Some(check_focus_areas(&txn, &mut errors, slugs).await?),
        None => None,
    };
    // A new country moves the registrations with it (they are stored with their country).
    let effective_country = match &country {
        Some(c) => Some(*c),
        None => CountryCode::parse(&current.country_code).ok(),
    };
    let effective_registrations = match registrations {
        Some(regs) => Some(regs),
        None if country.is_some() => Some(
            super::service::registrations_of(&txn, &[current.id])
                .await?
                .remove(&current.id)
                .unwrap_or_default()
                .into_iter()
                .map(|r| (r.kind, r.number))
                .collect(),
        ),
        None => None,
    };
    errors.ok()?;
    bump_version(&txn, current.id, current.version).await?;

    let mut model: organization::ActiveModel = current.clone().into();
    model.search_text = Set(search_text(
        legal_name.as_deref().unwrap_or(&current.legal_name),
        display_name.as_deref().unwrap_or(&current.display_name),
        match &mission {
            Some(m) => m.as_deref(),
            None => current.mission.as_deref(),
        },
    ));
    if let Some(v) = legal_name {
        model.legal_name = Set(v);
    }
    if let Some(v) = display_name {
        model.display_name = Set(v);
    }
    if let Some(c) = &country {
        model.country_code = Set(c.as_str().to_owned());
    }
    if let Some(t) = changes.org_type {
        model.org_type = Set(t);
    }
    if let Some(v) = mission {
        model.mission = Set(v);
    }
    if let Some(v) = website {
        model.website = Set(v);
    }
    if let Some(v) = changes.founded_year {
        model.founded_year = Set(v);
    }
    if let Some(v) = changes.staff_size {
        model.staff_size = Set(v);
    }
    if let Some(b) = budget {
        model.budget_amount = Set(b.map(|(a, _)| a));
        model.budget_currency = Set(b.map(|(_, c)| c.as_str().to_owned()));
    }
    if let Some(v) = languages {
        model.languages = Set(StringList(v));
    }
    if let Some(v) = changes.visibility {
        model.visibility = Set(v);
    }
    if let Some((set_email, set_phone, set_address, (email, phone, address))) = contact {
        if set_email {
            model.contact_email = Set(email);
        }
        if set_phone {
            model.contact_phone = Set(phone);
        }
        if set_address {
            model.contact_address = Set(address);
        }
    }
    model.version = Set(current.version + 1);
    model.updated_at = Set(clock.now());
    let updated = model.update(&txn).await?;
    if let (Some(c), Some(regs)) = (effective_country, effective_registrations) {
        replace_registrations(&txn, updated.id, &c, &regs).await?;
    }
    let mut changed = changed_fields(&current, &updated);
    if changes.registrations.is_some() {
        changed.push("registrations");
    }
    if let Some(ids) = focus_ids {
        replace_focus_areas(&txn, updated.id, &ids).await?;
        changed.push("focusAreas");
    }
    let event = DomainEvent::OrganizationUpdated {
        organization: updated.id,
        country: updated.country_code.clone(),
        changed: changed.into_iter().map(str::to_owned).collect(),
    };
    let events = vec![record(&txn, clock, actor, &event).await?];
    txn.commit().await?;
    Ok(Written::new(updated, events))
}

/// Archives an organization: it leaves lists and counts but stays readable by ID.
#[tracing::instrument(skip_all, fields(organization_id = %id))]
pub async fn archive<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    clock: &Clock,
    actor: &Actor,
    scopes: &WriteScopes,
    id: Uuid,
    expected_version: Option<i32>,
) -> Result<Written<organization::Model>, WriteError> {
    let txn = db.begin().await?;
    let current = load_for_write(&txn, scopes, id, expected_version).await?;
    bump_version(&txn, current.id, current.version).await?;
    let now = clock.now();
    let mut model: organization::ActiveModel = current.clone().into();
    model.archived_at = Set(Some(now));
    model.updated_at = Set(now);
    model.version = Set(current.version + 1);
    let archived = model.update(&txn).await?;
    let event = DomainEvent::OrganizationArchived { organization: archived.id, country: archived.country_code.clone() };
    let events = vec![record(&txn, clock, actor, &event).await?];
    txn.commit().await?;
    Ok(Written::new(archived, events))
}

/// The API names of the columns that differ (never their values: contact
/// details are sensitive and events travel far).
fn changed_fields(before: &organization::Model, after: &organization::Model) -> Vec<&'static str> {
    let pairs = [
        ("legalName", before.legal_name != after.legal_name),
        ("displayName", before.display_name != after.display_name),
        ("country", before.country_code != after.country_code),
        ("type", before.org_type != after.org_type),
        ("mission", before.mission != after.mission),
        ("website", before.website != after.website),
        ("foundedYear", before.founded_year != after.founded_year),
        ("staffSize", before.staff_size != after.staff_size),
        ("annualBudget", (before.budget_amount, &before.budget_currency) != (after.budget_amount, &after.budget_currency)),
        ("languages", before.languages != after.languages),
        ("visibility", before.visibility != after.visibility),
        ("contactEmail", before.contact_email != after.contact_email),
        ("contactPhone", before.contact_phone != after.contact_phone),
        ("contactAddress", before.contact_address != after.contact_address),
    ];
    pairs.into_iter().filter_map(|(name, differs)| differs.then_some(name)).collect()
}
