//! Checks of organization input: each records what is wrong as a user error
//! and returns the checked value. Used by `write.rs`.

use chrono::{Datelike, Utc};
use entity::enums::RegistrationKind;
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::write::{MAX_BUDGET, MAX_FOCUS_AREAS, MAX_REGISTRATIONS, MoneyInput, RegistrationInput};
use crate::{
    domain::{CountryCode, CurrencyCode, country::CountryCodeError, money::CurrencyCodeError, text},
    focus_areas::service as focus_areas,
    user_errors::{Errors, UserErrorCode, WriteError, text_code},
};

/// Checked contact details: `(email, phone, address)`.
pub(super) type Contact = (Option<String>, Option<String>, Option<String>);

pub(super) fn check_contact(errors: &mut Errors, email: Option<&str>, phone: Option<&str>, address: Option<&str>) -> Contact {
    let nonblank = |v: Option<&str>| v.map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
    let email = nonblank(email).and_then(|e| errors.check(&["contactEmail"], text::email(&e), text_code));
    let phone = nonblank(phone).and_then(|p| errors.check(&["contactPhone"], text::phone(&p), text_code));
    let address = errors.check(&["contactAddress"], text::optional_line(address, 500), text_code).flatten();
    (email, phone, address)
}

pub(super) fn check_country(errors: &mut Errors, code: &str) -> Option<CountryCode> {
    errors.check(&["country"], CountryCode::parse(code), |e| match e {
        CountryCodeError::Malformed => UserErrorCode::Invalid,
        CountryCodeError::Unknown(_) => UserErrorCode::UnknownCountry,
    })
}

/// Normalizes a registration number: trimmed, upper case, without inner spaces.
pub fn normalize_number(number: &str) -> String {
    number.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_uppercase).collect()
}

/// Checks registration identifiers. The same identifier twice in one input is
/// refused (that is the caller's own input); one that another organization holds
/// is not: refusing it would tell the caller that an organization they may not
/// see exists. Such organizations are flagged as possible duplicates instead.
pub(super) fn check_registrations(errors: &mut Errors, regs: &[RegistrationInput]) -> Vec<(RegistrationKind, String)> {
    if regs.len() > MAX_REGISTRATIONS {
        errors.add(&["registrations"], UserErrorCode::TooMany, format!("at most {MAX_REGISTRATIONS} registration identifiers"));
        return Vec::new();
    }
    let mut out: Vec<(RegistrationKind, String)> = Vec::new();
    for (i, reg) in regs.iter().enumerate() {
        let index = i.to_string();
        let number = normalize_number(&reg.number);
        let valid = (2..=64).contains(&number.chars().count()) && number.chars().all(|c| c.is_alphanumeric() || "-/.".contains(c));
        if number.is_empty() {
            errors.add(&["registrations", &index, "number"], UserErrorCode::Blank, "can't be blank");
        } else if !valid {
            errors.add(
                &["registrations", &index, "number"],
                UserErrorCode::Invalid,
                "a registration number is 2 to 64 letters, digits, and - / .",
            );
        } else if out.iter().any(|(k, n)| *k == reg.kind && *n == number) {
            errors.add(&["registrations", &index, "number"], UserErrorCode::Duplicate, "this identifier is listed twice");
        } else {
            out.push((reg.kind, number));
        }
    }
    out
}

pub(super) async fn check_focus_areas(db: &impl ConnectionTrait, errors: &mut Errors, slugs: &[String]) -> Result<Vec<Uuid>, WriteError> {
    if slugs.len() > MAX_FOCUS_AREAS {
        errors.add(&["focusAreas"], UserErrorCode::TooMany, format!("at most {MAX_FOCUS_AREAS} focus areas"));
        return Ok(Vec::new());
    }
    let normalized: Vec<String> = slugs.iter().map(|s| s.trim().to_lowercase()).collect();
    let known = focus_areas::by_slugs(db, &normalized).await?;
    let mut ids = Vec::new();
    for (i, slug) in normalized.iter().enumerate() {
        let index = i.to_string();
        if normalized[..i].contains(slug) {
            errors.add(&["focusAreas", &index], UserErrorCode::Duplicate, format!("{slug} is listed twice"));
        } else if let Some(area) = known.iter().find(|a| a.slug == *slug) {
            ids.push(area.id);
        } else {
            let shown: String = slug.chars().take(60).collect();
            errors.add(
                &["focusAreas", &index],
                UserErrorCode::UnknownFocusArea,
                format!("`{shown}` is not a focus area; see the `focusAreas` query"),
            );
        }
    }
    Ok(ids)
}

pub(super) fn check_founded(errors: &mut Errors, year: i32) {
    let now = Utc::now().year();
    if !(1800..=now).contains(&year) {
        errors.add(&["foundedYear"], UserErrorCode::OutOfRange, format!("the year founded must be between 1800 and {now}"));
    }
}

pub(super) fn check_budget(errors: &mut Errors, money: &MoneyInput) -> Option<(i64, CurrencyCode)> {
    let currency = errors.check(&["annualBudget", "currency"], CurrencyCode::parse(&money.currency), |e| match e {
        CurrencyCodeError::Malformed => UserErrorCode::Invalid,
        CurrencyCodeError::Unknown(_) => UserErrorCode::UnknownCurrency,
    });
    if !(0..=MAX_BUDGET).contains(&money.amount) {
        errors.add(&["annualBudget", "amount"], UserErrorCode::OutOfRange, format!("a budget is between 0 and {MAX_BUDGET} minor units"));
        return None;
    }
    currency.map(|c| (money.amount, c))
}

pub(super) fn line(errors: &mut Errors, path: &str, value: &str) -> Option<String> {
    errors.check(&[path], text::required_line(value, 300), text_code)
}

/// What `search` matches: both names and the mission, folded.
pub(super) fn search_text(legal_name: &str, display_name: &str, mission: Option<&str>) -> String {
    text::search_key(&format!("{legal_name} {display_name} {}", mission.unwrap_or("")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registration_numbers_are_normalized() {
        assert_eq!(normalize_number(" pvt-12 ab/3 "), "PVT-12AB/3");
    }

    #[test]
    fn absurd_budgets_and_unknown_currencies_are_user_errors() {
        let mut errors = Errors::default();
        assert!(check_budget(&mut errors, &MoneyInput { amount: -1, currency: "USD".to_owned() }).is_none());
        assert!(check_budget(&mut errors, &MoneyInput { amount: MAX_BUDGET + 1, currency: "USD".to_owned() }).is_none());
        assert!(check_budget(&mut errors, &MoneyInput { amount: 100, currency: "ZZZ".to_owned() }).is_none());
        assert!(check_budget(&mut errors, &MoneyInput { amount: 100, currency: "KES".to_owned() }).is_some());
        assert!(matches!(errors.ok(), Err(WriteError::Invalid(e)) if e.len() == 3));
    }
}
