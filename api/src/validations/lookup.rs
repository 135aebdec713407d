//! The donor lookup (issue 10, item 7): "is this organization vetted and
//! eligible?", by ID or by registration number, one at a time or up to 100 at
//! once, in a constant number of statements. An organization the caller may
//! not see answers exactly like one that does not exist. Every organization a
//! donor finds is recorded (`validation_lookups`), and its owners and admins
//! can list who checked it and when.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use entity::{
    donor,
    enums::{RegistrationKind, ValidationStatus},
    organization, organization_registration as registration, partner, validation, validation_lookup as lookup,
};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set, Value};
use uuid::Uuid;

use crate::{
    auth::{Caller, Policy},
    clock::Clock,
    error::ApiError,
    pagination::{Keyset, Page, PageRequest, paginate},
};

/// Most lookups one `validationStatuses` may ask.
pub const MAX_LOOKUPS: usize = 100;

/// A registration identifier as a donor knows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegistrationKey {
    /// The organization's country (ISO code, upper case).
    pub country: String,
    /// Kind of identifier.
    pub kind: RegistrationKind,
    /// The number, as typed (normalized like stored numbers before matching).
    pub number: String,
}

/// What a lookup names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LookupKey {
    /// An organization's id.
    Organization(Uuid),
    /// A registration identifier.
    Registration(RegistrationKey),
}

/// The validation status of an organization found.
#[derive(Clone, Debug)]
pub struct StatusOf {
    /// The organization.
    pub organization: organization::Model,
    /// The case that stands: an approval not past its end (even while a
    /// renewal is open), else its newest case; none if it never had one.
    pub case: Option<validation::Model>,
    /// The partner reviewing (or having reviewed) that case.
    pub partner: Option<partner::Model>,
    /// It holds an approval whose validity has not ended.
    pub eligible: bool,
}

/// Answers lookups in input order (None: not found, or not visible to the
/// caller), and records the organizations found for the caller's donors.
/// Statements: shared organizations (donors only), registrations (when some
/// lookup names one), organizations, cases, partners, and one insert of the
/// record (donors, when something was found): never more, whatever the size.
#[tracing::instrument(skip_all, fields(lookups = keys.len()))]
pub async fn look_up(
    db: &impl ConnectionTrait,
    clock: &Clock,
    caller: &Caller,
    keys: &[LookupKey],
) -> Result<Vec<Option<StatusOf>>, ApiError> {
    let grant = Policy.authorize_validation_lookup(caller)?;
    if keys.len() > MAX_LOOKUPS {
        return Err(ApiError::BadUserInput(format!("at most {MAX_LOOKUPS} lookups at once, not {}", keys.len())));
    }
    let now = clock.now();
    let shared = if grant.donors.is_empty() { Vec::new() } else { super::sharing::shared_with(db, &grant.donors, now).await? };
    let scope = grant.with_shared(shared);

    let wanted: Vec<(String, RegistrationKind, String)> = keys
        .iter()
        .filter_map(|k| match k {
            LookupKey::Registration(r) => Some(normalized(r)),
            LookupKey::Organization(_) => None,
        })
        .collect();
    let registrations = registrations_matching(db, &wanted).await?;
    let mut ids: HashSet<Uuid> = registrations.iter().map(|r| r.organization_id).collect();
    ids.extend(keys.iter().filter_map(|k| match k {
        LookupKey::Organization(id) => Some(*id),
        LookupKey::Registration(_) => None,
    }));
    let ids: Vec<Uuid> = ids.into_iter().collect();
    let organizations: HashMap<Uuid, organization::Model> = crate::organizations::service::by_ids(db, &scope, &ids)
        .await?
        .into_iter()
        .filter(|o| o.archived_at.is_none())
        .map(|o| (o.id, o))
        .collect();

    // Each key to the organization it names: by id, or the oldest visible one
    // holding the registration (numbers are not unique).
    let chosen: Vec<Option<&organization::Model>> = keys
        .iter()
        .map(|key| match key {
            LookupKey::Organization(id) => organizations.get(id),
            LookupKey::Registration(r) => {
                let (country, kind, number) = normalized(r);
                registrations
                    .iter()
                    .filter(|reg| reg.country_code == country && reg.kind == kind && reg.number == number)
                    .filter_map(|reg| organizations.get(&reg.organization_id))
                    .min_by_key(|o| (o.created_at, o.id))
            }
        })
        .collect();
    let found: Vec<Uuid> = {
        let mut seen = HashSet::new();
        chosen.iter().flatten().map(|o| o.id).filter(|id| seen.insert(*id)).collect()
    };
    let cases = super::service::standing_of(db, &found, now).await?;
    let partner_ids: Vec<Uuid> = cases.values().filter_map(|c| c.partner_id).collect();
    let partners: HashMap<Uuid, partner::Model> =
        crate::partners::service::by_ids(db, &partner_ids).await?.into_iter().map(|p| (p.id, p)).collect();
    record_lookups(db, caller, &grant.donors, &found, now).await?;

    Ok(chosen
        .into_iter()
        .map(|org| {
            let org = org?;
            let case = cases.get(&org.id).cloned();
            let partner = case.as_ref().and_then(|c| c.partner_id).and_then(|p| partners.get(&p).cloned());
            let eligible = case.as_ref().is_some_and(|c| c.status == ValidationStatus::Approved && c.valid_until.is_some_and(|t| t > now));
            Some(StatusOf { organization: org.clone(), case, partner, eligible })
        })
        .collect())
}

fn normalized(r: &RegistrationKey) -> (String, RegistrationKind, String) {
    (r.country.trim().to_ascii_uppercase(), r.kind, crate::organizations::service::normalize_number(&r.number))
}

/// Registrations holding any of the wanted identifiers, in one statement
/// (none when nothing is wanted). The index on (country, kind, number) serves it.
async fn registrations_matching(
    db: &impl ConnectionTrait,
    wanted: &[(String, RegistrationKind, String)],
) -> Result<Vec<registration::Model>, ApiError> {
    if wanted.is_empty() {
        return Ok(Vec::new());
    }
    let countries: HashSet<&String> = wanted.iter().map(|(c, _, _)| c).collect();
    let kinds: HashSet<RegistrationKind> = wanted.iter().map(|(_, k, _)| *k).collect();
    let numbers: HashSet<&String> = wanted.iter().map(|(_, _, n)| n).collect();
    let rows = registration::Entity::find()
        .filter(registration::Column::CountryCode.is_in(countries.into_iter().cloned()))
        .filter(registration::Column::Kind.is_in(kinds))
        .filter(registration::Column::Number.is_in(numbers.into_iter().cloned()))
        .all(db)
        .await?;
    Ok(rows.into_iter().filter(|r| wanted.iter().any(|(c, k, n)| *c == r.country_code && *k == r.kind && *n == r.number)).collect())
}

/// One row per organization found and donor, in one statement.
async fn record_lookups(
    db: &impl ConnectionTrait,
    caller: &Caller,
    donors: &[Uuid],
    found: &[Uuid],
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    if donors.is_empty() || found.is_empty() {
        return Ok(());
    }
    let (api_key, user) = match caller {
        Caller::ApiKey(k) => (Some(k.key_id), None),
        Caller::User(u) => (None, Some(u.user_id)),
        Caller::Anonymous | Caller::System => (None, None),
    };
    let rows = donors.iter().flat_map(|donor| {
        found.iter().map(move |org| lookup::ActiveModel {
            id: Set(Uuid::now_v7()),
            organization_id: Set(*org),
            donor_id: Set(*donor),
            api_key_id: Set(api_key),
            user_id: Set(user),
            looked_up_at: Set(now),
        })
    });
    lookup::Entity::insert_many(rows).exec(db).await?;
    Ok(())
}

/// One lookup of an organization, with its donor.
pub type LookupWithDonor = (lookup::Model, Option<donor::Model>);

/// One page of the lookups of an organization, newest first, with their
/// donors (two statements). The caller has asked the policy.
pub async fn lookups_of(db: &impl ConnectionTrait, organization: Uuid, page: &PageRequest) -> Result<Page<LookupWithDonor>, ApiError> {
    let select = lookup::Entity::find().filter(lookup::Column::OrganizationId.eq(organization));
    let keyset = Keyset { tag: "lookup:at:desc".to_owned(), sort: lookup::Column::LookedUpAt, id: lookup::Column::Id, ascending: false };
    let parse = |k: &str| DateTime::parse_from_rfc3339(k).ok().map(|t| Value::from(t.to_utc()));
    let rows = paginate(db, select, &keyset, page, |m| (m.looked_up_at.to_rfc3339(), m.id), parse).await?;
    let donor_ids: Vec<Uuid> = rows.items.iter().map(|(_, m)| m.donor_id).collect();
    let donors = super::sharing::donors_by_id(db, &donor_ids).await?;
    Ok(Page {
        items: rows
            .items
            .into_iter()
            .map(|(cursor, m)| {
                let donor = donors.iter().find(|d| d.id == m.donor_id).cloned();
                (cursor, (m, donor))
            })
            .collect(),
        has_next_page: rows.has_next_page,
        has_previous_page: rows.has_previous_page,
    })
}

/// Number of lookups of an organization.
pub async fn count_lookups_of(db: &impl ConnectionTrait, organization: Uuid) -> Result<u64, ApiError> {
    Ok(lookup::Entity::find().filter(lookup::Column::OrganizationId.eq(organization)).count(db).await?)
}
