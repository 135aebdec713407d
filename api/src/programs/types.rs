//! GraphQL types of programs: the program, its cap, its eligibility, inputs and payloads.

use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use entity::enums;
use sea_orm::ActiveEnum;
use uuid::Uuid;

use super::{
    eligibility::{self, BudgetProblem, Reason},
    service,
};
use crate::{
    countries::types::Country,
    donors::{loader::DonorById, types::Donor},
    graphql::{
        context::{self, clock, loader},
        enums::mirror_enum,
        loader::batch_loader,
        relay::{NodeKind, decode_uuid, encode_uuid},
        scalars::{CountryCode, MoneyValue},
        user_error::payload,
    },
    i18n::{self, FluentArgs, Locale},
    organizations::types::{Organization, OrganizationType},
};

batch_loader! {
    /// Programs by id (archived ones too).
    ProgramById: Uuid => std::sync::Arc<entity::program::Model>,
    |db, keys| service::by_ids(db, keys).await.map(|rows| rows.into_iter().map(|(id, m)| (id, m.into())).collect())
}

batch_loader! {
    /// The texts of each program.
    ProgramTexts: Uuid => std::sync::Arc<[service::Text]>,
    |db, keys| service::texts_of(db, keys).await.map(|texts| texts.into_iter().map(|(id, t)| (id, t.into())).collect())
}

batch_loader! {
    /// The engine's decision for (program, organization, now), for
    /// organizations the caller may read (others are absent).
    ProgramEligibility: super::catalogue::EligibilityKey => eligibility::Eligibility,
    |db, scope, keys| super::catalogue::eligibility_batch(db, scope, keys).await
}

batch_loader! {
    /// The countries of each program.
    ProgramCountries: Uuid => Vec<String>,
    |db, keys| service::countries_of(db, keys).await
}

mirror_enum! {
    /// What a program donates.
    ProgramCategory => enums::ProgramCategory {
        /// Software licenses.
        Software,
        /// Cloud credits.
        CloudCredits,
        /// Hardware, new or refurbished.
        Hardware,
        /// Services.
        Services,
        /// Vouchers for trainings.
        TrainingVouchers,
    }
}

mirror_enum! {
    /// How a program's cap per organization counts its period.
    CapPeriod => enums::CapPeriod {
        /// The last `months` months, rolling: units come free as approvals age out.
        Rolling,
        /// The calendar year (UTC): the cap starts afresh each 1 January.
        CalendarYear,
        /// A fiscal year starting on the first of `fiscalYearStartMonth`.
        FiscalYear,
    }
}

/// A donation program: what a donor offers, to whom, at what admin fee, how
/// much. Shared, not copied, between the loader and every field that shows it;
/// with what a list read alongside it ([`Prefetched`]).
#[derive(Clone, Debug)]
pub struct Program(pub std::sync::Arc<entity::program::Model>, pub Prefetched);

/// What a list read for its programs at once (one statement each for the
/// whole list), so that their fields need no loader: on a page of 200
/// requests, 400 DataLoader round trips (each a lock, a channel and a
/// wake-up) fewer. Absent parts are loaded as usual.
#[derive(Clone, Debug, Default)]
pub struct Prefetched {
    /// The program's texts.
    pub texts: Option<std::sync::Arc<[service::Text]>>,
    /// The program's donor.
    pub donor: Option<std::sync::Arc<entity::donor::Model>>,
}

impl Program {
    /// The type of its global IDs.
    pub const KIND: NodeKind = NodeKind::new("Program");
}

impl From<entity::program::Model> for Program {
    fn from(m: entity::program::Model) -> Self {
        Self(m.into(), Prefetched::default())
    }
}

impl From<std::sync::Arc<entity::program::Model>> for Program {
    fn from(m: std::sync::Arc<entity::program::Model>) -> Self {
        Self(m, Prefetched::default())
    }
}

impl crate::graphql::connection::Listed for Program {
    const CONNECTION: &'static str = "ProgramConnection";
    const EDGE: &'static str = "ProgramEdge";
}

/// A program's name and description in one language.
#[derive(SimpleObject, Clone, Debug)]
pub struct ProgramText {
    /// BCP 47 language tag.
    pub language: String,
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
}

/// How many units an organization may receive per period.
#[derive(SimpleObject, Clone, Debug)]
pub struct ProgramCap {
    /// Units per period.
    pub units: i32,
    /// How the period runs.
    pub period: CapPeriod,
    /// For a rolling cap: its length in months.
    pub months: Option<i32>,
    /// For a fiscal-year cap: the month (1 to 12) its year starts.
    pub fiscal_year_start_month: Option<i32>,
}

/// Why an organization is not eligible for a program. Stable codes.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum EligibilityReasonCode {
    /// The program requires an approved validation; the organization has none.
    NotValidated,
    /// The organization's approval has expired (or was not renewed in time).
    ValidationExpired,
    /// The program is not available in the organization's country.
    CountryNotServed,
    /// The program is not for this type of organization.
    TypeNotEligible,
    /// The organization's annual budget is over the program's limit (or is
    /// not declared, or declared in another currency).
    BudgetTooLarge,
    /// The organization received its cap for the period (`resetsAt` says when units come free).
    CapReached,
    /// No stock left.
    OutOfStock,
    /// The program is archived, not yet open or closed.
    ProgramInactive,
}

/// One reason an organization is not eligible.
#[derive(SimpleObject, Clone, Debug)]
pub struct EligibilityReason {
    /// Stable code.
    pub code: EligibilityReasonCode,
    /// What it means, in the caller's language (the field's `locale`, else
    /// `Accept-Language`, else English).
    pub message: String,
    /// For CAP_REACHED: units left in the period (0).
    pub remaining: Option<i32>,
    /// For CAP_REACHED: when units come free again, when known.
    pub resets_at: Option<DateTime<Utc>>,
}

/// Whether an organization may request a program now, and how much.
#[derive(SimpleObject, Clone, Debug)]
pub struct Eligibility {
    /// Eligible now.
    pub eligible: bool,
    /// When eligible: units that may still be requested (the smaller of the
    /// cap's remainder and the stock); null for no limit.
    pub available: Option<i32>,
    /// When not eligible: every reason.
    pub reasons: Vec<EligibilityReason>,
}

/// What a reason means, in `locale` (the stable code is [`Reason::code`]).
pub fn reason_message(r: &Reason, locale: Locale) -> String {
    reason(r, locale).message
}

fn reason(r: &Reason, locale: Locale) -> EligibilityReason {
    let (code, id) = match r {
        Reason::NotValidated => (EligibilityReasonCode::NotValidated, "eligibility-not-validated"),
        Reason::ValidationExpired => (EligibilityReasonCode::ValidationExpired, "eligibility-validation-expired"),
        Reason::CountryNotServed => (EligibilityReasonCode::CountryNotServed, "eligibility-country-not-served"),
        Reason::TypeNotEligible => (EligibilityReasonCode::TypeNotEligible, "eligibility-type-not-eligible"),
        Reason::BudgetTooLarge(problem) => (
            EligibilityReasonCode::BudgetTooLarge,
            match problem {
                BudgetProblem::Over => "eligibility-budget-over",
                BudgetProblem::Unknown => "eligibility-budget-unknown",
                BudgetProblem::OtherCurrency => "eligibility-budget-other-currency",
            },
        ),
        Reason::CapReached { resets_at: None, .. } => (EligibilityReasonCode::CapReached, "eligibility-cap-reached"),
        Reason::CapReached { resets_at: Some(_), .. } => (EligibilityReasonCode::CapReached, "eligibility-cap-reached-resets"),
        Reason::OutOfStock => (EligibilityReasonCode::OutOfStock, "eligibility-out-of-stock"),
        Reason::ProgramInactive => (EligibilityReasonCode::ProgramInactive, "eligibility-program-inactive"),
    };
    let (remaining, resets_at) = match r {
        Reason::CapReached { remaining, resets_at } => (Some(i32::try_from(*remaining).unwrap_or(0)), *resets_at),
        _ => (None, None),
    };
    let mut args = FluentArgs::new();
    if let Some(remaining) = remaining {
        args.set("remaining", remaining);
    }
    if let Some(at) = resets_at {
        args.set("resets", at.format("%Y-%m-%d %H:%M UTC").to_string());
    }
    EligibilityReason { code, message: i18n::t(locale, id, Some(&args)), remaining, resets_at }
}

impl Eligibility {
    /// The engine's decision, its reasons in `locale`.
    pub fn localized(e: eligibility::Eligibility, locale: Locale) -> Self {
        match e {
            eligibility::Eligibility::Eligible { available } => {
                Self { eligible: true, available: available.map(|a| i32::try_from(a).unwrap_or(i32::MAX)), reasons: Vec::new() }
            }
            eligibility::Eligibility::NotEligible(reasons) => {
                Self { eligible: false, available: None, reasons: reasons.iter().map(|r| reason(r, locale)).collect() }
            }
        }
    }
}

impl From<eligibility::Eligibility> for Eligibility {
    /// The decision with its reasons in English.
    fn from(e: eligibility::Eligibility) -> Self {
        Self::localized(e, Locale::En)
    }
}

impl Program {
    fn money(&self, amount: i64) -> MoneyValue {
        MoneyValue { amount, currency: self.0.currency.clone() }
    }

    async fn texts(&self, ctx: &Context<'_>) -> Result<std::sync::Arc<[service::Text]>> {
        if let Some(texts) = &self.1.texts {
            return Ok(texts.clone());
        }
        Ok(loader::<ProgramTexts>(ctx)?.load_one(self.0.id).await?.unwrap_or_default())
    }
}

/// A donation program: what a donor offers, to whom, at what admin fee, how much.
#[Object]
impl Program {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode_uuid(Self::KIND, self.0.id)
    }

    /// URL-safe handle, unique per donor.
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// The donor offering it.
    async fn donor(&self, ctx: &Context<'_>) -> Result<Option<Donor>> {
        if let Some(donor) = &self.1.donor {
            return Ok(Some(Donor::from(donor.clone())));
        }
        Ok(loader::<DonorById>(ctx)?.load_one(self.0.donor_id).await?.map(Donor::from))
    }

    /// Its name in `language` (else English, else the first given).
    async fn name(&self, ctx: &Context<'_>, #[graphql(desc = "BCP 47 tag, e.g. `es`.")] language: Option<String>) -> Result<String> {
        let texts = self.texts(ctx).await?;
        Ok(service::text_in(&texts, language.as_deref()).map(|t| t.name.clone()).unwrap_or_default())
    }

    /// Its description in `language` (else English, else the first given).
    async fn description(&self, ctx: &Context<'_>, #[graphql(desc = "BCP 47 tag, e.g. `es`.")] language: Option<String>) -> Result<String> {
        let texts = self.texts(ctx).await?;
        Ok(service::text_in(&texts, language.as_deref()).map(|t| t.description.clone()).unwrap_or_default())
    }

    /// Its name and description in every language given.
    async fn translations(&self, ctx: &Context<'_>) -> Result<Vec<ProgramText>> {
        Ok(self
            .texts(ctx)
            .await?
            .iter()
            .map(|t| ProgramText { language: t.language.clone(), name: t.name.clone(), description: t.description.clone() })
            .collect())
    }

    /// What it donates.
    async fn category(&self) -> ProgramCategory {
        self.0.category.into()
    }

    /// Retail value of one unit.
    async fn unit_value(&self) -> MoneyValue {
        self.money(self.0.unit_value)
    }

    /// Admin fee an organization pays per unit.
    async fn admin_fee(&self) -> MoneyValue {
        self.money(self.0.admin_fee)
    }

    /// Countries where it is available.
    async fn countries(&self, ctx: &Context<'_>) -> Result<Vec<Country>> {
        let codes = loader::<ProgramCountries>(ctx)?.load_one(self.0.id).await?.unwrap_or_default();
        Ok(codes.iter().filter_map(|c| Country::of(c)).collect())
    }

    /// Organization types that may request it (empty: every type).
    async fn eligible_types(&self) -> Vec<OrganizationType> {
        self.0.eligible_types.0.iter().filter_map(|t| enums::OrganizationType::try_from_value(t).ok()).map(Into::into).collect()
    }

    /// Largest annual budget of an eligible organization (null: no limit).
    async fn max_annual_budget(&self) -> Option<MoneyValue> {
        self.0.max_annual_budget.map(|b| self.money(b))
    }

    /// Only organizations with an approved validation in force may request it.
    async fn requires_validation(&self) -> bool {
        self.0.requires_validation
    }

    /// Units an organization may receive per period (null: no cap).
    async fn cap(&self) -> Option<ProgramCap> {
        Some(ProgramCap {
            units: self.0.cap_units?,
            period: self.0.cap_period?.into(),
            months: self.0.cap_months,
            fiscal_year_start_month: self.0.fiscal_year_start_month,
        })
    }

    /// Units in stock in all (null: unlimited).
    async fn stock(&self) -> Option<i32> {
        self.0.stock_total
    }

    /// Units not yet reserved by approved requests (null: unlimited).
    async fn stock_available(&self) -> Option<i32> {
        eligibility::stock_left(&self.0).map(|n| i32::try_from(n).unwrap_or(i32::MAX))
    }

    /// Requests are taken from this time (null: since its creation).
    async fn active_from(&self) -> Option<DateTime<Utc>> {
        self.0.active_from
    }

    /// Requests are taken until this time (null: no end).
    async fn active_until(&self) -> Option<DateTime<Utc>> {
        self.0.active_until
    }

    /// It takes requests now.
    async fn is_active(&self, ctx: &Context<'_>) -> Result<bool> {
        Ok(eligibility::is_active(&self.0, clock(ctx)?.now()))
    }

    /// Requests of eligible organizations are approved at once (else the donor decides).
    async fn auto_approve(&self) -> bool {
        self.0.auto_approve
    }

    /// Whether an organization you can see may request it now, and how many
    /// units; else every reason with a stable code. An organization you may
    /// not see is NOT_FOUND; an API key needs `programs:read`.
    async fn eligibility(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The organization.")] organization: ID,
        #[graphql(desc = "Language of the reasons' messages (BCP 47, e.g. `fr`; else `Accept-Language`, else English).")] locale: Option<
            String,
        >,
    ) -> Result<Eligibility> {
        super::catalogue_types::check_eligibility_allowed(ctx)?;
        let locale = context::locale(ctx, locale.as_deref())?;
        let id = decode_uuid(&organization, Organization::KIND)?;
        let decided = loader::<ProgramEligibility>(ctx)?.load_one((self.0.id, id, clock(ctx)?.now())).await?;
        Ok(Eligibility::localized(decided.ok_or(crate::error::ApiError::NotFound("organization"))?, locale))
    }

    /// When it was added.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// Changes with every update (optimistic concurrency).
    async fn version(&self) -> i32 {
        self.0.version
    }
}

/// A program's name and description in one language.
#[derive(InputObject)]
pub struct ProgramTextInput {
    /// BCP 47 language tag, e.g. `en`, `es`, `pt-BR`.
    pub language: String,
    /// Name (1 to 200 characters).
    pub name: String,
    /// Description (up to 10,000 characters).
    #[graphql(default)]
    pub description: String,
}

/// A cap per organization.
#[derive(InputObject)]
pub struct ProgramCapInput {
    /// Units per period (at least 1).
    pub units: i32,
    /// How the period runs.
    pub period: CapPeriod,
    /// For ROLLING: the length in months (1 to 60).
    pub months: Option<i32>,
    /// For FISCAL_YEAR: the month its year starts (1 to 12).
    pub fiscal_year_start_month: Option<i32>,
}

/// Input of `createProgram`.
#[derive(InputObject)]
pub struct CreateProgramInput {
    /// The donor (its admins and its keys with `programs:write`).
    pub donor: ID,
    /// URL-safe handle, unique per donor; from the first name when absent.
    pub slug: Option<String>,
    /// Name and description, in one or more languages.
    pub translations: Vec<ProgramTextInput>,
    /// What it donates.
    pub category: ProgramCategory,
    /// Retail value of one unit; its currency is the program's.
    pub unit_value: MoneyValue,
    /// Admin fee per unit, in the program's currency (else CURRENCY_MISMATCH).
    pub admin_fee: MoneyValue,
    /// Countries where it is available.
    pub countries: Vec<CountryCode>,
    /// Eligible organization types (empty: every type).
    #[graphql(default)]
    pub eligible_types: Vec<OrganizationType>,
    /// Largest annual budget of an eligible organization, in the program's currency.
    pub max_annual_budget: Option<MoneyValue>,
    /// Only organizations with an approved validation may request it.
    #[graphql(default = true)]
    pub requires_validation: bool,
    /// Units an organization may receive per period (none: no cap).
    pub cap: Option<ProgramCapInput>,
    /// Units in stock (none: unlimited).
    pub stock: Option<i32>,
    /// Requests are taken from this time.
    pub active_from: Option<DateTime<Utc>>,
    /// Requests are taken until this time.
    pub active_until: Option<DateTime<Utc>>,
    /// Approve requests of eligible organizations at once.
    #[graphql(default = false)]
    pub auto_approve: bool,
}

/// Which programs of the catalogue.
#[derive(InputObject, Default)]
pub struct ProgramFilter {
    /// Available in this country.
    pub country: Option<CountryCode>,
    /// Of this category.
    pub category: Option<ProgramCategory>,
    /// Of this donor.
    pub donor: Option<ID>,
    /// Whose name or description, in any of its languages, contains this
    /// text (case- and accent-insensitive).
    pub search: Option<String>,
    /// Only programs this organization may request now, as
    /// `Program.eligibility` decides (an organization you may not see is
    /// NOT_FOUND; an API key needs `programs:read`).
    pub eligible_for: Option<ID>,
}

payload! {
    /// Result of `createProgram`.
    CreateProgramPayload { program: Program, "The new program" }
}
