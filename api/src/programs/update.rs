//! Changing and archiving programs. A change is checked as a whole program
//! (the current one with the changes applied) by the same rules as a new one,
//! then written only if nobody changed the program meanwhile (its version)
//! and, when the stock changes, only if the new stock still covers the units
//! approved requests reserved: one conditional UPDATE, so an approval racing
//! the change cannot leave the stock below what is reserved.

use chrono::{DateTime, Utc};
use entity::{
    enums::{OrganizationType, ProgramCategory},
    program, program_country, program_text,
};
use sea_orm::{
    ActiveEnum, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, TransactionSession, TransactionTrait,
    sea_query::{Expr, ExprTrait},
};
use uuid::Uuid;

use super::{
    service,
    write::{Amount, CapInput, ProgramInput, TextInput, check_program, text_rows},
};
use crate::{
    auth::{Caller, Policy},
    clock::Clock,
    events::{Actor, DomainEvent, Written, record},
    user_errors::{UserErrorCode, WriteError, field_error},
};

/// Changes to a program: `None` leaves a field as it is; for the fields that
/// can be cleared, `Some(None)` clears them.
#[derive(Clone, Debug, Default)]
pub struct ProgramChanges {
    /// The program.
    pub program: Uuid,
    /// The version the caller read.
    pub expected_version: i32,
    /// New slug.
    pub slug: Option<String>,
    /// Names and descriptions: replace all of them.
    pub texts: Option<Vec<TextInput>>,
    /// What it donates.
    pub category: Option<ProgramCategory>,
    /// Retail value of a unit (its currency becomes the program's).
    pub unit_value: Option<Amount>,
    /// Admin fee per unit.
    pub admin_fee: Option<Amount>,
    /// Countries: replace all of them.
    pub countries: Option<Vec<String>>,
    /// Eligible organization types (empty: all).
    pub eligible_types: Option<Vec<OrganizationType>>,
    /// Largest annual budget (cleared: no limit).
    pub max_annual_budget: Option<Option<Amount>>,
    /// An approval in force is required.
    pub requires_validation: Option<bool>,
    /// The cap (cleared: no cap).
    pub cap: Option<Option<CapInput>>,
    /// Units in stock (cleared: unlimited).
    pub stock: Option<Option<i32>>,
    /// Open from (cleared: since its creation).
    pub active_from: Option<Option<DateTime<Utc>>>,
    /// Open until (cleared: no end).
    pub active_until: Option<Option<DateTime<Utc>>>,
    /// Approve eligible requests at once.
    pub auto_approve: Option<bool>,
}

impl ProgramChanges {
    /// The API names of the fields given.
    fn given(&self) -> Vec<String> {
        let fields = [
            ("slug", self.slug.is_some()),
            ("translations", self.texts.is_some()),
            ("category", self.category.is_some()),
            ("unitValue", self.unit_value.is_some()),
            ("adminFee", self.admin_fee.is_some()),
            ("countries", self.countries.is_some()),
            ("eligibleTypes", self.eligible_types.is_some()),
            ("maxAnnualBudget", self.max_annual_budget.is_some()),
            ("requiresValidation", self.requires_validation.is_some()),
            ("cap", self.cap.is_some()),
            ("stock", self.stock.is_some()),
            ("activeFrom", self.active_from.is_some()),
            ("activeUntil", self.active_until.is_some()),
            ("autoApprove", self.auto_approve.is_some()),
        ];
        fields.into_iter().filter(|(_, given)| *given).map(|(name, _)| name.to_owned()).collect()
    }
}

fn stale() -> WriteError {
    field_error(&["expectedVersion"], UserErrorCode::StaleVersion, "the program changed since you read it: reload and retry")
}

fn below_reserved(stock: i32, reserved: i32) -> WriteError {
    field_error(
        &["stock"],
        UserErrorCode::StockBelowReserved,
        format!("{reserved} units are reserved by approved requests: the stock cannot go below that (given {stock})"),
    )
}

/// The program the caller may change: it exists (else NOT_FOUND), the caller
/// manages its donor's catalogue, it is not archived, and its version is the
/// one the caller read (else STALE_VERSION).
async fn load_for_write(db: &impl ConnectionTrait, caller: &Caller, id: Uuid, expected: i32) -> Result<program::Model, WriteError> {
    let Some(current) = program::Entity::find_by_id(id).one(db).await? else {
        return Err(field_error(&["program"], UserErrorCode::NotFound, "no program has this ID"));
    };
    Policy.authorize_program_write(caller, current.donor_id)?;
    if current.archived_at.is_some() {
        return Err(field_error(&["program"], UserErrorCode::Archived, "the program is archived"));
    }
    if current.version != expected {
        return Err(field_error(
            &["expectedVersion"],
            UserErrorCode::StaleVersion,
            format!("the program changed since you read it (version {} now, {expected} read): reload and retry", current.version),
        ));
    }
    Ok(current)
}

/// The program as it would be with `changes` applied, as a whole input.
async fn merged(db: &impl ConnectionTrait, current: &program::Model, changes: &ProgramChanges) -> Result<ProgramInput, WriteError> {
    let amount = |value: i64| Amount { amount: value, currency: current.currency.clone() };
    let texts = match &changes.texts {
        Some(texts) => texts.clone(),
        None => service::texts_of(db, &[current.id])
            .await?
            .remove(&current.id)
            .unwrap_or_default()
            .into_iter()
            .map(|t| TextInput { language: t.language, name: t.name, description: t.description })
            .collect(),
    };
    let countries = match &changes.countries {
        Some(countries) => countries.clone(),
        None => service::countries_of(db, &[current.id]).await?.remove(&current.id).unwrap_or_default(),
    };
    let current_cap = match (current.cap_units, current.cap_period) {
        (Some(units), Some(period)) => {
            Some(CapInput { units, period, months: current.cap_months, fiscal_year_start_month: current.fiscal_year_start_month })
        }
        _ => None,
    };
    Ok(ProgramInput {
        donor: current.donor_id,
        slug: Some(changes.slug.clone().unwrap_or_else(|| current.slug.clone())),
        texts,
        category: changes.category.unwrap_or(current.category),
        unit_value: changes.unit_value.clone().unwrap_or_else(|| amount(current.unit_value)),
        admin_fee: changes.admin_fee.clone().unwrap_or_else(|| amount(current.admin_fee)),
        countries,
        eligible_types: match &changes.eligible_types {
            Some(types) => types.clone(),
            None => current.eligible_types.0.iter().filter_map(|t| OrganizationType::try_from_value(t).ok()).collect(),
        },
        max_annual_budget: changes.max_annual_budget.clone().unwrap_or_else(|| current.max_annual_budget.map(amount)),
        requires_validation: changes.requires_validation.unwrap_or(current.requires_validation),
        cap: changes.cap.unwrap_or(current_cap),
        stock: changes.stock.unwrap_or(current.stock_total),
        active_from: changes.active_from.unwrap_or(current.active_from),
        active_until: changes.active_until.unwrap_or(current.active_until),
        auto_approve: changes.auto_approve.unwrap_or(current.auto_approve),
    })
}

/// Changes a program of a donor's catalogue (its admins, its keys with
/// `programs:write`, platform admins).
#[tracing::instrument(skip_all, fields(program_id = %changes.program))]
pub async fn update<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    clock: &Clock,
    caller: &Caller,
    changes: ProgramChanges,
) -> Result<Written<program::Model>, WriteError> {
    let current = load_for_write(db, caller, changes.program, changes.expected_version).await?;
    let actor = Actor::of(caller)?;
    let input = merged(db, &current, &changes).await?;
    let valid = check_program(db, &input, Some(current.id)).await?;
    if let Some(stock) = input.stock
        && stock < current.stock_reserved
    {
        return Err(below_reserved(stock, current.stock_reserved));
    }
    let now = clock.now();
    let txn = db.begin().await?;
    let row = program::ActiveModel { version: Set(current.version + 1), updated_at: Set(now), ..valid.columns(&input) };
    let mut conditional = program::Entity::update_many()
        .set(row)
        .filter(program::Column::Id.eq(current.id))
        .filter(program::Column::Version.eq(current.version))
        .filter(program::Column::ArchivedAt.is_null());
    if let Some(stock) = input.stock {
        // An approval may have reserved more since the check above.
        conditional = conditional.filter(Expr::col(program::Column::StockReserved).lte(stock));
    }
    if conditional.exec(&txn).await?.rows_affected != 1 {
        let now_reserved = program::Entity::find_by_id(current.id).one(&txn).await?;
        return Err(match (now_reserved, input.stock) {
            (Some(p), Some(stock)) if p.version == current.version && p.archived_at.is_none() => below_reserved(stock, p.stock_reserved),
            _ => stale(),
        });
    }
    if changes.texts.is_some() {
        program_text::Entity::delete_many().filter(program_text::Column::ProgramId.eq(current.id)).exec(&txn).await?;
        program_text::Entity::insert_many(text_rows(current.id, valid.texts)).exec(&txn).await?;
    }
    if changes.countries.is_some() {
        program_country::Entity::delete_many().filter(program_country::Column::ProgramId.eq(current.id)).exec(&txn).await?;
        program_country::Entity::insert_many(
            valid.countries.iter().map(|c| program_country::ActiveModel { program_id: Set(current.id), country_code: Set(c.clone()) }),
        )
        .exec(&txn)
        .await?;
    }
    let updated = program::Entity::find_by_id(current.id).one(&txn).await?.ok_or_else(stale)?;
    let event = DomainEvent::ProgramUpdated { program: current.id, donor: current.donor_id, changed: changes.given() };
    let events = vec![record(&txn, clock, &actor, &event).await?];
    txn.commit().await?;
    Ok(Written::new(updated, events))
}

/// Withdraws a program from the catalogue: it no longer lists, and the engine
/// answers PROGRAM_INACTIVE for it; its requests stay as they are.
#[tracing::instrument(skip_all, fields(program_id = %id))]
pub async fn archive<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    clock: &Clock,
    caller: &Caller,
    id: Uuid,
    expected_version: i32,
) -> Result<Written<program::Model>, WriteError> {
    let current = load_for_write(db, caller, id, expected_version).await?;
    let actor = Actor::of(caller)?;
    let now = clock.now();
    let txn = db.begin().await?;
    let row =
        program::ActiveModel { archived_at: Set(Some(now)), version: Set(current.version + 1), updated_at: Set(now), ..Default::default() };
    let result = program::Entity::update_many()
        .set(row)
        .filter(program::Column::Id.eq(current.id))
        .filter(program::Column::Version.eq(current.version))
        .filter(program::Column::ArchivedAt.is_null())
        .exec(&txn)
        .await?;
    if result.rows_affected != 1 {
        return Err(stale());
    }
    let archived = program::Entity::find_by_id(current.id).one(&txn).await?.ok_or_else(stale)?;
    let event = DomainEvent::ProgramArchived { program: current.id, donor: current.donor_id };
    let events = vec![record(&txn, clock, &actor, &event).await?];
    txn.commit().await?;
    Ok(Written::new(archived, events))
}
