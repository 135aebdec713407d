//! Money: an integer amount of minor units and an ISO 4217 currency. Never a float.

use std::fmt;

/// An ISO 4217 currency code, from the `iso_currency` crate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CurrencyCode(iso_currency::Currency);

/// Why a string is not a currency code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CurrencyCodeError {
    /// Not three ASCII letters.
    #[error("a currency code is three letters (ISO 4217), e.g. KES")]
    Malformed,
    /// Three letters, but not an ISO 4217 currency.
    #[error("{0} is not an ISO 4217 currency code")]
    Unknown(String),
}

impl CurrencyCode {
    /// Parses a code, case-insensitively; funds, metals and test codes are refused.
    pub fn parse(input: &str) -> Result<Self, CurrencyCodeError> {
        let code = normalize_format(input)?;
        match iso_currency::Currency::from_code(&code) {
            Some(c) if !c.is_special() && !c.is_fund() => Ok(Self(c)),
            _ => Err(CurrencyCodeError::Unknown(code)),
        }
    }

    /// The three-letter code.
    pub fn as_str(&self) -> &'static str {
        self.0.code()
    }

    /// Number of minor-unit digits (2 for USD, 0 for JPY).
    pub fn exponent(&self) -> u16 {
        self.0.exponent().unwrap_or(0)
    }

    /// English name.
    pub fn name(&self) -> &str {
        self.0.name()
    }
}

impl From<iso_currency::Currency> for CurrencyCode {
    fn from(c: iso_currency::Currency) -> Self {
        Self(c)
    }
}

/// Checks only the shape (three ASCII letters) and upper-cases it.
pub fn normalize_format(input: &str) -> Result<String, CurrencyCodeError> {
    let code = input.trim();
    if code.len() == 3 && code.chars().all(|c| c.is_ascii_alphabetic()) {
        Ok(code.to_ascii_uppercase())
    } else {
        Err(CurrencyCodeError::Malformed)
    }
}

impl fmt::Display for CurrencyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An amount of money.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Money {
    /// Minor units (cents for USD).
    pub amount: i64,
    /// The currency.
    pub currency: CurrencyCode,
}

impl Money {
    /// Largest amount accepted anywhere: the largest integer a JSON number carries
    /// exactly (2^53 - 1), so JavaScript clients never round.
    pub const MAX_AMOUNT: i64 = 9_007_199_254_740_991;

    /// Formats the amount in major units with the currency's exponent, e.g. `1250.00 KES`.
    pub fn to_major_string(&self) -> String {
        let exp = u32::from(self.currency.exponent());
        let sign = if self.amount < 0 { "-" } else { "" };
        let abs = self.amount.unsigned_abs();
        if exp == 0 {
            return format!("{sign}{abs} {}", self.currency);
        }
        let scale = 10u64.pow(exp);
        format!("{sign}{}.{:0width$} {}", abs / scale, abs % scale, self.currency, width = exp as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_currencies_and_knows_their_minor_units() {
        let kes = CurrencyCode::parse("kes").expect("KES");
        assert_eq!(kes.as_str(), "KES");
        assert_eq!(kes.exponent(), 2);
        assert_eq!(CurrencyCode::parse("JPY").expect("JPY").exponent(), 0);
        assert_eq!(CurrencyCode::parse("BHD").expect("BHD").exponent(), 3);
    }

    #[test]
    fn refuses_unknown_special_and_malformed_codes() {
        assert_eq!(CurrencyCode::parse("ABC"), Err(CurrencyCodeError::Unknown("ABC".to_owned())));
        assert_eq!(CurrencyCode::parse("XAU"), Err(CurrencyCodeError::Unknown("XAU".to_owned())));
        assert_eq!(CurrencyCode::parse("US"), Err(CurrencyCodeError::Malformed));
        assert_eq!(CurrencyCode::parse("U$D"), Err(CurrencyCodeError::Malformed));
    }

    #[test]
    fn formats_major_units_without_floats() {
        let usd = CurrencyCode::parse("USD").expect("USD");
        assert_eq!(Money { amount: 123_456, currency: usd }.to_major_string(), "1234.56 USD");
        assert_eq!(Money { amount: -5, currency: usd }.to_major_string(), "-0.05 USD");
        let jpy = CurrencyCode::parse("JPY").expect("JPY");
        assert_eq!(Money { amount: 500, currency: jpy }.to_major_string(), "500 JPY");
    }
}
