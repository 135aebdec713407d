//! A donation program: what a donor offers, to whom, at what fee, how much.

use sea_orm::entity::prelude::*;

use crate::{
    StringList,
    enums::{CapPeriod, ProgramCategory},
};

/// A row of `programs`. Names and descriptions are in `program_texts`, per language.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "programs")]
pub struct Model {
    /// Primary key (UUIDv7).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The donor offering it.
    pub donor_id: Uuid,
    /// URL-safe handle, unique per donor.
    pub slug: String,
    /// What is donated.
    pub category: ProgramCategory,
    /// ISO 4217 currency of its values, fees and budget limit.
    pub currency: String,
    /// Retail value of one unit, in minor units.
    pub unit_value: i64,
    /// Admin fee an organization pays per unit, in minor units.
    pub admin_fee: i64,
    /// Organization types that may request it (`OrganizationType` values; empty: every type).
    pub eligible_types: StringList,
    /// Largest annual budget of an eligible organization, in minor units (none: no limit).
    pub max_annual_budget: Option<i64>,
    /// Only organizations with an approval in force may request it.
    pub requires_validation: bool,
    /// Units an organization may receive per period (none: no cap).
    pub cap_units: Option<i32>,
    /// How the cap's period runs (with `cap_units`).
    pub cap_period: Option<CapPeriod>,
    /// For a rolling cap: its length in months.
    pub cap_months: Option<i32>,
    /// For a fiscal-year cap: the month (1 to 12) its year starts.
    pub fiscal_year_start_month: Option<i32>,
    /// Units in stock in all (none: unlimited).
    pub stock_total: Option<i32>,
    /// Units reserved by approved requests.
    pub stock_reserved: i32,
    /// Requests are taken from this time (none: from its creation).
    pub active_from: Option<DateTimeUtc>,
    /// ... until this time (none: no end).
    pub active_until: Option<DateTimeUtc>,
    /// Requests from eligible organizations are approved at once.
    pub auto_approve: bool,
    /// Optimistic-concurrency version.
    pub version: i32,
    /// When created.
    pub created_at: DateTimeUtc,
    /// When last changed.
    pub updated_at: DateTimeUtc,
    /// When withdrawn from the catalogue.
    pub archived_at: Option<DateTimeUtc>,
}

/// Relations of a program.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The donor.
    #[sea_orm(belongs_to = "super::donor::Entity", from = "Column::DonorId", to = "super::donor::Column::Id")]
    Donor,
}

impl ActiveModelBehavior for ActiveModel {}
