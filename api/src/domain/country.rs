//! ISO 3166-1 alpha-2 country codes, from the `isocountry` crate (not typed by hand).

use std::fmt;

/// An assigned ISO 3166-1 alpha-2 code, upper case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CountryCode(isocountry::CountryCode);

/// Why a string is not a country code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CountryCodeError {
    /// Not two ASCII letters.
    #[error("a country code is two letters (ISO 3166-1 alpha-2), e.g. KE")]
    Malformed,
    /// Two letters, but not an assigned code.
    #[error("{0} is not an ISO 3166-1 alpha-2 country code")]
    Unknown(String),
}

impl CountryCode {
    /// Parses a code, case-insensitively.
    pub fn parse(input: &str) -> Result<Self, CountryCodeError> {
        let code = normalize_format(input)?;
        isocountry::CountryCode::for_alpha2(&code).map(Self).map_err(|_| CountryCodeError::Unknown(code))
    }

    /// Every assigned code, ordered by code.
    pub fn all() -> Vec<Self> {
        let mut all: Vec<Self> = isocountry::CountryCode::iter().map(|c| Self(*c)).collect();
        all.sort_by(|a, b| a.as_str().cmp(b.as_str()));
        all
    }

    /// The two-letter code.
    pub fn as_str(&self) -> &'static str {
        self.0.alpha2()
    }

    /// The English short name of ISO 3166-1.
    pub fn name(&self) -> &'static str {
        self.0.name()
    }

    /// The three-letter code.
    pub fn alpha3(&self) -> &'static str {
        self.0.alpha3()
    }

    /// The first ISO 4217 currency in use in this country, if it has one.
    pub fn default_currency(&self) -> Option<super::CurrencyCode> {
        let country: iso_country::Country = self.as_str().parse().ok()?;
        iso_currency::Currency::from_country(country)
            .into_iter()
            .find(|c| !c.is_fund() && !c.is_special() && c.is_superseded().is_none())
            .map(super::CurrencyCode::from)
    }
}

/// Checks only the shape (two ASCII letters) and upper-cases it.
pub fn normalize_format(input: &str) -> Result<String, CountryCodeError> {
    let code = input.trim();
    if code.len() == 2 && code.chars().all(|c| c.is_ascii_alphabetic()) {
        Ok(code.to_ascii_uppercase())
    } else {
        Err(CountryCodeError::Malformed)
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_assigned_codes_case_insensitively() {
        let ke = CountryCode::parse(" ke ").expect("Kenya");
        assert_eq!(ke.as_str(), "KE");
        assert_eq!(ke.name(), "Kenya");
        assert_eq!(ke.default_currency().map(|c| c.as_str()), Some("KES"));
    }

    #[test]
    fn refuses_unassigned_and_malformed_codes() {
        assert_eq!(CountryCode::parse("XX"), Err(CountryCodeError::Unknown("XX".to_owned())));
        assert_eq!(CountryCode::parse("KEN"), Err(CountryCodeError::Malformed));
        assert_eq!(CountryCode::parse("K1"), Err(CountryCodeError::Malformed));
        assert_eq!(CountryCode::parse(""), Err(CountryCodeError::Malformed));
    }

    #[test]
    fn the_full_list_is_there() {
        let all = CountryCode::all();
        assert!(all.len() >= 249, "{}", all.len());
        assert!(all.windows(2).all(|w| w[0].as_str() < w[1].as_str()));
    }

    #[test]
    fn euro_countries_default_to_eur() {
        let de = CountryCode::parse("DE").expect("Germany");
        assert_eq!(de.default_currency().map(|c| c.as_str()), Some("EUR"));
    }
}
