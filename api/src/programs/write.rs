//! Writes of programs: a donor's catalogue. Each write checks its whole input
//! first (user errors, nothing changed), asks the policy, and records a domain
//! event in its transaction.

use chrono::{DateTime, Utc};
use entity::{
    StringList, donor,
    enums::{CapPeriod, OrganizationType, ProgramCategory},
    program, program_country, program_text,
};
use sea_orm::{
    ActiveEnum, ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, TransactionSession, TransactionTrait,
};
use uuid::Uuid;

use crate::{
    auth::{Caller, Policy},
    clock::Clock,
    domain::{self, text},
    events::{Actor, DomainEvent, Written, record},
    user_errors::{Errors, UserErrorCode, WriteError, checked, field_error, text_code},
};

/// Longest program name.
pub const MAX_NAME_CHARS: usize = 200;
/// Longest description.
pub const MAX_DESCRIPTION_CHARS: usize = 10_000;
/// Most languages a program is described in.
pub const MAX_TEXTS: usize = 20;
/// Most countries a program lists.
pub const MAX_COUNTRIES: usize = 250;

/// A program's name and description in one language.
#[derive(Clone, Debug)]
pub struct TextInput {
    /// BCP 47 tag.
    pub language: String,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
}

/// A program's cap per organization.
#[derive(Clone, Copy, Debug)]
pub struct CapInput {
    /// Units per period.
    pub units: i32,
    /// How the period runs.
    pub period: CapPeriod,
    /// Rolling: months (1 to 60).
    pub months: Option<i32>,
    /// Fiscal year: its first month (1 to 12).
    pub fiscal_year_start_month: Option<i32>,
}

/// An amount as given (currency format-checked by the scalar).
#[derive(Clone, Debug)]
pub struct Amount {
    /// Minor units.
    pub amount: i64,
    /// ISO 4217.
    pub currency: String,
}

/// A new program.
#[derive(Clone, Debug)]
pub struct ProgramInput {
    /// The donor.
    pub donor: Uuid,
    /// URL-safe handle; from the first name when absent.
    pub slug: Option<String>,
    /// Names and descriptions (at least one; English is the fallback when present).
    pub texts: Vec<TextInput>,
    /// What it donates.
    pub category: ProgramCategory,
    /// Retail value of a unit.
    pub unit_value: Amount,
    /// Admin fee per unit, in the same currency.
    pub admin_fee: Amount,
    /// Countries where it is available (at least one).
    pub countries: Vec<String>,
    /// Eligible organization types (empty: all).
    pub eligible_types: Vec<OrganizationType>,
    /// Largest annual budget of an eligible organization, in the same currency.
    pub max_annual_budget: Option<Amount>,
    /// An approval in force is required.
    pub requires_validation: bool,
    /// The cap per organization.
    pub cap: Option<CapInput>,
    /// Units in stock (none: unlimited).
    pub stock: Option<i32>,
    /// Open from.
    pub active_from: Option<DateTime<Utc>>,
    /// Open until.
    pub active_until: Option<DateTime<Utc>>,
    /// Approve eligible requests at once.
    pub auto_approve: bool,
}

fn check_texts(errors: &mut Errors, texts: &[TextInput]) -> Vec<TextInput> {
    if texts.is_empty() {
        errors.add(&["texts"], UserErrorCode::Blank, "give the program's name and description in at least one language");
    }
    if texts.len() > MAX_TEXTS {
        errors.add(&["texts"], UserErrorCode::TooMany, format!("at most {MAX_TEXTS} languages"));
        return Vec::new();
    }
    let mut out: Vec<TextInput> = Vec::new();
    for (i, t) in texts.iter().enumerate() {
        let index = i.to_string();
        let language = errors.check(&["texts", &index, "language"], text::language(&t.language), text_code);
        let name = errors.check(&["texts", &index, "name"], text::required_line(&t.name, MAX_NAME_CHARS), text_code);
        let description = errors
            .check(&["texts", &index, "description"], text::optional_paragraph(Some(&t.description), MAX_DESCRIPTION_CHARS), text_code)
            .map(Option::unwrap_or_default);
        if let (Some(language), Some(name), Some(description)) = (language, name, description) {
            if out.iter().any(|o| o.language.eq_ignore_ascii_case(&language)) {
                errors.add(&["texts", &index, "language"], UserErrorCode::Duplicate, format!("{language} is given twice"));
            } else {
                out.push(TextInput { language, name, description });
            }
        }
    }
    out
}

fn check_money(errors: &mut Errors, field: &str, amount: &Amount, currency: &str) -> Option<i64> {
    if domain::CurrencyCode::parse(&amount.currency).is_err() {
        errors.add(&[field], UserErrorCode::UnknownCurrency, format!("{} is not an ISO 4217 currency", amount.currency));
        return None;
    }
    if !amount.currency.eq_ignore_ascii_case(currency) {
        errors.add(
            &[field],
            UserErrorCode::CurrencyMismatch,
            format!("in {currency}, as the unit value: a program's amounts share one currency (given {})", amount.currency),
        );
        return None;
    }
    if amount.amount < 0 {
        errors.add(&[field], UserErrorCode::OutOfRange, "cannot be negative");
        return None;
    }
    Some(amount.amount)
}

fn check_cap(errors: &mut Errors, cap: Option<CapInput>) -> (Option<i32>, Option<CapPeriod>, Option<i32>, Option<i32>) {
    let Some(cap) = cap else { return (None, None, None, None) };
    if cap.units < 1 {
        errors.add(&["cap", "units"], UserErrorCode::OutOfRange, "at least 1 unit per period");
    }
    let months = match (cap.period, cap.months) {
        (CapPeriod::Rolling, Some(m)) if (1..=60).contains(&m) => Some(m),
        (CapPeriod::Rolling, _) => {
            errors.add(&["cap", "months"], UserErrorCode::OutOfRange, "a rolling cap gives its length: 1 to 60 months");
            None
        }
        (_, Some(_)) => {
            errors.add(&["cap", "months"], UserErrorCode::Invalid, "only a rolling cap has a length in months");
            None
        }
        (_, None) => None,
    };
    let start = match (cap.period, cap.fiscal_year_start_month) {
        (CapPeriod::FiscalYear, Some(m)) if (1..=12).contains(&m) => Some(m),
        (CapPeriod::FiscalYear, _) => {
            errors.add(
                &["cap", "fiscalYearStartMonth"],
                UserErrorCode::OutOfRange,
                "a fiscal-year cap gives the month its year starts: 1 to 12",
            );
            None
        }
        (_, Some(_)) => {
            errors.add(&["cap", "fiscalYearStartMonth"], UserErrorCode::Invalid, "only a fiscal-year cap has a start month");
            None
        }
        (_, None) => None,
    };
    (Some(cap.units), Some(cap.period), months, start)
}

/// A program's input once checked: the columns to write.
#[derive(Clone, Debug)]
pub(super) struct Checked {
    pub slug: String,
    pub texts: Vec<TextInput>,
    pub currency: String,
    pub unit_value: i64,
    pub admin_fee: i64,
    pub max_budget: Option<i64>,
    pub countries: Vec<String>,
    pub eligible: Vec<String>,
    pub cap_units: Option<i32>,
    pub cap_period: Option<CapPeriod>,
    pub cap_months: Option<i32>,
    pub fiscal_start: Option<i32>,
}

impl Checked {
    /// The columns a program's input sets, the same for a new program and an
    /// updated one; the others (identity, stock reserved, version, times) are
    /// left unset for the caller.
    pub(super) fn columns(&self, input: &ProgramInput) -> program::ActiveModel {
        program::ActiveModel {
            slug: Set(self.slug.clone()),
            category: Set(input.category),
            currency: Set(self.currency.clone()),
            unit_value: Set(self.unit_value),
            admin_fee: Set(self.admin_fee),
            eligible_types: Set(StringList(self.eligible.clone())),
            max_annual_budget: Set(self.max_budget),
            requires_validation: Set(input.requires_validation),
            cap_units: Set(self.cap_units),
            cap_period: Set(self.cap_period),
            cap_months: Set(self.cap_months),
            fiscal_year_start_month: Set(self.fiscal_start),
            stock_total: Set(input.stock),
            active_from: Set(input.active_from),
            active_until: Set(input.active_until),
            auto_approve: Set(input.auto_approve),
            ..Default::default()
        }
    }
}

/// Checks a whole program (a new one, or one with its changes applied: the
/// same rules either way), all user errors at once. `except` is the program
/// itself when updating, so its own slug is not taken.
pub(super) async fn check_program(db: &impl ConnectionTrait, input: &ProgramInput, except: Option<Uuid>) -> Result<Checked, WriteError> {
    let mut errors = Errors::default();
    let texts = check_texts(&mut errors, &input.texts);
    let slug = match (&input.slug, texts.first()) {
        (Some(s), _) => errors.check(&["slug"], text::slug(s), text_code),
        (None, Some(t)) => text::slug_from_name(&t.name),
        (None, None) => None,
    };
    let currency = input.unit_value.currency.to_ascii_uppercase();
    let unit_value = check_money(&mut errors, "unitValue", &input.unit_value, &currency);
    let admin_fee = check_money(&mut errors, "adminFee", &input.admin_fee, &currency);
    let max_budget = input.max_annual_budget.as_ref().and_then(|b| check_money(&mut errors, "maxAnnualBudget", b, &currency));
    if input.countries.is_empty() {
        errors.add(&["countries"], UserErrorCode::Blank, "name at least one country where the program is available");
    }
    if input.countries.len() > MAX_COUNTRIES {
        errors.add(&["countries"], UserErrorCode::TooMany, format!("at most {MAX_COUNTRIES} countries"));
    }
    let mut countries: Vec<String> = Vec::new();
    for (i, c) in input.countries.iter().enumerate() {
        match domain::CountryCode::parse(c) {
            Ok(code) if countries.iter().any(|x| x == code.as_str()) => {
                errors.add(&["countries", &i.to_string()], UserErrorCode::Duplicate, format!("{} is listed twice", code.as_str()));
            }
            Ok(code) => countries.push(code.as_str().to_owned()),
            Err(e) => errors.add(&["countries", &i.to_string()], UserErrorCode::UnknownCountry, e.to_string()),
        }
    }
    let mut eligible: Vec<String> = Vec::new();
    for (i, t) in input.eligible_types.iter().enumerate() {
        let value = t.to_value();
        if eligible.contains(&value) {
            errors.add(&["eligibleTypes", &i.to_string()], UserErrorCode::Duplicate, format!("{value} is listed twice"));
        } else {
            eligible.push(value);
        }
    }
    let (cap_units, cap_period, cap_months, fiscal_start) = check_cap(&mut errors, input.cap);
    if input.stock.is_some_and(|s| s < 0) {
        errors.add(&["stock"], UserErrorCode::OutOfRange, "cannot be negative");
    }
    if let (Some(from), Some(until)) = (input.active_from, input.active_until)
        && until <= from
    {
        errors.add(&["activeUntil"], UserErrorCode::Invalid, "ends after it starts");
    }
    if let Some(slug) = &slug {
        let mut same =
            program::Entity::find().filter(program::Column::DonorId.eq(input.donor)).filter(program::Column::Slug.eq(slug.as_str()));
        if let Some(id) = except {
            same = same.filter(program::Column::Id.ne(id));
        }
        if same.one(db).await?.is_some() {
            errors.add(&["slug"], UserErrorCode::Taken, format!("the donor has a program {slug} already"));
        }
    }
    if !texts.is_empty() && slug.is_none() && input.slug.is_none() {
        errors.add(&["slug"], UserErrorCode::Blank, "no slug can be derived from this name: give one");
    }
    errors.ok()?;
    Ok(Checked {
        slug: checked(slug)?,
        texts,
        currency,
        unit_value: checked(unit_value)?,
        admin_fee: checked(admin_fee)?,
        max_budget,
        countries,
        eligible,
        cap_units,
        cap_period,
        cap_months,
        fiscal_start,
    })
}

/// The rows of a program's texts, folded for search as organizations are.
pub(super) fn text_rows(program: Uuid, texts: Vec<TextInput>) -> impl Iterator<Item = program_text::ActiveModel> {
    texts.into_iter().map(move |t| program_text::ActiveModel {
        program_id: Set(program),
        search_text: Set(text::search_key(&format!("{} {}", t.name, t.description))),
        language: Set(t.language),
        name: Set(t.name),
        description: Set(t.description),
    })
}

/// Creates a program in a donor's catalogue.
#[tracing::instrument(skip_all)]
pub async fn create<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    clock: &Clock,
    caller: &Caller,
    input: ProgramInput,
) -> Result<Written<program::Model>, WriteError> {
    let Some(donor) = donor::Entity::find_by_id(input.donor).one(db).await? else {
        return Err(field_error(&["donor"], UserErrorCode::NotFound, "no such donor"));
    };
    Policy.authorize_program_write(caller, donor.id)?;
    let actor = Actor::of(caller)?;
    let valid = check_program(db, &input, None).await?;
    let now = clock.now();
    let txn = db.begin().await?;
    let created = program::ActiveModel {
        id: Set(Uuid::now_v7()),
        donor_id: Set(donor.id),
        stock_reserved: Set(0),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        archived_at: Set(None),
        ..valid.columns(&input)
    }
    .insert(&txn)
    .await?;
    program_text::Entity::insert_many(text_rows(created.id, valid.texts)).exec(&txn).await?;
    program_country::Entity::insert_many(
        valid.countries.iter().map(|c| program_country::ActiveModel { program_id: Set(created.id), country_code: Set(c.clone()) }),
    )
    .exec(&txn)
    .await?;
    let event =
        DomainEvent::ProgramCreated { program: created.id, donor: donor.id, slug: created.slug.clone(), countries: valid.countries };
    let events = vec![record(&txn, clock, &actor, &event).await?];
    txn.commit().await?;
    Ok(Written::new(created, events))
}
