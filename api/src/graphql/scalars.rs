//! Custom scalars: `CountryCode`, `CurrencyCode`, `Money` and `Date`.
//! (`DateTime` is async-graphql's chrono scalar: RFC 3339, always UTC here.)
//!
//! Input scalars check the format; whether a code is assigned is checked where it
//! is used, so a mutation can answer an unknown code as a `userError`.

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::NaiveDate;

use crate::domain::{self, Money};

/// ISO 3166-1 alpha-2 country code, upper case (e.g. `KE`). Input is case-insensitive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CountryCode(pub String);

/// ISO 3166-1 alpha-2 country code, upper case (e.g. `KE`). Input is case-insensitive.
#[Scalar(name = "CountryCode", specified_by_url = "https://www.iso.org/iso-3166-country-codes.html")]
impl ScalarType for CountryCode {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) => domain::country::normalize_format(s).map(Self).map_err(|e| InputValueError::custom(e.to_string())),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.clone())
    }
}

impl From<domain::CountryCode> for CountryCode {
    fn from(c: domain::CountryCode) -> Self {
        Self(c.as_str().to_owned())
    }
}

/// ISO 4217 currency code, upper case (e.g. `KES`). Input is case-insensitive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CurrencyCode(pub String);

/// ISO 4217 currency code, upper case (e.g. `KES`). Input is case-insensitive.
#[Scalar(name = "CurrencyCode", specified_by_url = "https://www.iso.org/iso-4217-currency-codes.html")]
impl ScalarType for CurrencyCode {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) => domain::money::normalize_format(s).map(Self).map_err(|e| InputValueError::custom(e.to_string())),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.clone())
    }
}

/// An amount of money: `{"amount": <integer minor units>, "currency": "<ISO 4217>"}`,
/// e.g. `{"amount": 125000, "currency": "KES"}` is KES 1,250.00. Amounts are integers
/// (never floats) of at most 2^53 - 1 so every JSON client reads them exactly.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MoneyValue {
    /// Minor units.
    pub amount: i64,
    /// ISO 4217 code, format-checked.
    pub currency: String,
}

/// An amount of money: `{"amount": <integer minor units>, "currency": "<ISO 4217>"}`,
/// e.g. `{"amount": 125000, "currency": "KES"}` is KES 1,250.00. Amounts are integers
/// (never floats) of at most 2^53 - 1, so every JSON client reads them exactly.
#[Scalar(name = "Money")]
impl ScalarType for MoneyValue {
    fn parse(value: Value) -> InputValueResult<Self> {
        let Value::Object(obj) = &value else {
            return Err(InputValueError::custom(
                "expected an object {\"amount\": <integer minor units>, \"currency\": \"<ISO 4217 code>\"}",
            ));
        };
        if let Some(extra) = obj.keys().find(|k| k.as_str() != "amount" && k.as_str() != "currency") {
            return Err(InputValueError::custom(format!("unknown Money field `{extra}`")));
        }
        let amount = match obj.get("amount") {
            Some(Value::Number(n)) => {
                n.as_i64().ok_or_else(|| InputValueError::custom("`amount` is an integer number of minor units, not a decimal"))?
            }
            _ => return Err(InputValueError::custom("`amount` (integer minor units) is required")),
        };
        if amount.abs() > Money::MAX_AMOUNT {
            return Err(InputValueError::custom("`amount` is out of range"));
        }
        let currency = match obj.get("currency") {
            Some(Value::String(s)) => domain::money::normalize_format(s).map_err(|e| InputValueError::custom(e.to_string()))?,
            _ => return Err(InputValueError::custom("`currency` (ISO 4217 code) is required")),
        };
        Ok(Self { amount, currency })
    }

    fn to_value(&self) -> Value {
        let mut obj = async_graphql::indexmap::IndexMap::new();
        obj.insert(async_graphql::Name::new("amount"), Value::from(self.amount));
        obj.insert(async_graphql::Name::new("currency"), Value::String(self.currency.clone()));
        Value::Object(obj)
    }
}

/// A calendar date, ISO 8601 (`YYYY-MM-DD`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Date(pub NaiveDate);

/// A calendar date, ISO 8601 (`YYYY-MM-DD`).
#[Scalar(name = "Date")]
impl ScalarType for Date {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) => {
                NaiveDate::parse_from_str(s, "%Y-%m-%d").map(Self).map_err(|_| InputValueError::custom("expected a date YYYY-MM-DD"))
            }
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.format("%Y-%m-%d").to_string())
    }
}
