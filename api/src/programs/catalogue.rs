//! The catalogue's orders and its eligibility view: which programs an
//! organization may request now. SQL narrows the candidates only by
//! conditions every eligible program meets (open now, serving the
//! organization's country, stock left, no validation required when it has
//! none, a budget limit it fits); the facts the engine needs are then
//! gathered for all candidates at once (their countries, and the units
//! approved to the organization from each), and the one engine,
//! [`decide`], decides each. A constant number of statements, whatever the
//! number of programs; `Program.eligibility` on a page of programs is
//! batched the same way ([`eligibility_batch`]). No GraphQL types.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{donation_request, enums::DonationRequestStatus, organization, program, program_country};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Value,
    sea_query::{Expr, ExprTrait, Query},
};
use uuid::Uuid;

use super::{
    eligibility::{Budget, Eligibility, Facts, Standing, Window, cap_window, decide},
    service::{CatalogueFilter, by_ids, countries_of, filtered, standing, standings},
};
use crate::{auth::OrgScope, error::ApiError};

/// Fields the catalogue can be sorted by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProgramOrderField {
    /// When it was added.
    CreatedAt,
    /// Its slug (derived from its first name unless given).
    Slug,
    /// Its admin fee per unit, in minor units of its own currency.
    AdminFee,
}

/// How the catalogue is sorted; the id breaks ties.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProgramOrder {
    /// Field.
    pub field: ProgramOrderField,
    /// Ascending?
    pub ascending: bool,
}

impl Default for ProgramOrder {
    /// Newest first.
    fn default() -> Self {
        Self { field: ProgramOrderField::CreatedAt, ascending: false }
    }
}

impl ProgramOrder {
    /// The ordering's tag in cursors, e.g. `programs:created:desc`.
    pub fn tag(&self) -> String {
        let field = match self.field {
            ProgramOrderField::CreatedAt => "created",
            ProgramOrderField::Slug => "slug",
            ProgramOrderField::AdminFee => "admin_fee",
        };
        format!("programs:{field}:{}", if self.ascending { "asc" } else { "desc" })
    }

    /// The sort column.
    pub fn sort_column(&self) -> program::Column {
        match self.field {
            ProgramOrderField::CreatedAt => program::Column::CreatedAt,
            ProgramOrderField::Slug => program::Column::Slug,
            ProgramOrderField::AdminFee => program::Column::AdminFee,
        }
    }

    /// A row's sort key as cursor text.
    pub fn sort_key(&self, m: &program::Model) -> String {
        match self.field {
            ProgramOrderField::CreatedAt => m.created_at.to_rfc3339(),
            ProgramOrderField::Slug => m.slug.clone(),
            ProgramOrderField::AdminFee => m.admin_fee.to_string(),
        }
    }

    /// A cursor's key text as a SQL value (none: malformed).
    pub fn value_of(&self, key: &str) -> Option<Value> {
        match self.field {
            ProgramOrderField::CreatedAt => DateTime::parse_from_rfc3339(key).ok().map(|t| Value::from(t.to_utc())),
            ProgramOrderField::Slug => Some(Value::from(key.to_owned())),
            ProgramOrderField::AdminFee => key.parse::<i64>().ok().map(Value::from),
        }
    }
}

/// The catalogue narrowed to programs `organization` may possibly be eligible
/// for at `now`: each condition here is one the engine also requires, so no
/// eligible program is left out; the engine decides the rest.
fn candidates(
    filter: &CatalogueFilter,
    organization: &organization::Model,
    standing: Standing,
    now: DateTime<Utc>,
) -> sea_orm::Select<program::Entity> {
    let mut select = filtered(filter)
        .filter(Condition::any().add(program::Column::ActiveFrom.is_null()).add(program::Column::ActiveFrom.lte(now)))
        .filter(Condition::any().add(program::Column::ActiveUntil.is_null()).add(program::Column::ActiveUntil.gt(now)))
        .filter(
            program::Column::Id.in_subquery(
                Query::select()
                    .column(program_country::Column::ProgramId)
                    .from(program_country::Entity)
                    .and_where(Expr::col(program_country::Column::CountryCode).eq(organization.country_code.as_str()))
                    .to_owned(),
            ),
        )
        .filter(
            Condition::any()
                .add(program::Column::StockTotal.is_null())
                .add(Expr::col(program::Column::StockTotal).gt(Expr::col(program::Column::StockReserved))),
        );
    if standing != Standing::Validated {
        select = select.filter(program::Column::RequiresValidation.eq(false));
    }
    let budget_fits = match organization.budget_amount {
        Some(amount) => Condition::any().add(program::Column::MaxAnnualBudget.is_null()).add(program::Column::MaxAnnualBudget.gte(amount)),
        None => Condition::all().add(program::Column::MaxAnnualBudget.is_null()),
    };
    select.filter(budget_fits)
}

/// Units approved to an organization from a program within the cap's
/// window, and the oldest of those approvals.
type Units = (i64, Option<DateTime<Utc>>);

/// Approved units per (program, organization) pair with a capped program:
/// what each pair's window counts (its start excluded for a rolling window,
/// as [`super::service::units_since`] does), and the oldest approval counted.
/// One statement for all pairs.
async fn units_in_windows(
    db: &impl ConnectionTrait,
    windows: &HashMap<(Uuid, Uuid), Window>,
) -> Result<HashMap<(Uuid, Uuid), Units>, ApiError> {
    let Some(earliest) = windows.values().map(|w| w.from).min() else { return Ok(HashMap::new()) };
    let mut programs: Vec<Uuid> = windows.keys().map(|(p, _)| *p).collect();
    let mut organizations: Vec<Uuid> = windows.keys().map(|(_, o)| *o).collect();
    programs.sort_unstable();
    programs.dedup();
    organizations.sort_unstable();
    organizations.dedup();
    let rows: Vec<(Uuid, Uuid, i32, Option<DateTime<Utc>>)> = donation_request::Entity::find()
        .select_only()
        .column(donation_request::Column::ProgramId)
        .column(donation_request::Column::OrganizationId)
        .column(donation_request::Column::Quantity)
        .column(donation_request::Column::ApprovedAt)
        .filter(donation_request::Column::OrganizationId.is_in(organizations))
        .filter(donation_request::Column::ProgramId.is_in(programs))
        .filter(donation_request::Column::Status.is_in([DonationRequestStatus::Approved, DonationRequestStatus::Fulfilled]))
        .filter(donation_request::Column::ApprovedAt.gte(earliest))
        .into_tuple()
        .all(db)
        .await?;
    let mut out: HashMap<(Uuid, Uuid), Units> = HashMap::new();
    for (program, organization, quantity, approved_at) in rows {
        let pair = (program, organization);
        let (Some(window), Some(at)) = (windows.get(&pair), approved_at) else { continue };
        let counted = if window.next.is_none() { at > window.from } else { at >= window.from };
        if counted {
            let entry = out.entry(pair).or_insert((0, None));
            entry.0 += i64::from(quantity);
            entry.1 = Some(entry.1.map_or(at, |oldest| Ord::min(oldest, at)));
        }
    }
    Ok(out)
}

/// The engine's decision for each (program, organization) pair, the facts
/// gathered for all pairs at once: the programs' countries, the
/// organizations' standings and the units approved in each pair's window.
async fn decide_pairs(
    db: &impl ConnectionTrait,
    programs: &HashMap<Uuid, program::Model>,
    organizations: &HashMap<Uuid, organization::Model>,
    pairs: &[(Uuid, Uuid)],
    now: DateTime<Utc>,
) -> Result<HashMap<(Uuid, Uuid), Eligibility>, ApiError> {
    let program_ids: Vec<Uuid> = programs.keys().copied().collect();
    let organization_ids: Vec<Uuid> = organizations.keys().copied().collect();
    let countries = countries_of(db, &program_ids).await?;
    let standings = standings(db, &organization_ids, now).await?;
    let windows: HashMap<(Uuid, Uuid), Window> = pairs
        .iter()
        .filter(|(_, o)| organizations.contains_key(o))
        .filter_map(|pair| programs.get(&pair.0).and_then(|p| cap_window(p, now)).map(|w| (*pair, w)))
        .collect();
    let units = units_in_windows(db, &windows).await?;
    let mut out = HashMap::new();
    for pair in pairs {
        let (Some(program), Some(organization)) = (programs.get(&pair.0), organizations.get(&pair.1)) else { continue };
        let (units_in_window, oldest_in_window) = units.get(pair).copied().unwrap_or((0, None));
        let budget = match (organization.budget_amount, &organization.budget_currency) {
            (Some(amount), Some(currency)) => Some(Budget { amount, currency: currency.clone() }),
            _ => None,
        };
        let organization_type = sea_orm::ActiveEnum::to_value(&organization.org_type);
        let decision = decide(&Facts {
            program,
            program_countries: countries.get(&program.id).map_or(&[], Vec::as_slice),
            country: &organization.country_code,
            organization_type: &organization_type,
            budget,
            standing: standings.get(&organization.id).copied().unwrap_or(Standing::NotValidated),
            units_in_window,
            oldest_in_window,
            now,
        });
        out.insert(*pair, decision);
    }
    Ok(out)
}

/// The programs of `filter` that `organization` (already known visible to
/// the caller) is eligible for at `now`, each with what the engine answered.
pub async fn eligible_programs(
    db: &impl ConnectionTrait,
    filter: &CatalogueFilter,
    organization: &organization::Model,
    now: DateTime<Utc>,
) -> Result<HashMap<Uuid, Eligibility>, ApiError> {
    let standing = standing(db, organization.id, now).await?;
    let programs: HashMap<Uuid, program::Model> =
        candidates(filter, organization, standing, now).all(db).await?.into_iter().map(|p| (p.id, p)).collect();
    if programs.is_empty() {
        return Ok(HashMap::new());
    }
    let pairs: Vec<(Uuid, Uuid)> = programs.keys().map(|p| (*p, organization.id)).collect();
    let organizations = HashMap::from([(organization.id, organization.clone())]);
    let decided = decide_pairs(db, &programs, &organizations, &pairs, now).await?;
    Ok(decided.into_iter().filter(|(_, e)| matches!(e, Eligibility::Eligible { .. })).map(|((p, _), e)| (p, e)).collect())
}

/// What `Program.eligibility(organization:)` asks: a program, an
/// organization, and the request's time.
pub type EligibilityKey = (Uuid, Uuid, DateTime<Utc>);

/// The engine's decision for each key whose organization is in `scope`
/// (the others are absent: NOT_FOUND to the caller), for the batch loader of
/// `Program.eligibility`: a constant number of statements for a whole page.
/// The keys of a batch come from one request, microseconds apart: the
/// latest time is the batch's now.
pub async fn eligibility_batch(
    db: &impl ConnectionTrait,
    scope: &OrgScope,
    keys: &[EligibilityKey],
) -> Result<HashMap<EligibilityKey, Eligibility>, ApiError> {
    let Some(now) = keys.iter().map(|k| k.2).max() else { return Ok(HashMap::new()) };
    let mut program_ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
    let mut organization_ids: Vec<Uuid> = keys.iter().map(|k| k.1).collect();
    program_ids.sort_unstable();
    program_ids.dedup();
    organization_ids.sort_unstable();
    organization_ids.dedup();
    let organizations: HashMap<Uuid, organization::Model> =
        crate::organizations::service::by_ids(db, scope, &organization_ids).await?.into_iter().map(|o| (o.id, o)).collect();
    if organizations.is_empty() {
        return Ok(HashMap::new());
    }
    let programs = by_ids(db, &program_ids).await?;
    let pairs: Vec<(Uuid, Uuid)> = keys.iter().map(|k| (k.0, k.1)).collect();
    let decided = decide_pairs(db, &programs, &organizations, &pairs, now).await?;
    Ok(keys.iter().filter_map(|k| decided.get(&(k.0, k.1)).map(|e| (*k, e.clone()))).collect())
}
