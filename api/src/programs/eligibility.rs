//! The one eligibility engine (issue 11, item 3): for an organization and a
//! program, either eligible with the quantity still available (the smaller of
//! the cap's remainder and the stock), or every failing reason with a stable
//! code. A pure function of the facts ([`Facts`]); the service gathers them
//! with SQL, and every path (the catalogue, a request, an approval) asks here.

use chrono::{DateTime, Datelike, Months, TimeZone, Utc};
use entity::enums::CapPeriod;

/// Where the organization's validation stands, as eligibility needs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    /// An approval is in force.
    Validated,
    /// Its last approval's validity has ended (expired, or revoked after approval).
    Lapsed,
    /// Never approved.
    NotValidated,
}

/// The organization's declared annual budget.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Budget {
    /// Minor units.
    pub amount: i64,
    /// ISO 4217.
    pub currency: String,
}

/// Everything the decision depends on.
#[derive(Clone, Debug)]
pub struct Facts<'a> {
    /// The program.
    pub program: &'a entity::program::Model,
    /// The countries it is available in.
    pub program_countries: &'a [String],
    /// The organization's country.
    pub country: &'a str,
    /// The organization's type (`OrganizationType` value).
    pub organization_type: &'a str,
    /// Its declared annual budget.
    pub budget: Option<Budget>,
    /// Its validation.
    pub standing: Standing,
    /// Units approved for it (approved or fulfilled) within the cap's current window.
    pub units_in_window: i64,
    /// The oldest approval counted in a rolling window (when units come free).
    pub oldest_in_window: Option<DateTime<Utc>>,
    /// Now.
    pub now: DateTime<Utc>,
}

/// Why a budget fails the program's limit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BudgetProblem {
    /// Above the limit.
    Over,
    /// The organization declared no budget.
    Unknown,
    /// Declared in another currency: without exchange rates it cannot be compared.
    OtherCurrency,
}

/// A failing reason (codes in [`Reason::code`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reason {
    /// No approval at all.
    NotValidated,
    /// The approval's validity ended.
    ValidationExpired,
    /// The program is not available in the organization's country.
    CountryNotServed,
    /// The program is not for this type of organization.
    TypeNotEligible,
    /// The organization's budget is over the program's limit (or cannot be compared).
    BudgetTooLarge(BudgetProblem),
    /// The organization received its cap for the period.
    CapReached {
        /// Units left (0).
        remaining: i64,
        /// When units come free again (none: never known).
        resets_at: Option<DateTime<Utc>>,
    },
    /// No stock left.
    OutOfStock,
    /// Archived, not yet open, or closed.
    ProgramInactive,
}

impl Reason {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotValidated => "NOT_VALIDATED",
            Self::ValidationExpired => "VALIDATION_EXPIRED",
            Self::CountryNotServed => "COUNTRY_NOT_SERVED",
            Self::TypeNotEligible => "TYPE_NOT_ELIGIBLE",
            Self::BudgetTooLarge(_) => "BUDGET_TOO_LARGE",
            Self::CapReached { .. } => "CAP_REACHED",
            Self::OutOfStock => "OUT_OF_STOCK",
            Self::ProgramInactive => "PROGRAM_INACTIVE",
        }
    }
}

/// The decision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Eligibility {
    /// Eligible: this many units may still be requested (none: no limit).
    Eligible {
        /// The smaller of the cap's remainder and the stock.
        available: Option<i64>,
    },
    /// Not eligible, for every one of these reasons.
    NotEligible(Vec<Reason>),
}

/// The current window of a program's cap: when it started, and when it next
/// starts afresh (calendar and fiscal years; a rolling window has no fixed reset).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    /// Approvals from this time count; in a rolling window (no `next`) only
    /// those after it, so a unit comes free exactly when its approval is the
    /// window's length old.
    pub from: DateTime<Utc>,
    /// The next window starts here (years only).
    pub next: Option<DateTime<Utc>>,
}

fn first_of_month(year: i32, month: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(year, month, 1, 0, 0, 0).single().unwrap_or(DateTime::<Utc>::MIN_UTC)
}

/// The window of a cap at `now`; none when the program has no cap.
pub fn cap_window(program: &entity::program::Model, now: DateTime<Utc>) -> Option<Window> {
    program.cap_units?;
    match program.cap_period? {
        CapPeriod::Rolling => {
            let months = u32::try_from(program.cap_months.unwrap_or(12)).unwrap_or(12);
            Some(Window { from: now.checked_sub_months(Months::new(months)).unwrap_or(DateTime::<Utc>::MIN_UTC), next: None })
        }
        CapPeriod::CalendarYear => {
            Some(Window { from: first_of_month(now.year(), 1), next: Some(first_of_month(now.year().saturating_add(1), 1)) })
        }
        CapPeriod::FiscalYear => {
            let start = u32::try_from(program.fiscal_year_start_month.unwrap_or(1)).ok().filter(|m| (1..=12).contains(m)).unwrap_or(1);
            let year = if now.month() >= start { now.year() } else { now.year().saturating_sub(1) };
            let from = first_of_month(year, start);
            Some(Window { from, next: from.checked_add_months(Months::new(12)) })
        }
    }
}

/// Whether the program takes requests at `now`.
pub fn is_active(program: &entity::program::Model, now: DateTime<Utc>) -> bool {
    program.archived_at.is_none()
        && program.active_from.is_none_or(|from| from <= now)
        && program.active_until.is_none_or(|until| now < until)
}

/// Units left in stock (none: unlimited).
pub fn stock_left(program: &entity::program::Model) -> Option<i64> {
    program.stock_total.map(|total| (i64::from(total) - i64::from(program.stock_reserved)).max(0))
}

/// The decision for these facts: every failing reason, or what is available.
pub fn decide(facts: &Facts<'_>) -> Eligibility {
    let program = facts.program;
    let mut reasons = Vec::new();
    if !is_active(program, facts.now) {
        reasons.push(Reason::ProgramInactive);
    }
    if program.requires_validation {
        match facts.standing {
            Standing::Validated => {}
            Standing::Lapsed => reasons.push(Reason::ValidationExpired),
            Standing::NotValidated => reasons.push(Reason::NotValidated),
        }
    }
    if !facts.program_countries.iter().any(|c| c == facts.country) {
        reasons.push(Reason::CountryNotServed);
    }
    if !program.eligible_types.0.is_empty() && !program.eligible_types.0.iter().any(|t| t == facts.organization_type) {
        reasons.push(Reason::TypeNotEligible);
    }
    if let Some(limit) = program.max_annual_budget {
        let problem = match &facts.budget {
            None => Some(BudgetProblem::Unknown),
            Some(b) if !b.currency.eq_ignore_ascii_case(&program.currency) => Some(BudgetProblem::OtherCurrency),
            Some(b) if b.amount > limit => Some(BudgetProblem::Over),
            Some(_) => None,
        };
        if let Some(problem) = problem {
            reasons.push(Reason::BudgetTooLarge(problem));
        }
    }
    let cap_left = program.cap_units.map(|cap| (i64::from(cap) - facts.units_in_window).max(0));
    if cap_left == Some(0) {
        let resets_at = match cap_window(program, facts.now) {
            Some(Window { next: Some(next), .. }) => Some(next),
            _ => {
                let months = u32::try_from(program.cap_months.unwrap_or(12)).unwrap_or(12);
                facts.oldest_in_window.and_then(|oldest| oldest.checked_add_months(Months::new(months)))
            }
        };
        reasons.push(Reason::CapReached { remaining: 0, resets_at });
    }
    let stock = stock_left(program);
    if stock == Some(0) {
        reasons.push(Reason::OutOfStock);
    }
    if !reasons.is_empty() {
        return Eligibility::NotEligible(reasons);
    }
    let available = match (cap_left, stock) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    Eligibility::Eligible { available }
}

#[cfg(test)]
mod tests {
    use entity::{StringList, enums::ProgramCategory};
    use uuid::Uuid;

    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).expect("time").with_timezone(&Utc)
    }

    fn program() -> entity::program::Model {
        let t = at("2026-01-01T00:00:00Z");
        entity::program::Model {
            id: Uuid::now_v7(),
            donor_id: Uuid::now_v7(),
            slug: "office".to_owned(),
            category: ProgramCategory::Software,
            currency: "USD".to_owned(),
            unit_value: 10_000,
            admin_fee: 500,
            eligible_types: StringList(vec!["ngo".to_owned()]),
            max_annual_budget: None,
            requires_validation: true,
            cap_units: None,
            cap_period: None,
            cap_months: None,
            fiscal_year_start_month: None,
            stock_total: None,
            stock_reserved: 0,
            active_from: None,
            active_until: None,
            auto_approve: false,
            version: 1,
            created_at: t,
            updated_at: t,
            archived_at: None,
        }
    }

    fn facts<'a>(program: &'a entity::program::Model, countries: &'a [String]) -> Facts<'a> {
        Facts {
            program,
            program_countries: countries,
            country: "KE",
            organization_type: "ngo",
            budget: Some(Budget { amount: 5_000_000, currency: "USD".to_owned() }),
            standing: Standing::Validated,
            units_in_window: 0,
            oldest_in_window: None,
            now: at("2026-06-15T12:00:00Z"),
        }
    }

    fn codes(e: &Eligibility) -> Vec<&'static str> {
        match e {
            Eligibility::Eligible { .. } => Vec::new(),
            Eligibility::NotEligible(reasons) => reasons.iter().map(Reason::code).collect(),
        }
    }

    #[test]
    fn an_organization_meeting_everything_is_eligible_with_the_smaller_of_cap_and_stock() {
        let kenya = vec!["KE".to_owned()];
        let unlimited = program();
        assert_eq!(decide(&facts(&unlimited, &kenya)), Eligibility::Eligible { available: None });
        let mut capped = program();
        capped.cap_units = Some(50);
        capped.cap_period = Some(CapPeriod::Rolling);
        capped.cap_months = Some(24);
        capped.stock_total = Some(100);
        capped.stock_reserved = 70;
        let mut f = facts(&capped, &kenya);
        f.units_in_window = 10;
        assert_eq!(decide(&f), Eligibility::Eligible { available: Some(30) }, "stock 30 < cap left 40");
        f.units_in_window = 45;
        assert_eq!(decide(&f), Eligibility::Eligible { available: Some(5) }, "cap left 5 < stock 30");
    }

    #[test]
    fn every_failing_reason_is_named_at_once() {
        let mut p = program();
        p.archived_at = Some(at("2026-02-01T00:00:00Z"));
        p.max_annual_budget = Some(1_000_000);
        p.cap_units = Some(5);
        p.cap_period = Some(CapPeriod::CalendarYear);
        p.stock_total = Some(10);
        p.stock_reserved = 10;
        let uganda = vec!["UG".to_owned()];
        let mut f = facts(&p, &uganda);
        f.standing = Standing::NotValidated;
        f.organization_type = "cooperative";
        f.units_in_window = 5;
        assert_eq!(
            codes(&decide(&f)),
            [
                "PROGRAM_INACTIVE",
                "NOT_VALIDATED",
                "COUNTRY_NOT_SERVED",
                "TYPE_NOT_ELIGIBLE",
                "BUDGET_TOO_LARGE",
                "CAP_REACHED",
                "OUT_OF_STOCK"
            ]
        );
        f.standing = Standing::Lapsed;
        assert!(codes(&decide(&f)).contains(&"VALIDATION_EXPIRED"));
        // Without the validation requirement, standing does not matter.
        p.requires_validation = false;
        let f = Facts { standing: Standing::NotValidated, ..facts(&p, &uganda) };
        assert!(!codes(&decide(&f)).contains(&"NOT_VALIDATED"));
    }

    #[test]
    fn programs_open_and_close_with_their_window() {
        let kenya = vec!["KE".to_owned()];
        let mut p = program();
        p.active_from = Some(at("2026-07-01T00:00:00Z"));
        assert_eq!(codes(&decide(&facts(&p, &kenya))), ["PROGRAM_INACTIVE"], "not open yet");
        p.active_from = Some(at("2026-01-01T00:00:00Z"));
        p.active_until = Some(at("2026-06-15T12:00:00Z"));
        assert_eq!(codes(&decide(&facts(&p, &kenya))), ["PROGRAM_INACTIVE"], "closed at its end, exactly");
        p.active_until = Some(at("2026-06-15T12:00:01Z"));
        assert_eq!(codes(&decide(&facts(&p, &kenya))), Vec::<&str>::new());
    }

    #[test]
    fn budgets_compare_only_in_the_programs_currency() {
        let kenya = vec!["KE".to_owned()];
        let mut p = program();
        p.max_annual_budget = Some(5_000_000);
        let mut f = facts(&p, &kenya);
        assert_eq!(codes(&decide(&f)), Vec::<&str>::new(), "at the limit is fine");
        f.budget = Some(Budget { amount: 5_000_001, currency: "USD".to_owned() });
        assert_eq!(decide(&f), Eligibility::NotEligible(vec![Reason::BudgetTooLarge(BudgetProblem::Over)]));
        f.budget = Some(Budget { amount: 1, currency: "KES".to_owned() });
        assert_eq!(decide(&f), Eligibility::NotEligible(vec![Reason::BudgetTooLarge(BudgetProblem::OtherCurrency)]));
        f.budget = None;
        assert_eq!(decide(&f), Eligibility::NotEligible(vec![Reason::BudgetTooLarge(BudgetProblem::Unknown)]));
    }

    #[test]
    fn caps_reset_by_rolling_window_calendar_year_and_fiscal_year() {
        let now = at("2026-06-15T12:00:00Z");
        let mut p = program();
        p.cap_units = Some(2);
        p.cap_period = Some(CapPeriod::Rolling);
        p.cap_months = Some(24);
        assert_eq!(cap_window(&p, now), Some(Window { from: at("2024-06-15T12:00:00Z"), next: None }));
        p.cap_period = Some(CapPeriod::CalendarYear);
        assert_eq!(cap_window(&p, now), Some(Window { from: at("2026-01-01T00:00:00Z"), next: Some(at("2027-01-01T00:00:00Z")) }));
        p.cap_period = Some(CapPeriod::FiscalYear);
        p.fiscal_year_start_month = Some(7);
        assert_eq!(
            cap_window(&p, now),
            Some(Window { from: at("2025-07-01T00:00:00Z"), next: Some(at("2026-07-01T00:00:00Z")) }),
            "June is the end of the fiscal year that started last July"
        );
        assert_eq!(
            cap_window(&p, at("2026-07-01T00:00:00Z")),
            Some(Window { from: at("2026-07-01T00:00:00Z"), next: Some(at("2027-07-01T00:00:00Z")) }),
        );
        p.cap_units = None;
        assert_eq!(cap_window(&p, now), None, "no cap, no window");

        // The reset a reached cap reports.
        let kenya = vec!["KE".to_owned()];
        let mut p = program();
        p.cap_units = Some(2);
        p.cap_period = Some(CapPeriod::FiscalYear);
        p.fiscal_year_start_month = Some(4);
        let f = Facts { units_in_window: 2, ..facts(&p, &kenya) };
        assert_eq!(
            decide(&f),
            Eligibility::NotEligible(vec![Reason::CapReached { remaining: 0, resets_at: Some(at("2027-04-01T00:00:00Z")) }])
        );
        p.cap_period = Some(CapPeriod::Rolling);
        p.cap_months = Some(12);
        let f = Facts { units_in_window: 2, oldest_in_window: Some(at("2025-09-10T08:00:00Z")), ..facts(&p, &kenya) };
        assert_eq!(
            decide(&f),
            Eligibility::NotEligible(vec![Reason::CapReached { remaining: 0, resets_at: Some(at("2026-09-10T08:00:00Z")) }]),
            "a rolling cap frees units when its oldest approval leaves the window"
        );
    }
}
