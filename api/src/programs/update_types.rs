//! GraphQL inputs and payloads of `updateProgram` and `archiveProgram`, and
//! their conversion to the write's changes.

use async_graphql::{ID, InputObject, MaybeUndefined};
use chrono::{DateTime, Utc};

use super::{
    types::{Program, ProgramCapInput, ProgramCategory, ProgramTextInput},
    update::ProgramChanges,
    write::{Amount, CapInput, TextInput},
};
use crate::{
    graphql::{
        relay::decode_uuid,
        scalars::{CountryCode, MoneyValue},
        user_error::payload,
    },
    organizations::types::OrganizationType,
};

/// Input of `updateProgram`: the fields given change, the others stay.
/// Fields that can be cleared take `null` (no limit, no cap, unlimited stock,
/// no start or end).
#[derive(InputObject)]
pub struct UpdateProgramInput {
    /// The program.
    pub program: ID,
    /// The `version` you read (else STALE_VERSION, nothing changed).
    pub expected_version: i32,
    /// URL-safe handle, unique per donor.
    pub slug: Option<String>,
    /// Name and description in one or more languages: replaces all of them.
    pub translations: Option<Vec<ProgramTextInput>>,
    /// What it donates.
    pub category: Option<ProgramCategory>,
    /// Retail value of one unit; its currency becomes the program's, so the
    /// admin fee and budget limit must be in it too (else CURRENCY_MISMATCH).
    pub unit_value: Option<MoneyValue>,
    /// Admin fee per unit, in the program's currency (else CURRENCY_MISMATCH).
    pub admin_fee: Option<MoneyValue>,
    /// Countries where it is available: replaces all of them.
    pub countries: Option<Vec<CountryCode>>,
    /// Eligible organization types (empty: every type).
    pub eligible_types: Option<Vec<OrganizationType>>,
    /// Largest annual budget of an eligible organization (null: no limit).
    pub max_annual_budget: MaybeUndefined<MoneyValue>,
    /// Only organizations with an approved validation may request it.
    pub requires_validation: Option<bool>,
    /// Units an organization may receive per period (null: no cap).
    pub cap: MaybeUndefined<ProgramCapInput>,
    /// Units in stock in all (null: unlimited); never below the units
    /// approved requests reserved (else STOCK_BELOW_RESERVED).
    pub stock: MaybeUndefined<i32>,
    /// Requests are taken from this time (null: since its creation).
    pub active_from: MaybeUndefined<DateTime<Utc>>,
    /// Requests are taken until this time (null: no end).
    pub active_until: MaybeUndefined<DateTime<Utc>>,
    /// Approve requests of eligible organizations at once.
    pub auto_approve: Option<bool>,
}

/// Input of `archiveProgram`.
#[derive(InputObject)]
pub struct ArchiveProgramInput {
    /// The program.
    pub program: ID,
    /// The `version` you read (else STALE_VERSION, nothing changed).
    pub expected_version: i32,
}

payload! {
    /// Result of `updateProgram`.
    UpdateProgramPayload { program: Program, "The updated program" }
    /// Result of `archiveProgram`.
    ArchiveProgramPayload { program: Program, "The archived program" }
}

fn maybe<T, U>(value: MaybeUndefined<T>, map: impl FnOnce(T) -> U) -> Option<Option<U>> {
    match value {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(v) => Some(Some(map(v))),
    }
}

fn amount(m: MoneyValue) -> Amount {
    Amount { amount: m.amount, currency: m.currency }
}

fn cap(c: ProgramCapInput) -> CapInput {
    CapInput { units: c.units, period: c.period.into(), months: c.months, fiscal_year_start_month: c.fiscal_year_start_month }
}

impl UpdateProgramInput {
    /// The write's changes (the program's ID decoded).
    pub fn changes(self) -> Result<ProgramChanges, crate::error::ApiError> {
        Ok(ProgramChanges {
            program: decode_uuid(&self.program, Program::KIND)?,
            expected_version: self.expected_version,
            slug: self.slug,
            texts: self
                .translations
                .map(|ts| ts.into_iter().map(|t| TextInput { language: t.language, name: t.name, description: t.description }).collect()),
            category: self.category.map(Into::into),
            unit_value: self.unit_value.map(amount),
            admin_fee: self.admin_fee.map(amount),
            countries: self.countries.map(|cs| cs.into_iter().map(|c| c.0).collect()),
            eligible_types: self.eligible_types.map(|ts| ts.into_iter().map(Into::into).collect()),
            max_annual_budget: maybe(self.max_annual_budget, amount),
            requires_validation: self.requires_validation,
            cap: maybe(self.cap, cap),
            stock: maybe(self.stock, |s| s),
            active_from: maybe(self.active_from, |t| t),
            active_until: maybe(self.active_until, |t| t),
            auto_approve: self.auto_approve,
        })
    }
}
